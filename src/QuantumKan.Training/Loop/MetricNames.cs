using QuantumKan.Training.Model;

namespace QuantumKan.Training.Loop;

/// <summary>The names of validation metrics, as reported and as accepted by <see cref="TrainerOptions.MonitorMetric"/>.</summary>
public static class MetricNames
{
    /// <summary>Multi-label mean average precision (higher is better).</summary>
    public const string MeanAveragePrecision = "mAP";

    /// <summary>Multi-label d′ = √2·Φ⁻¹(mean AUC) (higher is better).</summary>
    public const string DPrime = "d_prime";

    /// <summary>Multi-label mean ROC AUC (higher is better).</summary>
    public const string MeanAuc = "mean_auc";

    /// <summary>Label-weighted label-ranking average precision (higher is better).</summary>
    public const string Lwlrap = "lwlrap";

    /// <summary>Multiclass accuracy (higher is better).</summary>
    public const string Accuracy = "accuracy";

    /// <summary>Multiclass macro-averaged F1 (higher is better).</summary>
    public const string MacroF1 = "macro_f1";

    /// <summary>Multiclass log-loss in nats (lower is better).</summary>
    public const string LogLoss = "log_loss";

    /// <summary>The weighted total validation loss (lower is better).</summary>
    public const string Loss = "loss";

    /// <summary>Every metric name.</summary>
    public static IReadOnlyList<string> All { get; } = [MeanAveragePrecision, DPrime, MeanAuc, Lwlrap, Accuracy, MacroF1, LogLoss, Loss];

    /// <summary>Whether <paramref name="name"/> is a metric name.</summary>
    public static bool IsKnown(string name) => All.Contains(name);

    /// <summary>Whether larger values of the metric are better.</summary>
    public static bool HigherIsBetter(string name) => name is not (LogLoss or Loss);

    /// <summary>
    /// Whether validation of a <paramref name="task"/> reports the metric <paramref name="name"/>; a model without
    /// class scores (<paramref name="hasClassScores"/> false) reports only <see cref="Loss"/> among these.
    /// </summary>
    public static bool AppliesTo(string name, ClassificationTask task, bool hasClassScores = true) => name switch
    {
        Loss => true,
        _ when !hasClassScores => false,
        Accuracy or MacroF1 or LogLoss => task == ClassificationTask.Multiclass,
        _ => task == ClassificationTask.MultiLabel,
    };

    /// <summary>The metric monitored when none is configured: <see cref="Loss"/> for a model without class scores.</summary>
    public static string DefaultFor(ClassificationTask task, bool hasClassScores = true) =>
        !hasClassScores ? Loss : task == ClassificationTask.MultiLabel ? MeanAveragePrecision : Accuracy;
}
