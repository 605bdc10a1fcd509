using QuantumKan.Audio;
using QuantumKan.ML.Training;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.ML;
using QuantumKan.Audio.Mel;
using QuantumKan.Core;
using QuantumKan.ML;
using QuantumKan.ML.Audio;
using QuantumKan.ML.Classification;
using QuantumKan.Data;
using QuantumKan.Nn.Encoders;
using QuantumKan.Nn.Network;
using QuantumKan.Data.Cache;
using QuantumKan.Training.Metrics;

namespace QuantumKan.Bench.Compare;

/// <summary>
/// This project's side of <c>bench/run.sh --encoder</c> (the reference: bench/reference/encoder_bench.py), through the
/// library's public recipe for frame-encoder models:
/// <list type="number">
/// <item>end to end, WAV folder → trained model: the train clips featurized as log-mel frames into a fresh on-disk
/// feature cache on all cores (<see cref="LabeledAudioFeatureCache.OpenFeatureCache"/>), then
/// <c>Fit(FrameClips, null, classNames)</c> on <see cref="CachedFeatureSource.AsFrameClips"/> (random 100-frame crops,
/// batch 32). Training clips/s comes from the same fit (epochs 2 on, the trainer's own reports);</item>
/// <item>eval mAP: every eval clip's frames through <see cref="QuantumKanClassifierTransformer.Predict"/> (patch mean);</item>
/// <item>single-clip latency: the pipeline LoadAudio(16 kHz) → MelSpectrogram (frames) → classifier is saved to a zip,
/// loaded back in a fresh MLContext, and a PredictionEngine scores one WAV path per call.</item>
/// </list>
/// The network is <see cref="Network"/>: the Temporal encoder, the head reading the quantum state alone.
/// </summary>
internal static class EncoderRun
{
    public sealed record Settings(string Data, string Output, string Work, int Threads, int Epochs, int Batch, int Seed, int InferRepeats, string? BandStatsNpy);

    /// <summary>The bench front end, frame by frame: (frames, 64) log-mel per clip.</summary>
    public static readonly LogMelOptions FrameMel = BenchSettings.Mel with { Layout = FeatureLayout.Frames };

    /// <summary>
    /// The bench's network: the Temporal encoder with the head reading the quantum state alone (HeadInput.State), as the
    /// PyTorch twin (bench/reference/encoder_bench.py) builds it, through one semantic KAN layer of width 64; the
    /// library's default for frames adds the skip connection (HeadInput.Auto → StateAndClip) and drops the semantic
    /// layer, which the twin does not do.
    /// </summary>
    public static QuantumKanNetworkOptions Network { get; } = new()
    {
        Encoder = new FrameEncoderOptions { Kind = FrameEncoderKind.Temporal },
        HeadInput = HeadInput.State,
        SemanticWidths = [64],
    };

    public static int Execute(Settings s)
    {
        TorchRuntime.SetIntraOpThreads(s.Threads);
        var result = new Dictionary<string, object>
        {
            ["side"] = "quantumkan", ["network"] = "encoder", ["threads"] = s.Threads, ["cores"] = Environment.ProcessorCount,
            ["versions"] = new Dictionary<string, object>
            {
                ["dotnet"] = RuntimeInformation.FrameworkDescription,
                ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version!.ToString(),
            },
        };
        var data = BenchDataSet.Open(s.Data);
        var classNames = data.ClassNames;
        Directory.CreateDirectory(s.Work);
        string cacheDir = Path.Combine(s.Work, $"encoder-cache-{Environment.ProcessId}");
        if (Directory.Exists(cacheDir))
            Directory.Delete(cacheDir, recursive: true);

        var ml = new MLContext(seed: s.Seed);
        var clock = new TrainingPhase.EpochClock();
        var options = new QuantumKanClassifierOptions
        {
            Progress = clock,
            Network = Network,
            Training = new QuantumKanClassifierOptions().Training with
            {
                Epochs = s.Epochs, BatchSize = s.Batch, EarlyStoppingPatience = 0, ValidateEveryEpochs = 0,
            },
        };
        var trainer = ml.MultiLabelClassification().Trainers.QuantumKan(options);

        // 1. End to end: WAV folder → frames in the feature cache (all cores) → trained model.
        ProcessMemory.ResetPeak();
        var watch = Stopwatch.StartNew();
        QuantumKanClassifierTransformer model;
        double featurizeSeconds;
        int frames;
        using (var cache = data.Train.OpenFeatureCache(cacheDir, new LogMelClipFeaturizer(FrameMel),
                   new FeatureCacheOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }))
        {
            featurizeSeconds = watch.Elapsed.TotalSeconds;
            var clips = cache.AsFrameClips();
            frames = Enumerable.Range(0, clips.Count).Sum(clips.FrameCount);
            model = trainer.Fit(clips, null, classNames);
            if (s.BandStatsNpy is { } npy)
            {
                var (mean, std) = clips.BandStatistics();
                NpyWriter.Write(npy, [.. mean, .. std], 2, mean.Length);
            }
        }
        double totalSeconds = watch.Elapsed.TotalSeconds;
        double fitSeconds = totalSeconds - featurizeSeconds;
        Directory.Delete(cacheDir, recursive: true);
        var steady = clock.StepSeconds.Skip(1).ToArray();
        int clipCount = data.TrainPaths.Length;
        int parameters = TrainingPhase.ParameterCount(model, FrameMel.MelBands, classNames.Count);
        result["end_to_end"] = new Dictionary<string, object>
        {
            ["clips"] = clipCount, ["frames"] = frames, ["epochs"] = s.Epochs,
            ["featurize_seconds"] = featurizeSeconds, ["fit_seconds"] = fitSeconds, ["seconds"] = totalSeconds,
            ["clips_per_s"] = clipCount * (double)s.Epochs / totalSeconds, ["peak_rss_mb"] = ProcessMemory.PeakRssMb(),
            ["featurize_workers"] = Environment.ProcessorCount,
        };
        result["train"] = new Dictionary<string, object>
        {
            ["parameters"] = parameters, ["threads"] = TorchSharp.torch.get_num_threads(), ["batch"] = s.Batch, ["epochs"] = s.Epochs,
            ["clips"] = clipCount, ["crop_frames"] = Network.Encoder.CropFrames,
            ["clips_per_s"] = clipCount * steady.Length / steady.Sum(),
            ["median_step_ms"] = clock.MedianStepMilliseconds(), ["final_loss"] = clock.LastLosses,
        };

