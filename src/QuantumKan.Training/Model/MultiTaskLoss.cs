using QuantumKan.Core;
using QuantumKan.Training.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Training.Model;

/// <summary>
/// Combines the classification loss (computed here from logits and labels, for a model with class scores), the
/// optional L2 term and the model's auxiliary losses into total = Σ wᵢ·Lᵢ, keeping each unweighted component for reporting.
/// </summary>
public sealed class MultiTaskLoss
{
    private readonly LossWeights _weights;
    private readonly ClassificationTask _task;

    /// <summary>Creates the loss for a task with the given component weights.</summary>
    public MultiTaskLoss(ClassificationTask task, LossWeights weights)
    {
        _weights = weights ?? throw new ArgumentNullException(nameof(weights));
        _weights.Validate();
        _task = task;
    }

    /// <summary>Computes the weighted total and every component for one batch.</summary>
    /// <param name="output">The model's logits <c>[B, C]</c> (or none) and auxiliary losses.</param>
    /// <param name="batch">The batch, for its labels <c>[B, C]</c>.</param>
    /// <param name="parameters">The trainable parameters, for the L2 term (enumerated only when its weight is non-zero).</param>
    public LossBreakdown Compute(ModelOutput output, TrainingBatch batch, IEnumerable<Tensor> parameters)
    {
        var components = new Dictionary<string, Tensor>();
        if (output.Logits is { } logits)
        {
            if (logits.ndim != 2 || logits.shape[0] != batch.Size || logits.shape[1] != batch.Labels.shape[1])
                throw new InvalidOperationException(
                    $"The model returned logits of shape [{string.Join(", ", logits.shape)}]; expected [{batch.Size}, {batch.Labels.shape[1]}] (batch, classes).");
            var labels = output.Targets ?? batch.Labels;
            components[LossComponents.Classification] = ClassificationLoss(logits, labels.to_type(logits.dtype));
        }
        if (_weights.L2 > 0)
            components[LossComponents.L2] = SumOfSquares(parameters);
        foreach (var (name, value) in output.AuxiliaryLosses)
            components[name] = value;

        Tensor? total = null;
        foreach (var (name, value) in components)
        {
            double w = _weights.For(name);
            if (w == 0) continue;
            var term = value.Times(w);
            total = total is null ? term : total.Plus(term);
        }
        var like = output.Logits ?? batch.Labels;
        return new LossBreakdown(total ?? torch.zeros(1, like.dtype, like.device).squeeze(), components);
    }

    /// <summary>The classification loss alone, mean over the batch.</summary>
    public Tensor ClassificationLoss(Tensor logits, Tensor labels) => _task switch
    {
        ClassificationTask.MultiLabel => nn.functional.binary_cross_entropy_with_logits(logits, labels),
        // −Σ y·log softmax(z), mean over the batch: cross-entropy for one-hot labels, and also correct for soft labels.
        _ => -(labels * nn.functional.log_softmax(logits, 1)).sum(1).mean(),
    };

    private static Tensor SumOfSquares(IEnumerable<Tensor> parameters)
    {
        Tensor? sum = null;
        foreach (var p in parameters)
        {
            var s = p.Squared().sum();
            sum = sum is null ? s : sum.Plus(s);
        }
        return sum ?? torch.zeros(1).squeeze();
    }
}

/// <summary>One batch's loss: the weighted total to optimize and the unweighted components to report.</summary>
/// <param name="Total">Σ wᵢ·Lᵢ, a scalar tensor.</param>
/// <param name="Components">Each component, unweighted, as a scalar tensor.</param>
public sealed record LossBreakdown(Tensor Total, IReadOnlyDictionary<string, Tensor> Components)
{
    /// <summary>
    /// Every component's value and the total's (under <see cref="LossComponents.Total"/>), read back to the host in one
    /// copy: on a GPU each separate read is a device synchronization, and the trainer reports all of them every step.
    /// </summary>
    public IReadOnlyList<(string Name, double Value)> ReadValues() =>
        ReadScalars(Components.Append(new KeyValuePair<string, Tensor>(LossComponents.Total, Total)));

    /// <summary>Reads named scalar tensors back to the host as float64, in one copy.</summary>
    internal static IReadOnlyList<(string Name, double Value)> ReadScalars(IEnumerable<KeyValuePair<string, Tensor>> named)
    {
        using var scope = NewDisposeScope();
        var pairs = named.ToArray();
        if (pairs.Length == 0)
            return [];
        var scalars = pairs.Select(kv => kv.Value.detach().reshape(1).to(ScalarType.Float64)).ToArray();
        var values = cat(scalars).cpu().data<double>().ToArray();
        return pairs.Select((kv, i) => (kv.Key, values[i])).ToArray();
    }
}
