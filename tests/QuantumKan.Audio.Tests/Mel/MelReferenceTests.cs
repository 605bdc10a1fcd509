using System.Text.Json;
using QuantumKan.Audio.Mel;
using QuantumKan.Audio.Tests.Wav;

namespace QuantumKan.Audio.Tests.Mel;

/// <summary>
/// Float32 output against torchaudio 0.13 <c>MelSpectrogram</c> (+ <c>AmplitudeToDB</c> or a log), made by
/// Reference/make_reference.py: every value within 1e-4 of the reference's peak magnitude.
/// </summary>
public class MelReferenceTests
{
    private static readonly JsonElement Manifest = JsonDocument.Parse(File.ReadAllText(ReferenceFiles.Path("manifest.json"))).RootElement;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Manifest.GetProperty("mel").EnumerateArray())
            data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Featurize_MatchesTorchaudioWithin1e4OfPeak(string name)
    {
        var entry = Manifest.GetProperty("mel").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var options = ToOptions(entry);
        var signal = ReferenceFiles.ReadFloats(entry.GetProperty("input").GetString()!);
        var expected = ReferenceFiles.ReadFloats(entry.GetProperty("output").GetString()!);

        var featurizer = new LogMelFeaturizer(options);
        var actual = featurizer.Featurize(signal);

        Assert.Equal(entry.GetProperty("frames").GetInt32(), featurizer.FrameCount(signal.Length));
        Assert.Equal(expected.Length, actual.Length);
        double peak = expected.Max(v => Math.Abs(v));
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-4 * peak, $"{name}: max |Δ| {worst:E3} vs peak {peak:E3} (ratio {worst / peak:E2})");
        Console.WriteLine($"{name}: max |Δ|/peak = {worst / peak:E2}");
    }

    // Translates the torchaudio keyword arguments recorded in the manifest.
    private static LogMelOptions ToOptions(JsonElement entry)
    {
        var p = entry.GetProperty("params");
        double? Number(string key) => p.TryGetProperty(key, out var v) ? v.GetDouble() : null;
        string? Text(string key) => p.TryGetProperty(key, out var v) ? v.GetString() : null;
        var scale = entry.GetProperty("scale");
        int fft = (int)Number("n_fft")!.Value;
        var options = new LogMelOptions
        {
            SampleRate = entry.GetProperty("sample_rate").GetInt32(),
            FftSize = fft,
            WindowLength = (int?)Number("win_length"),
            HopLength = (int)(Number("hop_length") ?? (Number("win_length") ?? fft) / 2),
            MelBands = (int)(Number("n_mels") ?? 128),
            FMin = Number("f_min") ?? 0,
            FMax = Number("f_max"),
            Center = !p.TryGetProperty("center", out var center) || center.GetBoolean(),
            PadMode = Text("pad_mode") == "constant" ? PadMode.Constant : PadMode.Reflect,
            Power = (int)(Number("power") ?? 2),
            MelScale = Text("mel_scale") == "slaney" ? MelScale.Slaney : MelScale.Htk,
            MelNorm = Text("norm") == "slaney" ? MelNorm.Slaney : MelNorm.None,
        };
        return scale.GetProperty("kind").GetString() switch
        {
            "power" => options with { OutputScale = MelOutputScale.Power },
            "log" => options with { OutputScale = MelOutputScale.Log, LogOffset = scale.GetProperty("offset").GetDouble() },
            _ => options with
            {
                OutputScale = MelOutputScale.Decibels,
                Amin = scale.GetProperty("amin").GetDouble(),
                TopDb = scale.GetProperty("top_db").ValueKind == JsonValueKind.Null ? null : scale.GetProperty("top_db").GetDouble(),
            },
        };
    }
}
