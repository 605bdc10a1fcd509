using System.Diagnostics;
using Microsoft.ML;
using QuantumKan.Audio;
using QuantumKan.Audio.Resampling;
using QuantumKan.Audio.Wav;
using QuantumKan.Core;
using QuantumKan.Data.Cache;
using QuantumKan.ML;
using QuantumKan.ML.Audio;
using QuantumKan.ML.Classification;
using QuantumKan.ML.Training;
using QuantumKan.Nn.Network;
using QuantumKan.Training.Data.Frames;
using static TorchSharp.torch;

namespace QuantumKan.Bench.Compare;

/// <summary>
/// Where the single-clip latency of a frame-encoder model goes (WAV path → scores, bench/run.sh --encoder's latency
/// rows): a small Temporal-encoder model is trained (a few epochs on the train clips), saved through
/// <see cref="AudioClassifier"/> and loaded back, then every eval clip runs through each part in turn, interleaved
/// clip by clip so load on the machine hits every part alike; medians per part. Parts: WAV decode (44.1 kHz, mono
/// mix), resampling to 16 kHz, STFT + mel, the streamed front end as a whole, the scorer as a whole (patch cutting,
/// tensor creation, forward, aggregation, copy-out), the network's parts on one clip's patch batch, the
/// PredictionEngine over the whole pipeline, and <see cref="AudioClassifier.Predict"/>. Also managed bytes allocated
/// and gen-0 collections per prediction.
/// </summary>
internal static class EncoderLatency
{
    public sealed record Settings(string Data, string Work, int Threads, int Epochs, int Repeats);

    public static int Execute(Settings s)
    {
        TorchRuntime.SetIntraOpThreads(s.Threads);
        var data = BenchDataSet.Open(s.Data);
        Directory.CreateDirectory(s.Work);
        string cacheDir = Path.Combine(s.Work, $"latency-cache-{Environment.ProcessId}");
        if (Directory.Exists(cacheDir))
            Directory.Delete(cacheDir, recursive: true);
        var ml = new MLContext(seed: 1);
        var options = new QuantumKanClassifierOptions
        {
            Network = EncoderRun.Network,
            Training = new QuantumKanClassifierOptions().Training with { Epochs = s.Epochs, BatchSize = 32, EarlyStoppingPatience = 0, ValidateEveryEpochs = 0 },
        };
        QuantumKanClassifierTransformer model;
        using (var cache = data.Train.OpenFeatureCache(cacheDir, new LogMelClipFeaturizer(EncoderRun.FrameMel),
                   new FeatureCacheOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }))
            model = ml.MultiLabelClassification().Trainers.QuantumKan(options).Fit(cache.AsFrameClips(), null, data.ClassNames);
        Directory.Delete(cacheDir, recursive: true);
        string zip = Path.Combine(s.Work, $"latency-model-{Environment.ProcessId}.zip");
        AudioClassifier.Compose(ml, new AudioFrontEnd(EncoderRun.FrameMel), model).Save(zip);
        var loaded = AudioClassifier.Load(new MLContext(seed: 1), zip);
        File.Delete(zip);
        var classifier = loaded.Classifier;
        var network = classifier.Network;
        var front = loaded.FrontEnd;
        var decode = front.Signal.DecodeOptions;
        var resampler = SincResampler.Get(44100, front.Signal.SampleRate);
        var encoder = network.Options.Encoder;
        int bands = classifier.FeatureCount;

