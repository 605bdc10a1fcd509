// Classifies WAV files with a model exported by `qkan export`, on OnnxRuntime: no TorchSharp, no libtorch.
//   dotnet run -c Release --project examples/OnnxServing -- model.onnx clip.wav [more.wav ...] [--top 3] [--bench 200]
// --bench N times N single-clip predictions (WAV file → decode → log-mel → ONNX scores) of the first clip and prints
// the median and 90th percentile in milliseconds.
using QuantumKan.Audio;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using QuantumKan.Audio.Mel;
using QuantumKan.Onnx;

var paths = new List<string>();
int top = 3, bench = 0;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--top" && i + 1 < args.Length) top = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--bench" && i + 1 < args.Length) bench = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else paths.Add(args[i]);
}
if (paths.Count < 2)
{
    Console.Error.WriteLine("usage: OnnxServing model.onnx clip.wav [more.wav ...] [--top 3] [--bench N]");
    return 2;
}

try
{
    using var model = OnnxClassifier.Load(paths[0]);
    // The model records the front end it was trained on; featurize exactly so.
    if (model.FrontEndJson is null)
        throw new OnnxModelException(model.FilePath, "records no audio front end: export it from a model zip with `qkan export`.");
    var json = new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() } };
    var frontEnd = JsonSerializer.Deserialize<LogMelOptions>(model.FrontEndJson, json)!;
    using (var recorded = JsonDocument.Parse(model.FrontEndJson))
    {
        if (recorded.RootElement.TryGetProperty("LoadSampleRate", out var rate) && rate.GetInt32() != frontEnd.SampleRate)
            throw new OnnxModelException(model.FilePath, $"loads audio at {rate.GetInt32()} Hz but featurizes at {frontEnd.SampleRate} Hz; this example resamples once, to the featurizer's rate.");
    }
    var featurizer = new AudioFrontEnd(frontEnd);

    foreach (var wav in paths.Skip(1))
    {
        var (scores, _) = model.Predict(featurizer.FeaturizeFile(wav));
        var best = Enumerable.Range(0, scores.Length).OrderByDescending(c => scores[c]).Take(top);
        Console.WriteLine($"{wav}: {string.Join(", ", best.Select(c => $"{model.ClassNames[c]} {scores[c].ToString("F3", CultureInfo.InvariantCulture)}"))}");
    }

    if (bench > 0)
    {
        var clip = paths[1];
        for (int i = 0; i < 5; i++)
            model.Predict(featurizer.FeaturizeFile(clip));                                  // warm-up
        var times = new double[bench];
        for (int i = 0; i < bench; i++)
        {
            long start = Stopwatch.GetTimestamp();
            model.Predict(featurizer.FeaturizeFile(clip));
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        Console.WriteLine(FormattableString.Invariant($"single clip, WAV → scores, {bench} runs: median {times[bench / 2]:F3} ms, p90 {times[(int)(bench * 0.9)]:F3} ms"));
    }

    // The point of this example: nothing of torch is in the process.
    bool torchAssembly = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name?.StartsWith("TorchSharp", StringComparison.Ordinal) == true);
    bool torchNative = File.Exists("/proc/self/maps") && File.ReadAllText("/proc/self/maps").Contains("libtorch", StringComparison.Ordinal);
    Console.WriteLine($"TorchSharp loaded: {(torchAssembly ? "yes" : "no")}; native libtorch mapped: {(torchNative ? "yes" : "no")}");
    return torchAssembly || torchNative ? 1 : 0;
}
catch (Exception ex) when (ex is OnnxModelException or IOException or FormatException or ArgumentException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
