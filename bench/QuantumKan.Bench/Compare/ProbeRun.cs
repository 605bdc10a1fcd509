using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML;
using QuantumKan.Core;
using QuantumKan.ML.Classification;
using QuantumKan.Nn.Kan;
using QuantumKan.Nn.Network;
using QuantumKan.Nn.Quantum;
using QuantumKan.Training.Data;
using QuantumKan.Training.Metrics;
using QuantumKan.Training.Model;

namespace QuantumKan.Bench.Compare;

/// <summary>
/// The option probe behind the network's defaults: on bench/run.sh's data set and featurization, trains the classifier
/// (ML.NET trainer, batch 32, no validation) once per network variant and seed, and the same-size MLP once per seed,
/// then prints held-out and training mAP for each. <c>QuantumKanNetworkOptions</c> cites this table.
/// </summary>
internal static class ProbeRun
{
    private sealed record Variant(string Name, QuantumKanNetworkOptions Network, LossWeights Weights, double? WeightDecay = null);

    private static QuantumKanNetworkOptions Net(int modes, int degree, ContrastiveFidelity fidelity) => new()
    {
        Embedding = new QuantumFieldEmbeddingOptions { Modes = modes, Extractor = new ChebyshevKanOptions { Degree = degree } },
        ContrastiveFidelity = fidelity,
    };

    private static IEnumerable<Variant> Variants()
    {
        var weights = new LossWeights();
        var noFidelity = weights with { QuantumFidelity = 0 };
        yield return new("defaults", new QuantumKanNetworkOptions(), weights);
        yield return new("original: 16 modes, degree 8, per-mode", Net(16, 8, ContrastiveFidelity.PerMode), weights);
        yield return new("original: 16 modes, degree 8, product", Net(16, 8, ContrastiveFidelity.Product), weights);
        yield return new("16 modes, degree 2, per-mode", Net(16, 2, ContrastiveFidelity.PerMode), weights);
        yield return new("16 modes, degree 3, per-mode", Net(16, 3, ContrastiveFidelity.PerMode), weights);
        yield return new("32 modes, degree 2, per-mode", Net(32, 2, ContrastiveFidelity.PerMode), weights);
        yield return new("32 modes, degree 3, per-mode", Net(32, 3, ContrastiveFidelity.PerMode), weights);
        yield return new("32 modes, degree 2, product", Net(32, 2, ContrastiveFidelity.Product), weights);
        yield return new("32 modes, degree 2, fidelity weight 0", Net(32, 2, ContrastiveFidelity.PerMode), noFidelity);
        yield return new("32 modes, degree 1, per-mode", Net(32, 1, ContrastiveFidelity.PerMode), weights);
        yield return new("32 modes, degree 2, weight decay 0.1", Net(32, 2, ContrastiveFidelity.PerMode), weights, 0.1);
        yield return new("32 modes, degree 2, semantic and head grid 3", Net(32, 2, ContrastiveFidelity.PerMode) with
        {
            Semantic = new BSplineKanOptions { GridSize = 3 }, Head = new BSplineKanOptions { GridSize = 3 },
        }, weights);
        yield return new("32 modes, degree 2, semantic width 128", Net(32, 2, ContrastiveFidelity.PerMode) with { SemanticWidths = [128] }, weights);
        yield return new("32 modes, degree 2, auxiliary weights 1 (the original's)", Net(32, 2, ContrastiveFidelity.PerMode),
            weights with { AudioReconstruction = 1.0, QuantumFidelity = 1.0 });
        yield return new("32 modes, degree 2, auxiliary weights 0.1", Net(32, 2, ContrastiveFidelity.PerMode),
            weights with { AudioReconstruction = 0.1, QuantumFidelity = 0.1 });
        yield return new("32 modes, degree 2, reconstruction weight 1", Net(32, 2, ContrastiveFidelity.PerMode), weights with { AudioReconstruction = 1.0 });
    }

