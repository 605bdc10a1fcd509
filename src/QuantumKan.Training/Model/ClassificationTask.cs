namespace QuantumKan.Training.Model;

/// <summary>
/// What a QuantumKan classifier predicts, which picks the classification loss, the output activation and the validation
/// metrics. The one task enum of the trainer, the ML.NET classifier and the CLI's <c>--task</c>.
/// </summary>
/// <remarks>
/// Persisted by member name (model zips' <c>Header</c> section and checkpoint metadata write <c>"MultiLabel"</c> or
/// <c>"Multiclass"</c>); never rename a member.
/// </remarks>
public enum ClassificationTask
{
    /// <summary>Any subset of the classes per clip (FSD50K): multi-hot labels; sigmoid BCE; metrics mAP, d′, lwlrap.</summary>
    MultiLabel,

    /// <summary>Exactly one class per clip: one-hot labels; softmax cross-entropy; metrics accuracy, macro-F1, log-loss.</summary>
    Multiclass,
}
