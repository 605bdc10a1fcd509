using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.ML.Audio;
using QuantumKan.ML.Classification;

namespace QuantumKan.Bench.Compare;

/// <summary>
/// Single-clip latency from a WAV path to scores through ML.NET's <c>PredictionEngine</c> over the whole pipeline
/// LoadAudio(16 kHz) → MelSpectrogram → the trained classifier, one clip per call, every eval clip in turn.
/// </summary>
internal static class InferencePhase
{
    public sealed class ClipInput
    {
        public string Path { get; set; } = "";
    }

    public sealed class ClipScores
    {
        public float[] Score { get; set; } = [];
    }

    public static PredictionEngine<ClipInput, ClipScores> CreateEngine(MLContext ml, QuantumKanClassifierTransformer classifier)
    {
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<ClipInput>());
        var front = ml.Transforms.LoadAudio("Audio", "Path", sampleRate: BenchSettings.Mel.SampleRate)
            .Append(ml.Transforms.MelSpectrogram(new MelSpectrogramOptions(BenchSettings.Mel) { OutputColumnName = "Features", InputColumnName = "Audio" }))
            .Fit(empty);
        var pipeline = front.Append(classifier);
        return ml.Model.CreatePredictionEngine<ClipInput, ClipScores>(pipeline);
    }

    public static void Run(MLContext ml, QuantumKanClassifierTransformer classifier, string[] paths, int repeats, Dictionary<string, object> result)
    {
        using var engine = CreateEngine(ml, classifier);
        var input = new ClipInput();
        foreach (var p in paths.Take(20))
        {
            input.Path = p;
            engine.Predict(input);
        }
        ProcessMemory.ResetPeak();
        var latencies = new List<double>(paths.Length * repeats);
        var watch = new Stopwatch();
        for (int r = 0; r < repeats; r++)
        {
            foreach (var p in paths)
            {
                input.Path = p;
                watch.Restart();
                var scores = engine.Predict(input);
                latencies.Add(watch.Elapsed.TotalMilliseconds);
                if (scores.Score.Length != classifier.ClassNames.Count)
                    throw new InvalidOperationException($"Expected {classifier.ClassNames.Count} scores, got {scores.Score.Length}.");
            }
        }
        result["infer"] = new Dictionary<string, object>
        {
            ["predictions"] = latencies.Count, ["threads"] = TorchSharp.torch.get_num_threads(),
            ["p50_ms"] = Percentile(latencies, 50), ["p90_ms"] = Percentile(latencies, 90), ["mean_ms"] = latencies.Average(),
            ["peak_rss_mb"] = ProcessMemory.PeakRssMb(),
        };
    }

    /// <summary>numpy's default (linear interpolation) percentile, so both sides compute p50/p90 alike.</summary>
    public static double Percentile(IReadOnlyList<double> values, double percent)
    {
        var sorted = values.Order().ToArray();
        double rank = percent / 100 * (sorted.Length - 1);
        int low = (int)Math.Floor(rank), high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
