using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.ML;
using QuantumKan.Core;
using QuantumKan.Data;
using QuantumKan.Training.Data;

namespace QuantumKan.Bench.Compare;

/// <summary>
/// This project's side of bench/run.sh, phase for phase as bench/reference/reference_bench.py: featurize the train
/// clips (1 thread, then all cores), train the default network on the precomputed features, score the eval clips,
/// train the MLP baseline, and time single-clip predictions from WAV paths. Writes one JSON object.
/// </summary>
internal static class CompareRun
{
    public sealed record Settings(string Data, string Output, int Threads, int Epochs, int Batch, int Seed, int InferRepeats, string? FeaturesNpy);

    private static string InformationalVersion(Type type) =>
        (type.Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false).FirstOrDefault()
            as System.Reflection.AssemblyInformationalVersionAttribute)?.InformationalVersion.Split('+')[0] ?? type.Assembly.GetName().Version!.ToString();

    public static int Execute(Settings s)
    {
        TorchRuntime.SetIntraOpThreads(s.Threads);
        var result = new Dictionary<string, object>
        {
            ["side"] = "quantumkan", ["threads"] = s.Threads, ["cores"] = Environment.ProcessorCount,
            ["versions"] = new Dictionary<string, object>
            {
                ["dotnet"] = RuntimeInformation.FrameworkDescription,
                ["torchsharp"] = InformationalVersion(typeof(TorchSharp.torch)),
                ["mlnet"] = InformationalVersion(typeof(MLContext)),
            },
        };
        var total = Stopwatch.StartNew();
        var data = BenchDataSet.Open(s.Data);
        var (trainFeatures, evalFeatures) = FeaturizationPhase.Run(data, Environment.ProcessorCount, result);
        var (train, eval) = data.Sources(trainFeatures, evalFeatures);
        if (s.FeaturesNpy is { } npy)
            NpyWriter.Write(npy, TrainingPhase.EvalFeatures(train), train.Count, train.FeatureSize);

        var ml = new MLContext(seed: s.Seed);
        var model = TrainingPhase.Run(ml, train, eval, data.ClassNames, s.Epochs, s.Batch, result);
        InferencePhase.Run(ml, model, data.EvalPaths, s.InferRepeats, result);
        MlpBaseline.Run(train, eval, (int)((Dictionary<string, object>)result["train"])["parameters"], s.Epochs, s.Batch, s.Seed, result);

        result["total_seconds"] = total.Elapsed.TotalSeconds;
        result["process_peak_rss_mb"] = result.Values.OfType<Dictionary<string, object>>()
            .Where(v => v.ContainsKey("peak_rss_mb")).Max(v => (double)v["peak_rss_mb"]);
        File.WriteAllText(s.Output, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        var f1 = (Dictionary<string, object>)result["featurize_single"];
        var fp = (Dictionary<string, object>)result["featurize_parallel"];
        var tr = (Dictionary<string, object>)result["train"];
        var inf = (Dictionary<string, object>)result["infer"];
        var q = (Dictionary<string, object>)result["quality"];
        var qm = (Dictionary<string, object>)result["quality_mlp"];
        Console.WriteLine($"quantumkan: featurize {f1["clips_per_s"]:F1} / {fp["clips_per_s"]:F1} clips/s, train {tr["clips_per_s"]:F0} clips/s, " +
                          $"infer p50 {inf["p50_ms"]:F2} ms, eval mAP {q["eval_map"]:F4} (MLP {qm["eval_map"]:F4})");
        return 0;
    }
}
