using System.Diagnostics;
using Microsoft.ML;
using QuantumKan.ML.Classification;
using QuantumKan.Training.Data;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Metrics;

namespace QuantumKan.Bench.Compare;

/// <summary>
/// Trains the default QuantumKan classifier through its ML.NET trainer on precomputed features (batch 32, the
/// classifier's default multi-task weights, no validation), timing every epoch from the trainer's own reports, then
/// scores the eval clips (held-out mAP).
/// </summary>
internal static class TrainingPhase
{
    public static QuantumKanClassifierTransformer Run(MLContext ml, InMemoryFeatureSource train, InMemoryFeatureSource eval,
        IReadOnlyList<string> classNames, int epochs, int batch, Dictionary<string, object> result)
    {
        var clock = new EpochClock();
        var options = new QuantumKanClassifierOptions
        {
            Progress = clock,
            Training = new QuantumKanClassifierOptions().Training with
            {
                Epochs = epochs, BatchSize = batch, EarlyStoppingPatience = 0, ValidateEveryEpochs = 0,
            },
        };
        var trainer = ml.MultiLabelClassification().Trainers.QuantumKan(options);
        ProcessMemory.ResetPeak();
        var watch = Stopwatch.StartNew();
        var model = trainer.Fit(train, null, classNames);
        double fitSeconds = watch.Elapsed.TotalSeconds;
        int parameters = ParameterCount(model, train.FeatureSize, classNames.Count);
        var steady = clock.StepSeconds.Skip(1).ToArray(); // epoch 1 warms the JIT and the allocator
        var withCheckpoints = clock.EpochSeconds.Skip(1).ToArray();
        result["train"] = new Dictionary<string, object>
        {
            ["parameters"] = parameters, ["threads"] = TorchSharp.torch.get_num_threads(), ["batch"] = batch, ["epochs"] = epochs,
            ["clips"] = train.Count,
            ["clips_per_s"] = train.Count * steady.Length / steady.Sum(),
            ["clips_per_s_with_checkpoints"] = train.Count * withCheckpoints.Length / withCheckpoints.Sum(),
            ["median_step_ms"] = clock.MedianStepMilliseconds(),
            ["fit_seconds"] = fitSeconds, ["peak_rss_mb"] = ProcessMemory.PeakRssMb(),
            ["final_loss"] = clock.LastLosses,
        };
        result["quality"] = new Dictionary<string, object>
        {
            ["model"] = "QuantumKan", ["eval_map"] = MeanAveragePrecision(model, eval),
            ["epochs"] = epochs, ["eval_clips"] = eval.Count,
        };
        return model;
    }

    /// <summary>The trainable parameters of the model's architecture (a fresh network of the same options has the same count).</summary>
    internal static int ParameterCount(QuantumKanClassifierTransformer model, int features, int classes)
    {
        using var network = new QuantumKan.Nn.Network.QuantumKanNetwork(features, classes, model.NetworkOptions);
        return (int)network.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
    }

    /// <summary>The model's mAP over every example of <paramref name="source"/>.</summary>
    internal static double MeanAveragePrecision(QuantumKanClassifierTransformer model, IFeatureSource source) =>
        MultiLabelEvaluation.Evaluate(model.PredictBatch(EvalFeatures(source), source.Count), EvalLabels(source), source.LabelSize).MeanAveragePrecision;

    internal static float[] EvalFeatures(IFeatureSource source)
    {
        var values = new float[source.Count * source.FeatureSize];
        for (int i = 0; i < source.Count; i++)
            source.ReadFeatures(i, values.AsSpan(i * source.FeatureSize, source.FeatureSize));
        return values;
    }

    internal static float[] EvalLabels(IFeatureSource source)
    {
        var values = new float[source.Count * source.LabelSize];
        for (int i = 0; i < source.Count; i++)
            source.ReadLabels(i, values.AsSpan(i * source.LabelSize, source.LabelSize));
        return values;
    }

    /// <summary>
    /// Times each epoch's steps from the trainer's synchronous reports: from the checkpoint that ends epoch e − 1 (or
    /// the first report) to the <see cref="EpochReport"/> of epoch e, which is the step work alone; and from checkpoint
    /// to checkpoint, which adds the in-memory end-of-epoch checkpoint.
    /// </summary>
    internal sealed class EpochClock : IProgress<TrainingReport>
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly List<double> _stepDurations = [];
        private double _lastCheckpoint = double.NaN, _lastStep = double.NaN;

        public List<double> StepSeconds { get; } = [];

        public List<double> EpochSeconds { get; } = [];

        public IReadOnlyDictionary<string, double> LastLosses { get; private set; } = new Dictionary<string, double>();

        public void Report(TrainingReport value)
        {
            double now = _watch.Elapsed.TotalSeconds;
            switch (value)
            {
                case StepReport step:
                    if (!double.IsNaN(_lastStep))
                        _stepDurations.Add(now - _lastStep);
                    _lastStep = now;
                    LastLosses = step.Losses;
                    break;
                case EpochReport when !double.IsNaN(_lastCheckpoint):
                    StepSeconds.Add(now - _lastCheckpoint);
                    break;
                case CheckpointReport { Kind: "last" }:
                    if (!double.IsNaN(_lastCheckpoint) && StepSeconds.Count > EpochSeconds.Count)
                        EpochSeconds.Add(now - _lastCheckpoint);
                    _lastCheckpoint = now;
                    _lastStep = double.NaN; // the next step's interval would include the checkpoint
                    break;
            }
        }

        public double MedianStepMilliseconds()
        {
            if (_stepDurations.Count == 0)
                return double.NaN;
            var sorted = _stepDurations.Order().ToArray();
            return sorted[sorted.Length / 2] * 1e3;
        }
    }
}
