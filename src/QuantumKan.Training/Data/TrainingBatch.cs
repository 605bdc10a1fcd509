using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Training.Data;

/// <summary>
/// One mini-batch on the training device. The tensors belong to the dispose scope that was open when the batch was
/// read (the loop opens one per micro-batch), so models must not keep them beyond <see cref="Model.ITrainableModel.Forward"/>.
/// </summary>
/// <param name="Features">Float32 features, <c>[batch, ..FeatureShape]</c> (e.g. <c>[B, mels, frames]</c>).</param>
/// <param name="Labels">Float32 label vectors, <c>[batch, classes]</c>: multi-hot (multi-label) or one-hot (multiclass).</param>
/// <param name="Indices">The source index of each row, in batch order.</param>
public sealed record TrainingBatch(Tensor Features, Tensor Labels, IReadOnlyList<int> Indices)
{
    /// <summary>The number of examples in the batch.</summary>
    public int Size => Indices.Count;

    /// <summary>
    /// A seed for the batch's own random draws (augmentation), a pure function of the run's seed, global step and
    /// micro-batch: a model seeds a private generator with it, so its draws neither depend on nor disturb anything else
    /// drawing in the process, and a resumed run repeats them exactly. 0 outside training.
    /// </summary>
    public long RandomSeed { get; init; }
}