        // 2. Quality: every eval clip's frames, patch-mean scores.
        var frameFeaturizer = new AudioFrontEnd(FrameMel);
        var evalFrames = frameFeaturizer.FeaturizeFiles(data.EvalPaths, maxDegreeOfParallelism: Environment.ProcessorCount);
        var scores = evalFrames.SelectMany(f => model.Predict(f!).Scores).ToArray();
        var evalLabels = BenchDataSet.Labels(data.Eval);
        result["quality"] = new Dictionary<string, object>
        {
            ["model"] = "QuantumKan, Temporal encoder", ["epochs"] = s.Epochs, ["eval_clips"] = evalFrames.Length,
            ["eval_map"] = MultiLabelEvaluation.Evaluate(scores, evalLabels, classNames.Count).MeanAveragePrecision,
        };

        // 3. Latency over the saved pipeline, reloaded (the library's recipe composes and loads it): through ML.NET's
        //    PredictionEngine, and through AudioClassifier.Predict (qkan predict's path: the front end streamed, then the scorer).
        string zip = Path.Combine(s.Work, $"encoder-model-{Environment.ProcessId}.zip");
        AudioClassifier.Compose(ml, new AudioFrontEnd(FrameMel), model).Save(zip);
        var loaded = AudioClassifier.Load(new MLContext(seed: s.Seed), zip);
        File.Delete(zip);
        using (var engine = loaded.CreatePredictionEngine())
        {
            var input = new AudioPathInput();
            result["infer"] = Latency(p => { input.Path = p; return engine.Predict(input).Score; }, data.EvalPaths, s.InferRepeats, classNames.Count);
        }
        result["infer_stream"] = Latency(p => loaded.Predict(p).Scores, data.EvalPaths, s.InferRepeats, classNames.Count);

        result["process_peak_rss_mb"] = result.Values.OfType<Dictionary<string, object>>()
            .Where(v => v.ContainsKey("peak_rss_mb")).Max(v => (double)v["peak_rss_mb"]);
        File.WriteAllText(s.Output, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        var tr = (Dictionary<string, object>)result["train"];
        var e2e = (Dictionary<string, object>)result["end_to_end"];
        var inf = (Dictionary<string, object>)result["infer"];
        var q = (Dictionary<string, object>)result["quality"];
        Console.WriteLine($"quantumkan encoder ({parameters:N0} parameters, {s.Threads} threads): train {tr["clips_per_s"]:F0} clips/s, " +
                          $"end to end {e2e["seconds"]:F1} s (featurize {featurizeSeconds:F1} s), infer p50 {inf["p50_ms"]:F2} ms (streamed {((Dictionary<string, object>)result["infer_stream"])["p50_ms"]:F2} ms), eval mAP {q["eval_map"]:F4}");
        return 0;
    }

    private static Dictionary<string, object> Latency(Func<string, float[]> predict, string[] paths, int repeats, int classes)
    {
        foreach (var p in paths.Take(20))
            predict(p);
        // Each path starts from a collected heap, so the second measured loop does not pay for the first one's garbage.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        ProcessMemory.ResetPeak();
        var latencies = new List<double>(paths.Length * repeats);
        var watch = new Stopwatch();
        for (int r = 0; r < repeats; r++)
        {
            foreach (var p in paths)
            {
                watch.Restart();
                var scores = predict(p);
                latencies.Add(watch.Elapsed.TotalMilliseconds);
                if (scores.Length != classes)
                    throw new InvalidOperationException($"Expected {classes} scores, got {scores.Length}.");
            }
        }
        return new Dictionary<string, object>
        {
            ["predictions"] = latencies.Count, ["threads"] = TorchSharp.torch.get_num_threads(),
            ["p50_ms"] = InferencePhase.Percentile(latencies, 50), ["p90_ms"] = InferencePhase.Percentile(latencies, 90),
            ["mean_ms"] = latencies.Average(), ["peak_rss_mb"] = ProcessMemory.PeakRssMb(),
        };
    }
}
