using QuantumKan.Core;
using QuantumKan.Nn.Losses;
using QuantumKan.Nn.Network;
using QuantumKan.Training.Data;
using static TorchSharp.torch;

namespace QuantumKan.Training.Model;

/// <summary>
/// Plugs a <see cref="QuantumKanNetwork"/> into the <see cref="Loop.Trainer"/>: one forward pass yields the logits and
/// the network's own auxiliary losses (reconstruction, fidelity contrastive, normalization); the trainer adds the
/// classification and L2 terms and weights everything (<see cref="LossWeights"/>).
/// </summary>
public sealed class QuantumKanModel : ITrainableModel
{
    private readonly FidelityContrastiveLoss _contrastive;
    private readonly NormalizationPenalty _normalization;

    private readonly bool _multiLabel;

    /// <summary>Wraps a network.</summary>
    /// <param name="network">The network.</param>
    /// <param name="task">The task (mixup's targets differ between multi-label and multiclass). Default multi-label.</param>
    public QuantumKanModel(QuantumKanNetwork network, ClassificationTask task = ClassificationTask.MultiLabel)
    {
        Network = network ?? throw new ArgumentNullException(nameof(network));
        _multiLabel = task == ClassificationTask.MultiLabel;
        _contrastive = new FidelityContrastiveLoss(network.Options.ContrastiveMargin, network.Options.ContrastiveTarget);
        _normalization = new NormalizationPenalty(network.Embedding.Grid.Spacing);
    }

    /// <summary>The wrapped network.</summary>
    public QuantumKanNetwork Network { get; }

    /// <inheritdoc />
    public TorchSharp.torch.nn.Module Module => Network;

    /// <inheritdoc />
    public ModelOutput Forward(TrainingBatch batch)
    {
        // The network takes flat feature vectors; a source with a shaped layout (the feature cache's [segments, statistics,
        // mels] or [frames, mels] patches) is read row-major, so flattening each example keeps its values in order.
        var (o, targets) = Network.HasEncoder ? ForwardFrames(batch) : (Network.ForwardAll(Flatten(batch), skipKeep: SkipKeep(batch, null)), null);
        var aux = new Dictionary<string, Tensor>
        {
            [LossComponents.AudioReconstruction] = nn.functional.mse_loss(o.Reconstruction, o.StandardizedInput),
            [LossComponents.QuantumFidelity] = _contrastive.call(ContrastedFidelity(o.State), targets ?? batch.Labels),
        };
        int samples = Math.Min(Network.Options.NormalizationSamples, batch.Size);
        if (samples > 0)
        {
            // The penalty's definition samples B·M·N values of |ψ|²; a few samples per batch keep it cheap. The packets
            // are closed-form, so |ψ|² comes straight from α (Wavefunction.Density), without the phase's cos and sin.
            var density = Nn.Quantum.Wavefunction.Density(o.State.Alpha[..samples], Network.Embedding.Grid); // (S, M, N)
            aux[LossComponents.Normalization] = _normalization.FromDensity(density);
        }
        return new ModelOutput(o.Logits, aux, targets);
    }

    private static Tensor Flatten(TrainingBatch batch) =>
        batch.Features.dim() == 2 ? batch.Features : batch.Features.reshape(batch.Size, -1); // (B, D)

    // Frames (B, T, M): in training mode with augmentation on (draws seeded by the batch's RandomSeed), gain on the raw log-mel, then shift, masks and mixup on
    // the standardized frames; the mixed targets replace the batch labels for every loss that reads labels.
    private (NetworkOutputs Outputs, Tensor? Targets) ForwardFrames(TrainingBatch batch)
    {
        var augmentation = Network.Options.Augmentation;
        if (!Network.training || !augmentation.IsEnabled)
            return (Network.ForwardAll(batch.Features, skipKeep: SkipKeep(batch, null)), null);
        // A private generator seeded from the batch: no draw on torch's global generator, which other trainings share.
        using var generator = new TorchSharp.torch.Generator((ulong)batch.RandomSeed, batch.Features.device);
        var frames = Network.StandardizeFrames(Nn.Encoders.FrameAugmentation.RandomGain(batch.Features, augmentation.GainDb, generator));
        var (augmented, targets) = Nn.Encoders.FrameAugmentation.Apply(frames, batch.Labels, augmentation, _multiLabel, generator);
        return (Network.ForwardAll(batch.Features, standardizedFrames: augmented, skipKeep: SkipKeep(batch, generator)), targets);
    }

    // Skip dropout (HeadInput.StateAndClip, training only): (B, 1) keep factors drawn after the augmentation's draws from
    // the same batch-seeded generator, or from a fresh one seeded by the batch when nothing else draws; null when off.
    private Tensor? SkipKeep(TrainingBatch batch, TorchSharp.torch.Generator? generator)
    {
        var options = Network.Options;
        if (!Network.training || options.HeadInput != HeadInput.StateAndClip || options.SkipDropout <= 0 || options.ClassifierHead != ClassifierHead.QuantumKan)
            return null;
        using var own = generator is null ? new TorchSharp.torch.Generator((ulong)batch.RandomSeed, batch.Features.device) : null;
        var draw = rand([batch.Size, 1], generator: generator ?? own, device: batch.Features.device);
        return draw.GreaterThan(options.SkipDropout).to(batch.Features.dtype);
    }

    // (B, B) fidelities for the contrastive task: of the product state, or per mode (log-fidelity / M).
    private Tensor ContrastedFidelity(Nn.Quantum.CoherentStateParameters state)
    {
        var logF = Network.Embedding.PairwiseLogFidelity(state);
        return (Network.Options.ContrastiveFidelity == ContrastiveFidelity.PerMode ? logF.DividedBy(state.Modes) : logF).exp();
    }
}
