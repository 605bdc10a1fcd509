using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML;
using QuantumKan.Core;
using QuantumKan.Data;
using QuantumKan.ML.Classification;
using QuantumKan.Training.Data;
using QuantumKan.Training.Metrics;
using TorchSharp;

namespace QuantumKan.Bench.Compare;

/// <summary>
/// The GPU check: trains the default classifier on bench/run.sh's data set once per device (the same seed, batch and
/// epochs), then a FSD50K-sized network (9,696 patch features, 200 classes) on random data, and reports clips/s and
/// held-out mAP for each. The model trained on the GPU is scored on the CPU, as a saved model would be served.
/// </summary>
internal static class DeviceRun
{
    public static int Execute(string dataPath, string output, string[] devices, int epochs, int[] batches, string? npyPrefix, int wideClips)
    {
        TorchRuntime.EnsureInitialized();
        var info = new Dictionary<string, object>
        {
            ["cuda_available"] = torch.cuda.is_available(),
            ["cuda_devices"] = torch.cuda.is_available() ? torch.cuda.device_count() : 0,
            ["threads"] = TorchRuntime.IntraOpThreads, ["cores"] = Environment.ProcessorCount,
        };
        Console.WriteLine($"device check: cuda available {info["cuda_available"]}, {info["cuda_devices"]} device(s), {info["threads"]} intra-op threads");
        var data = BenchDataSet.Open(dataPath);
        var (train, eval) = data.FeaturizeAll();
        int d = train.FeatureSize, classes = train.LabelSize;
        if (npyPrefix is not null)
        {
            // The same training set for bench/reference/device_train.py.
            NpyWriter.Write(npyPrefix + "features.npy", TrainingPhase.EvalFeatures(train), train.Count, d);
            NpyWriter.Write(npyPrefix + "labels.npy", TrainingPhase.EvalLabels(train), train.Count, classes);
        }

        var rows = new List<Dictionary<string, object>>();
        foreach (var device in devices)
        {
            foreach (var batch in batches)
                rows.Add(Train($"bench set, D = {d}, {classes} classes", device, train, eval, data.ClassNames, epochs, batch));
        }

        // FSD50K-sized: 1 s patches of 96 mels × 101 frames (9,696 features), 200 classes; random features and labels.
        if (wideClips > 0)
            rows.AddRange(WideRuns(devices, wideClips));

        info["runs"] = rows;
        File.WriteAllText(output, JsonSerializer.Serialize(info, new JsonSerializerOptions
        {
            WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        }));
        return 0;
    }

    private static IEnumerable<Dictionary<string, object>> WideRuns(string[] devices, int n)
    {
        const int wide = 9_696, many = 200;
        var random = new Random(1);
        var x = new float[n * wide];
        for (int i = 0; i < x.Length; i++)
            x[i] = (float)(random.NextDouble() * 2 - 1);
        var y = new float[n * many];
        for (int i = 0; i < n; i++)
            y[i * many + random.Next(many)] = 1;
        var source = new InMemoryFeatureSource(x, [wide], y, many);
        var names = Enumerable.Range(0, many).Select(c => $"class{c}").ToArray();
        foreach (var device in devices)
            yield return Train($"FSD50K-sized, D = {wide}, {many} classes, random", device, source, null, names, 3, 32);
    }

    private static Dictionary<string, object> Train(string what, string device, InMemoryFeatureSource train, InMemoryFeatureSource? eval,
        IReadOnlyList<string> classNames, int epochs, int batch)
    {
        var clock = new TrainingPhase.EpochClock();
        var options = new QuantumKanClassifierOptions
        {
            Progress = clock,
            Training = new QuantumKanClassifierOptions().Training with
            {
                Epochs = epochs, BatchSize = batch, EarlyStoppingPatience = 0, ValidateEveryEpochs = 0, Device = device,
            },
        };
        var watch = Stopwatch.StartNew();
        var model = new MLContext(seed: 1).MultiLabelClassification().Trainers.QuantumKan(options).Fit(train, null, classNames);
        double seconds = watch.Elapsed.TotalSeconds;
        var steady = clock.StepSeconds.Skip(1).ToArray();
        double clipsPerSecond = steady.Length > 0 ? train.Count * steady.Length / steady.Sum() : double.NaN;
        double map = eval is null ? double.NaN : TrainingPhase.MeanAveragePrecision(model, eval);
        Console.WriteLine($"{what}: {device}, batch {batch}, {epochs} epochs: {clipsPerSecond:F0} clips/s (epochs 2..), median step {clock.MedianStepMilliseconds():F2} ms, " +
                          $"fit {seconds:F1} s{(eval is null ? "" : $", eval mAP {map:F4} (scored on the CPU)")}");
        return new Dictionary<string, object>
        {
            ["what"] = what, ["device"] = device, ["batch"] = batch, ["epochs"] = epochs, ["clips_per_s"] = clipsPerSecond,
            ["median_step_ms"] = clock.MedianStepMilliseconds(), ["fit_seconds"] = seconds, ["eval_map"] = map,
        };
    }
}