        using var engine = loaded.CreatePredictionEngine();
        var input = new AudioPathInput();
        var parts = new (string Name, Action<string> Run)[]
        {
            ("WAV decode (44.1 kHz, mono mix)", p => WavDecoder.Decode(p, decode).Mono.AsSpan()),
            ("resample 44.1 -> 16 kHz", p => resampler.Resample(WavDecoder.Decode(p, decode).Mono)),
            ("STFT + mel (whole signal)", p => front.Mel.Featurize(front.Signal.Read(p))),
            ("front end, FeaturizeFile", p => front.FeaturizeFile(p)),
            ("scorer, Predict(frames)", p => classifier.Predict(front.FeaturizeFile(p))),
            ("  patch cut + tensor", p => Patches(front.FeaturizeFile(p), bands, encoder.CropFrames, encoder.PatchHop).Dispose()),
            ("  standardize + band stats", p => Network(front.FeaturizeFile(p), network, encoder.CropFrames, encoder.PatchHop, 1)),
            ("  + encoder", p => Network(front.FeaturizeFile(p), network, encoder.CropFrames, encoder.PatchHop, 2)),
            ("  + embedding (3 KAN extractors)", p => Network(front.FeaturizeFile(p), network, encoder.CropFrames, encoder.PatchHop, 3)),
            ("  + represent (reference fidelities)", p => Network(front.FeaturizeFile(p), network, encoder.CropFrames, encoder.PatchHop, 4)),
            ("  whole ForwardWithState", p => Network(front.FeaturizeFile(p), network, encoder.CropFrames, encoder.PatchHop, 5)),
            ("PredictionEngine.Predict", p => { input.Path = p; engine.Predict(input); }),
            ("AudioClassifier.Predict", p => loaded.Predict(p)),
        };
        var paths = data.EvalPaths;
        foreach (var p in paths.Take(10))
            foreach (var part in parts)
                part.Run(p);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var times = parts.Select(_ => new List<double>()).ToArray();
        var bytes = parts.Select(_ => new List<double>()).ToArray();
        int[] gen0 = new int[parts.Length];
        var watch = new Stopwatch();
        for (int r = 0; r < s.Repeats; r++)
            foreach (var p in paths)
                for (int i = 0; i < parts.Length; i++)
                {
                    int g = GC.CollectionCount(0);
                    long allocated = GC.GetAllocatedBytesForCurrentThread();
                    watch.Restart();
                    parts[i].Run(p);
                    times[i].Add(watch.Elapsed.TotalMilliseconds);
                    bytes[i].Add(GC.GetAllocatedBytesForCurrentThread() - allocated);
                    gen0[i] += GC.CollectionCount(0) - g;
                }
        int frames = paths.Select(p => front.FeaturizeFile(p).Length / bands).Order().ElementAt(paths.Length / 2);
        Console.WriteLine($"{paths.Length} clips x {s.Repeats}, median {frames} frames, torch threads {get_num_threads()}; " +
                          $"parts below 'scorer' include the front end (subtract its median)");
        Console.WriteLine($"  {"part",-40} {"p50 ms",8} {"p90 ms",8} {"KB alloc",9} {"gen0/call",9}");
        for (int i = 0; i < parts.Length; i++)
            Console.WriteLine($"  {parts[i].Name,-40} {InferencePhase.Percentile(times[i], 50),8:F3} {InferencePhase.Percentile(times[i], 90),8:F3} " +
                              $"{InferencePhase.Percentile(bytes[i], 50) / 1024,9:F1} {gen0[i] / (double)times[i].Count,9:F3}");
        return 0;
    }

    // One clip's patch batch, as the scorer cuts it (all patches of a 1–4 s clip fit one batch).
    private static Tensor Patches(float[] frames, int bands, int crop, int hop)
    {
        var clip = new FrameClips(new InMemoryFrameStore([frames], bands), new float[1], 1);
        var patches = new FramePatchSource(clip, crop, hop);
        var values = new float[patches.Count * patches.FeatureSize];
        for (int p = 0; p < patches.Count; p++)
            patches.ReadFeatures(p, values.AsSpan(p * patches.FeatureSize, patches.FeatureSize));
        return tensor(values, [patches.Count, crop, bands]);
    }

    // The network's parts up to stage `upTo` on one clip's patch batch, in inference mode, as the scorer runs them.
    private static void Network(float[] frames, QuantumKanNetwork network, int crop, int hop, int upTo)
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var x = Patches(frames, network.InFeatures, crop, hop);
        if (upTo == 5)
        {
            var (logits, state) = network.ForwardWithState(x);
            logits.sigmoid();
            return;
        }
        var standardized = network.StandardizeFrames(x);
        QuantumKanNetwork.BandStatistics(standardized, null);
        if (upTo < 2)
            return;
        var clip = network.Encoder!.Encode(standardized, null);
        if (upTo < 3)
            return;
        var stateOnly = network.Embedding.Encode(clip);
        if (upTo < 4)
            return;
        network.Represent(stateOnly);
    }
}
