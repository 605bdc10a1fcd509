using QuantumKan.ML.Training;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML;
using QuantumKan.ML.Classification;
using QuantumKan.Data;
using QuantumKan.Data.Cache;

namespace QuantumKan.Bench.Compare;

/// <summary>
/// One point of the scaling run (bench/run.sh runs one process per data-set size, so each peak is its own): featurize
/// every train clip into a fresh on-disk feature cache (all cores), then train the default classifier from the cache,
/// which streams patches from the memory-mapped file. Records both times and the peak RSS of each phase.
/// </summary>
internal static class ScalingPoint
{
    public static int Execute(string root, int clips, string cacheDirectory, string output, int epochs)
    {
        var all = Fsd50kReader.Read(root, Fsd50kSplit.Train);
        if (clips > all.Clips.Count)
            throw new ArgumentOutOfRangeException(nameof(clips), clips, $"The data set at {root} has only {all.Clips.Count} train clips.");
        var set = new LabeledAudioSet(all.Vocabulary, all.Clips.Take(clips).ToArray());
        if (Directory.Exists(cacheDirectory))
            Directory.Delete(cacheDirectory, recursive: true);
        var result = new Dictionary<string, object> { ["clips"] = set.Clips.Count, ["epochs"] = epochs };

        ProcessMemory.ResetPeak();
        var watch = Stopwatch.StartNew();
        using var cache = set.OpenFeatureCache(cacheDirectory, new LogMelClipFeaturizer(BenchSettings.Mel));
        result["featurize_seconds"] = watch.Elapsed.TotalSeconds;
        result["featurize_peak_rss_mb"] = ProcessMemory.PeakRssMb();
        // What the process still holds after a full collection: the retained part of the peak (the rest was garbage the GC
        // had not collected yet, which grows with the allocation rate, not with the data set).
        result["featurize_retained_managed_mb"] = GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;
        result["cache_bytes"] = Directory.EnumerateFiles(cacheDirectory).Sum(f => new FileInfo(f).Length);

        var ml = new MLContext(seed: 1);
        var options = new QuantumKanClassifierOptions
        {
            Training = new QuantumKanClassifierOptions().Training with { Epochs = epochs, EarlyStoppingPatience = 0, ValidateEveryEpochs = 0 },
        };
        ProcessMemory.ResetPeak();
        watch.Restart();
        ml.MultiLabelClassification().Trainers.QuantumKan(options).Fit(cache, null, set.Vocabulary.Labels);
        result["train_seconds"] = watch.Elapsed.TotalSeconds;
        result["train_peak_rss_mb"] = ProcessMemory.PeakRssMb();
        result["end_rss_mb"] = ProcessMemory.CurrentRssMb();
        result["train_retained_managed_mb"] = GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;
        File.WriteAllText(output, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"scale: {set.Clips.Count} clips, featurize {result["featurize_seconds"]:F1} s (peak {result["featurize_peak_rss_mb"]:F0} MB), " +
                          $"train {epochs} epochs {result["train_seconds"]:F1} s (peak {result["train_peak_rss_mb"]:F0} MB)");
        return 0;
    }
}
