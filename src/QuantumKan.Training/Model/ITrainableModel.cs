using QuantumKan.Training.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Training.Model;

/// <summary>
/// A network the <see cref="Loop.Trainer"/> can train. The trainer owns the loop, the classification loss, the L2
/// term, the optimizer, the schedule and the checkpoints; the model only maps a batch to logits plus any task-specific
/// auxiliary losses (audio reconstruction, quantum fidelity, normalization penalty, …). A model without class scores
/// (<see cref="HasClassScores"/> false, such as <see cref="QuantumEmbeddingModel"/>) is trained by its own loss
/// components alone.
/// </summary>
/// <remarks>
/// Gradient accumulation reproduces the big-batch gradient exactly for losses that are means over examples. A loss
/// over pairs inside a batch (such as a fidelity contrastive loss) only sees pairs within each micro-batch, so with
/// accumulation it is a (well-behaved) estimate of the big-batch loss, not equal to it.
/// Construct the network inside <c>TorchRuntime.Seeded(seed, …)</c> so its initialization is reproducible even when
/// other trainings run in the same process; the trainer seeds torch again at the start of <c>Fit</c> for dropout.
/// </remarks>
public interface ITrainableModel
{
    /// <summary>
    /// The module that holds every trainable parameter and buffer. The trainer moves it to the device, switches
    /// train/eval mode, optimizes <c>parameters()</c> and saves its state dict in checkpoints.
    /// </summary>
    nn.Module Module { get; }

    /// <summary>
    /// Runs the network on one batch. Called in train mode with autograd on during training, and in eval mode under
    /// <c>no_grad</c> during validation. Create tensors normally: the caller's dispose scope collects them.
    /// </summary>
    /// <param name="batch">Features <c>[B, ..shape]</c> and labels <c>[B, classes]</c> on the training device.</param>
    /// <returns>Logits <c>[B, classes]</c> and the unweighted auxiliary losses (scalars, each a mean over the batch).</returns>
    ModelOutput Forward(TrainingBatch batch);

    /// <summary>
    /// Whether <see cref="Forward"/> returns class scores. When false the trainer adds no classification loss, and
    /// validation reports the weighted loss (the default monitored metric) and the model's <see cref="ModelOutput.Metrics"/>
    /// instead of the task's classification metrics. Default true.
    /// </summary>
    bool HasClassScores => true;
}

/// <summary>The result of <see cref="ITrainableModel.Forward"/> for one batch.</summary>
public sealed class ModelOutput
{
    /// <summary>Creates an output from logits and optional auxiliary losses keyed by component name (see <see cref="LossComponents"/>).</summary>
    /// <param name="logits">Unnormalized class scores, <c>[B, classes]</c>; null for a model without class scores.</param>
    /// <param name="auxiliaryLosses">Scalar losses, each a mean over the batch and not yet weighted; null for none.</param>
    /// <param name="targets">
    /// The labels the classification loss should use instead of the batch's, <c>[B, classes]</c> (e.g. mixup's mixed
    /// targets); null to use the batch's labels.
    /// </param>
    /// <param name="metrics">
    /// Scalar diagnostics of the batch that are reported but never optimized (each a mean over the batch; NaN where
    /// undefined for this batch, which leaves it out of the averages); null for none.
    /// </param>
    public ModelOutput(Tensor? logits, IReadOnlyDictionary<string, Tensor>? auxiliaryLosses = null, Tensor? targets = null,
        IReadOnlyDictionary<string, Tensor>? metrics = null)
    {
        Targets = targets;
        Logits = logits;
        AuxiliaryLosses = auxiliaryLosses ?? new Dictionary<string, Tensor>();
        Metrics = metrics ?? new Dictionary<string, Tensor>();
        if (logits is null && AuxiliaryLosses.Count == 0)
            throw new ArgumentException("A model without class scores must return at least one loss component.", nameof(auxiliaryLosses));
        foreach (var (name, value) in Metrics)
        {
            if (value.numel() != 1)
                throw new ArgumentException($"Metric '{name}' has shape [{string.Join(", ", value.shape)}]; it must be a scalar.", nameof(metrics));
        }
        foreach (var (name, value) in AuxiliaryLosses)
        {
            if (name is LossComponents.Classification or LossComponents.L2)
                throw new ArgumentException($"'{name}' is computed by the trainer; a model must not return it as an auxiliary loss.", nameof(auxiliaryLosses));
            if (value.numel() != 1)
                throw new ArgumentException($"Auxiliary loss '{name}' has shape [{string.Join(", ", value.shape)}]; it must be a scalar.", nameof(auxiliaryLosses));
        }
    }

    /// <summary>Unnormalized class scores, <c>[B, classes]</c>; null for a model without class scores.</summary>
    public Tensor? Logits { get; }

    /// <summary>Labels for the classification loss in place of the batch's; null for the batch's own.</summary>
    public Tensor? Targets { get; }

    /// <summary>Unweighted scalar auxiliary losses by component name.</summary>
    public IReadOnlyDictionary<string, Tensor> AuxiliaryLosses { get; }

    /// <summary>Scalar diagnostics by name, reported per epoch and per validation beside the losses, never optimized.</summary>
    public IReadOnlyDictionary<string, Tensor> Metrics { get; }
}
