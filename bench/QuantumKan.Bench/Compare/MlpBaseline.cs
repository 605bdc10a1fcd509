using System.Diagnostics;
using QuantumKan.ML.Classification;
using QuantumKan.Training.Data;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Metrics;
using QuantumKan.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Bench.Compare;

/// <summary>
/// The trainer issue's quality baseline: a plain MLP (standardize → D → H → H → C with SiLU) whose parameter count
/// matches the QuantumKan network's, trained by the same <see cref="Trainer"/> (AdamW, warmup + cosine, clipping, batch
/// 32, same epochs) on the same features with the classification loss alone, then scored on the same eval clips.
/// </summary>
internal sealed class MlpBaseline : nn.Module, ITrainableModel
{
    private readonly Tensor input_mean;
    private readonly Tensor input_scale;
    private readonly nn.Module<Tensor, Tensor> layers;

    public MlpBaseline(int inputs, int hidden, int classes, float[] mean, float[] std) : base(nameof(MlpBaseline))
    {
        input_mean = tensor(mean);
        input_scale = tensor(std.Select(s => s > 1e-8f ? 1f / s : 1f).ToArray());
        layers = nn.Sequential(nn.Linear(inputs, hidden), nn.SiLU(), nn.Linear(hidden, hidden), nn.SiLU(), nn.Linear(hidden, classes));
        register_buffer(nameof(input_mean), input_mean);
        register_buffer(nameof(input_scale), input_scale);
        RegisterComponents();
    }

    public nn.Module Module => this;

    public ModelOutput Forward(TrainingBatch batch) => new(Logits(batch.Features));

    private Tensor Logits(Tensor features) => layers.call((features - input_mean) * input_scale);

    /// <summary>The hidden width H whose MLP has the parameter count closest to <paramref name="target"/>.</summary>
    public static int HiddenWidthFor(long target, int inputs, int classes)
    {
        // P(H) = D·H + H + H² + H + H·C + C; solve H² + (D + C + 2)·H + C − P = 0.
        double b = inputs + classes + 2, c = classes - target;
        return Math.Max(1, (int)Math.Round((-b + Math.Sqrt(b * b - 4 * c)) / 2));
    }

    public static long ParameterCount(int inputs, int hidden, int classes) =>
        (long)inputs * hidden + hidden + (long)hidden * hidden + hidden + (long)hidden * classes + classes;

    public static void Run(InMemoryFeatureSource train, InMemoryFeatureSource eval, int targetParameters, int epochs, int batch, long seed,
        Dictionary<string, object> result)
    {
        int d = train.FeatureSize, classes = train.LabelSize;
        int hidden = HiddenWidthFor(targetParameters, d, classes);
        var (mean, std) = FeatureStatistics.MeanAndStd(train); // what the QuantumKan trainer standardizes with
        random.manual_seed(seed);
        using var mlp = new MlpBaseline(d, hidden, classes, mean, std);
        var options = new QuantumKanClassifierOptions().Training with
        {
            Epochs = epochs, BatchSize = batch, EarlyStoppingPatience = 0, ValidateEveryEpochs = 0, Seed = seed,
            LossWeights = new LossWeights(), // classification only: the MLP has no auxiliary tasks
        };
        var watch = Stopwatch.StartNew();
        new Trainer(mlp, ClassificationTask.MultiLabel, options).Fit(train);
        double seconds = watch.Elapsed.TotalSeconds;
        mlp.eval();
        float[] scores;
        using (no_grad())
        using (var scope = NewDisposeScope())
            scores = mlp.Logits(tensor(TrainingPhase.EvalFeatures(eval), [eval.Count, d])).sigmoid().data<float>().ToArray();
        result["quality_mlp"] = new Dictionary<string, object>
        {
            ["model"] = $"MLP {d}-{hidden}-{hidden}-{classes} (SiLU)", ["parameters"] = ParameterCount(d, hidden, classes),
            ["eval_map"] = MultiLabelEvaluation.Evaluate(scores, TrainingPhase.EvalLabels(eval), classes).MeanAveragePrecision,
            ["epochs"] = epochs, ["fit_seconds"] = seconds,
        };
    }
}
