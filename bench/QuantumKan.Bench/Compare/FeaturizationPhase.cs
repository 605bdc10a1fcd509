using QuantumKan.Audio;
using System.Diagnostics;
using QuantumKan.Audio.Mel;
using QuantumKan.Audio.Wav;

namespace QuantumKan.Bench.Compare;

/// <summary>
/// Featurization throughput over the training clips: WAV decode → resample 44.1 → 16 kHz → log-mel → segment pooling,
/// first one clip after another on one thread, then <see cref="LogMelFeaturizer.FeaturizeFiles"/> on all cores.
/// </summary>
internal static class FeaturizationPhase
{
    public static (float[][] Train, float[][] Eval) Run(BenchDataSet data, int cores, Dictionary<string, object> result)
    {
        var featurizer = new AudioFrontEnd(BenchSettings.Mel);
        var paths = data.TrainPaths;
        foreach (var p in paths.Take(8))
            featurizer.FeaturizeFile(p); // warm: page cache, resampler kernel, JIT

        ProcessMemory.ResetPeak();
        var watch = Stopwatch.StartNew();
        var single = new float[paths.Length][];
        for (int i = 0; i < paths.Length; i++)
            single[i] = featurizer.FeaturizeFile(paths[i]);
        double seconds = watch.Elapsed.TotalSeconds;
        result["featurize_single"] = new Dictionary<string, object>
        {
            ["clips"] = paths.Length, ["seconds"] = seconds, ["clips_per_s"] = paths.Length / seconds,
            ["audio_seconds"] = paths.Sum(p => WavDecoder.ReadInfo(p).DurationSeconds), ["peak_rss_mb"] = ProcessMemory.PeakRssMb(),
        };
        var eval = data.EvalPaths.Select(p => featurizer.FeaturizeFile(p)).ToArray();

        featurizer.FeaturizeFiles(paths.Take(4 * cores).ToArray(), maxDegreeOfParallelism: cores); // start the pool's threads
        ProcessMemory.ResetPeak();
        watch.Restart();
        var parallel = featurizer.FeaturizeFiles(paths, maxDegreeOfParallelism: cores);
        seconds = watch.Elapsed.TotalSeconds;
        for (int i = 0; i < paths.Length; i++)
        {
            if (!parallel[i]!.AsSpan().SequenceEqual(single[i]))
                throw new InvalidOperationException($"Parallel and single-thread features differ for {paths[i]}.");
        }
        result["featurize_parallel"] = new Dictionary<string, object>
        {
            ["clips"] = paths.Length, ["seconds"] = seconds, ["clips_per_s"] = paths.Length / seconds, ["workers"] = cores,
            ["peak_rss_mb"] = ProcessMemory.PeakRssMb(),
        };
        return (single, eval);
    }
}