    public static int Execute(string dataPath, string output, int epochs, int seeds, string? only)
    {
        TorchRuntime.EnsureInitialized();
        var data = BenchDataSet.Open(dataPath);
        var (train, eval) = data.FeaturizeAll();
        int d = train.FeatureSize, classes = train.LabelSize;
        Console.WriteLine($"probe: {train.Count} train / {eval.Count} eval clips, {d} features, {classes} classes, {epochs} epochs, seeds 1..{seeds}, {TorchRuntime.IntraOpThreads} threads");
        Console.WriteLine($"| variant | parameters | eval mAP (mean of {seeds}) | train mAP | per seed eval | seconds |");
        Console.WriteLine("|---|---:|---:|---:|---|---:|");
        var rows = new List<Dictionary<string, object>>();
        int parameters = 0;
        foreach (var variant in Variants().Where(v => only is null || v.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
        {
            var evalMaps = new List<double>();
            var trainMaps = new List<double>();
            var watch = Stopwatch.StartNew();
            for (int seed = 1; seed <= seeds; seed++)
            {
                var options = new QuantumKanClassifierOptions
                {
                    Network = variant.Network,
                    Training = new QuantumKanClassifierOptions().Training with
                    {
                        Epochs = epochs, BatchSize = 32, EarlyStoppingPatience = 0, ValidateEveryEpochs = 0, LossWeights = variant.Weights,
                        WeightDecay = variant.WeightDecay ?? new QuantumKanClassifierOptions().Training.WeightDecay,
                    },
                };
                var model = new MLContext(seed: seed).MultiLabelClassification().Trainers.QuantumKan(options).Fit(train, null, data.ClassNames);
                evalMaps.Add(TrainingPhase.MeanAveragePrecision(model, eval));
                trainMaps.Add(TrainingPhase.MeanAveragePrecision(model, train));
                parameters = TrainingPhase.ParameterCount(model, d, classes);
            }
            Report(rows, variant.Name, parameters, evalMaps, trainMaps, watch.Elapsed.TotalSeconds / seeds);
        }

        if (only is null || "mlp".Contains(only, StringComparison.OrdinalIgnoreCase))
        {
            var defaultsParameters = ParameterCountOfDefaults(d, classes);
            var evalMaps = new List<double>();
            var watch = Stopwatch.StartNew();
            string model = "";
            long mlpParameters = 0;
            for (int seed = 1; seed <= seeds; seed++)
            {
                var result = new Dictionary<string, object>();
                MlpBaseline.Run(train, eval, defaultsParameters, epochs, 32, seed, result);
                var quality = (Dictionary<string, object>)result["quality_mlp"];
                evalMaps.Add((double)quality["eval_map"]);
                model = (string)quality["model"];
                mlpParameters = (long)quality["parameters"];
            }
            Report(rows, $"{model}, the defaults' size", (int)mlpParameters, evalMaps, [], watch.Elapsed.TotalSeconds / seeds);
        }
        File.WriteAllText(output, JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    private static int ParameterCountOfDefaults(int features, int classes)
    {
        using var network = new QuantumKanNetwork(features, classes, new QuantumKanNetworkOptions());
        return (int)network.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
    }

    private static void Report(List<Dictionary<string, object>> rows, string name, int parameters, List<double> evalMaps, List<double> trainMaps, double seconds)
    {
        string train = trainMaps.Count > 0 ? trainMaps.Average().ToString("F3") : "—";
        Console.WriteLine($"| {name} | {parameters:N0} | {evalMaps.Average():F3} | {train} | {string.Join(" / ", evalMaps.Select(m => m.ToString("F3")))} | {seconds:F0} |");
        rows.Add(new Dictionary<string, object>
        {
            ["variant"] = name, ["parameters"] = parameters, ["eval_map"] = evalMaps, ["train_map"] = trainMaps, ["seconds_per_seed"] = seconds,
        });
    }
}
