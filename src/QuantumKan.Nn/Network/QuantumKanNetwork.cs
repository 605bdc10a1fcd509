using QuantumKan.Core;
using QuantumKan.Nn.Encoders;
using QuantumKan.Nn.Kan;
using QuantumKan.Nn.Quantum;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Network;

/// <summary>
/// The QuantumKan classifier: features → quantum field embedding → a representation built from the quantum state →
/// B-spline KAN semantic layers → KAN head → logits, with a KAN decoder that rebuilds the (standardized) input features
/// from the same representation (the "audio reconstruction" task).
/// <para>
/// Two input paths. Without an encoder (<see cref="FrameEncoderKind.None"/>) the input is one flat feature vector per
/// clip (B, D), e.g. pooled log-mel statistics, standardized per feature inside the embedding. With a frame encoder the
/// input is log-mel frames (B, T, M): standardized per mel band with training statistics, encoded by the
/// <see cref="FrameEncoder"/> into a clip vector, layer-normalized, then embedded. The reconstruction target is then
/// the standardized frames' per-band mean and standard deviation over the valid frames (2M values): a summary of the
/// whole clip that does not depend on its length or on where a crop started, so the auxiliary task stays cheap and
/// well defined for clips of any length.
/// </para>
/// <para>
/// The representation never bypasses the state: it is the state's own parameters, normalized to [−1, 1]
/// (α/α_max, β/β_max, cos γ, sin γ — the phase enters through the point on the unit circle, so ±π are the same state),
/// followed by the Born-rule fidelities of the state to K learned reference states. Width 4M + K.
/// </para>
/// </summary>
public sealed class QuantumKanNetwork : nn.Module<Tensor, Tensor>
{
    // Field names equal component names so TorchSharp's .to() swaps moved tensors into them.
    private readonly FrameEncoder? frame_encoder;
    private readonly LayerNorm? encoder_norm;
    private Tensor? frame_mean;   // (M) buffer, encoder path only
    private Tensor? frame_scale;  // (M) buffer: 1/std, or 1 for constant bands
    private readonly QuantumFieldEmbedding embedding;
    private readonly KanNetwork? semantic;   // null with no semantic widths: the head reads the representation directly
    private readonly LayerNorm? head_norm;
    private readonly KanLayer head;
    private readonly KanLayer decoder;
    private readonly Sequential? baseline_head;

    /// <summary>Builds the network.</summary>
    /// <param name="inFeatures">Input feature width D, or the mel bands M per frame when the options select an encoder.</param>
    /// <param name="classes">Number of classes C (logits).</param>
    /// <param name="options">Architecture; default <see cref="QuantumKanNetworkOptions"/> (encoder kind Auto builds no encoder here).</param>
    public QuantumKanNetwork(int inFeatures, int classes, QuantumKanNetworkOptions? options = null) : base(nameof(QuantumKanNetwork))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        Options = options ?? new QuantumKanNetworkOptions();
        Options.Validate();
        // Built directly, the network cannot see its input: Auto means the encoder-free network (the trainers resolve Auto
        // from the data before they build one). The options kept, and saved, name the resolved kind.
        Options = Options.ResolveEncoder(inputIsFrames: false);
        InFeatures = inFeatures;
        Classes = classes;
        int clipWidth = inFeatures;
        if (Options.Encoder.IsEnabled)
        {
            frame_encoder = FrameEncoder.Create(inFeatures, Options.Encoder);
            clipWidth = frame_encoder.OutputSize;
            encoder_norm = nn.LayerNorm(clipWidth);
            frame_mean = zeros(inFeatures).DetachFromDisposeScope();
            frame_scale = ones(inFeatures).DetachFromDisposeScope();
        }
        embedding = new QuantumFieldEmbedding(clipWidth, Options.Embedding);
        RepresentationSize = 4 * embedding.Modes + Options.Embedding.ReferenceStates;
        HeadInputSize = RepresentationSize + (Options.HeadInput == HeadInput.StateAndClip ? clipWidth : 0);
        int[] widths = [HeadInputSize, .. Options.SemanticWidths!];
        semantic = widths.Length > 1 ? new KanNetwork(widths, Options.Semantic, Options.LayerNorm) : null;
        head_norm = Options.LayerNorm ? nn.LayerNorm(widths[^1]) : null;
        head = KanLayer.Create(widths[^1], classes, Options.Head);
        if (Options.ClassifierHead != ClassifierHead.QuantumKan)
        {
            baseline_head = Options.ClassifierHead == ClassifierHead.Linear
                ? nn.Sequential(("linear", nn.Linear(clipWidth, classes)))
                : nn.Sequential(("hidden", nn.Linear(clipWidth, Options.MlpHiddenWidth)), ("relu", nn.ReLU()), ("output", nn.Linear(Options.MlpHiddenWidth, classes)));
        }
        decoder = KanLayer.Create(RepresentationSize, HasEncoder ? 2 * inFeatures : inFeatures, Options.Decoder);
        RegisterComponents();
    }

    /// <summary>The architecture options.</summary>
    public QuantumKanNetworkOptions Options { get; }

    /// <summary>Input feature width D, or mel bands M per frame with an encoder.</summary>
    public int InFeatures { get; }

    /// <summary>Whether the input is frames (B, T, M) read by a frame encoder.</summary>
    public bool HasEncoder => frame_encoder is not null;

    /// <summary>The frame encoder, or null on the pooled path.</summary>
    public FrameEncoder? Encoder => frame_encoder;

    /// <summary>
    /// Sets the per-band standardization of the encoder path's frames, <c>(x − mean)/std</c>, from training statistics;
    /// bands with std ≤ 1e-8 are only centred. Stored as buffers, so it is saved with the weights. Without an encoder,
    /// the statistics are the embedding's per-feature standardization.
    /// </summary>
    /// <param name="mean">(M) band means, or (D) feature means.</param>
    /// <param name="std">(M) band standard deviations, or (D) feature standard deviations.</param>
    public void SetInputStandardization(Tensor mean, Tensor std)
    {
        if (!HasEncoder)
        {
            embedding.SetInputStandardization(mean, std);
            return;
        }
        if (mean.shape.Length != 1 || mean.shape[0] != InFeatures || !mean.shape.SequenceEqual(std.shape))
            throw new ArgumentException($"Band statistics must both be ({InFeatures}); got ({string.Join(", ", mean.shape)}) and ({string.Join(", ", std.shape)}).");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var s = std.to(frame_scale!.dtype).to(frame_scale.device);
        frame_mean!.copy_(mean.to(frame_mean.dtype).to(frame_mean.device));
        frame_scale.copy_(where(s.GreaterThan(1e-8), s.reciprocal(), ones_like(s)));
    }

    /// <summary>Standardizes frames (B, T, M) per band (encoder path).</summary>
    public Tensor StandardizeFrames(Tensor frames) => (frames - frame_mean!) * frame_scale!;

    /// <summary>Number of classes C.</summary>
    public int Classes { get; }

    /// <summary>Width of the representation built from the quantum state, 4M + K.</summary>
    public int RepresentationSize { get; }

    /// <summary>
    /// Width of what the semantic KAN layers read: <see cref="RepresentationSize"/>, plus the clip vector's width with
    /// <see cref="HeadInput.StateAndClip"/>.
    /// </summary>
    public int HeadInputSize { get; }

    /// <summary>The quantum field embedding (for similarity search and the quantum losses).</summary>
    public QuantumFieldEmbedding Embedding => embedding;

    /// <summary>Logits: features (B, D), or frames (B, T, M) with an encoder → (B, C).</summary>
    public override Tensor forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        var clip = ClipVector(features, null, out var target);
        var state = embedding.Encode(clip);
        return Logits(clip, target, state).MoveToOuterDisposeScope();
    }

    /// <summary>Inference: logits (B, C) and the state α, β, γ (B, M) from one pass over features (B, D) or frames (B, T, M).</summary>
    /// <param name="features">Features or frames.</param>
    /// <param name="lengths">Valid frames per clip (B) int64 for a padded batch of frames; null when nothing is padded.</param>
    public (Tensor Logits, CoherentStateParameters State) ForwardWithState(Tensor features, Tensor? lengths = null)
    {
        var clip = ClipVector(features, lengths, out var target);
        var state = embedding.Encode(clip);
        return (Logits(clip, target, state), state);
    }

    /// <summary>Everything one training step needs, from one pass: features (B, D), or frames (B, T, M) with an encoder.</summary>
    /// <param name="features">Features or (raw, unstandardized) frames.</param>
    /// <param name="lengths">Valid frames per clip for a padded batch; null when nothing is padded.</param>
    /// <param name="standardizedFrames">
    /// Frames the caller already standardized and augmented (training-time augmentation works on standardized frames);
    /// when given, <paramref name="features"/> is ignored on the encoder path.
    /// </param>
    /// <param name="skipKeep">
    /// With <see cref="HeadInput.StateAndClip"/>: (B, 1) factors, 0 or 1, applied to the skip's clip vector per example
    /// (training-time skip dropout); null keeps every clip vector.
    /// </param>
    public NetworkOutputs ForwardAll(Tensor features, Tensor? lengths = null, Tensor? standardizedFrames = null, Tensor? skipKeep = null)
    {
        var clip = ClipVector(standardizedFrames ?? features, lengths, out var target, standardizedFrames is not null); // (B, D')
        var state = embedding.Encode(clip);                    // α, β, γ: (B, M)
        var representation = Represent(state);                 // (B, 4M + K)
        var skip = HeadClip(clip, target);
        if (skip is not null && skipKeep is not null)
            skip = skip * skipKeep;
        var logits = baseline_head is null ? Classify(representation, skip) : Logits(clip, target, state); // (B, C)
        var reconstruction = decoder.call(representation);     // (B, D) or (B, 2M)
        return new NetworkOutputs(logits, state, representation, reconstruction, target);
    }

    // The embedding's input, and the reconstruction target: (B, D) → itself / its standardization; frames (B, T, M) →
    // the encoder's clip vector / the standardized frames' per-band mean and std over the valid frames (B, 2M).
    private Tensor ClipVector(Tensor features, Tensor? lengths, out Tensor target, bool standardized = false)
    {
        if (frame_encoder is null)
        {
            target = embedding.Standardize(features);
            return features;
        }
        if (features.dim() != 3 || features.shape[2] != InFeatures)
            throw new ArgumentException($"Expected frames (batch, time, {InFeatures}); got ({string.Join(", ", features.shape)}).", nameof(features));
        var x = standardized ? features : StandardizeFrames(features);                 // (B, T, M)
        var statistics = BandStatistics(x, lengths);                                   // (B, 2M): mean | std
        target = statistics;
        if (Options.Encoder.SubtractClipMean)
        {
            x = x - statistics[.., ..(int)InFeatures].unsqueeze(1);                    // (B, T, M) minus each clip's band means
            if (lengths is not null)                                                   // padding stays zero
                x = x * FrameEncoderMasking.Valid(lengths, x.shape[1]).unsqueeze(2).to(x.dtype);
        }
        return encoder_norm!.call(frame_encoder.Encode(x, lengths));                    // (B, D')
    }

    /// <summary>Per-band mean and std of frames (B, T, M) over the valid frames → (B, 2M).</summary>
    public static Tensor BandStatistics(Tensor frames, Tensor? lengths)
    {
        using var scope = NewDisposeScope();
        Tensor mean, variance;
        if (lengths is null)
        {
            mean = frames.mean([1]);
            variance = (frames - mean.unsqueeze(1)).Squared().mean([1]);
        }
        else
        {
            var valid = FrameEncoderMasking.Valid(lengths, frames.shape[1]).unsqueeze(2).to(frames.dtype); // (B, T, 1)
            var count = lengths.to(frames.dtype).ClampMin(1L).unsqueeze(1);                // (B, 1)
            mean = (frames * valid).sum(1) / count;
            variance = ((frames - mean.unsqueeze(1)).Squared() * valid).sum(1) / count;
        }
        return cat([mean, variance.Plus(1e-8).sqrt()], 1).MoveToOuterDisposeScope();
    }

    /// <summary>The state-derived representation: (B, M) parameters → (B, 4M + K).</summary>
    public Tensor Represent(CoherentStateParameters state)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>
        {
            state.Alpha.DividedBy(embedding.Grid.MaxCenter),
            state.Beta.DividedBy(embedding.Options.BetaMax),
            state.Gamma.cos(),
            state.Gamma.sin(),
        };
        if (embedding.Options.ReferenceStates > 0)
            parts.Add(embedding.ReferenceFidelity(state));
        return cat(parts, 1).MoveToOuterDisposeScope();
    }

    // The QuantumKan head reads the state (and, with HeadInput.StateAndClip, the clip vector); a baseline head reads the
    // clip vector. On the pooled path the clip vector the heads see is the standardized features.
    private Tensor Logits(Tensor clip, Tensor target, CoherentStateParameters state) => baseline_head is null
        ? Classify(Represent(state), HeadClip(clip, target))
        : baseline_head.call(frame_encoder is null ? target : clip);

    private Tensor? HeadClip(Tensor clip, Tensor target) =>
        Options.HeadInput == HeadInput.StateAndClip ? (frame_encoder is null ? target : clip) : null;

    private Tensor Classify(Tensor representation, Tensor? clip)
    {
        var h = clip is null ? representation : cat([representation, clip], 1);
        if (semantic is not null)
            h = semantic.call(h);
        if (head_norm is not null)
            h = head_norm.call(h);
        return head.call(h);
    }

    /// <summary>The KAN regularization (L1 + entropy) of every KAN layer in the network; a scalar.</summary>
    public Tensor RegularizationLoss(double l1Weight = 1.0, double entropyWeight = 1.0)
    {
        using var scope = NewDisposeScope();
        var total = embedding.RegularizationLoss(l1Weight, entropyWeight);
        if (semantic is not null)
            total = total.Plus(semantic.RegularizationLoss(l1Weight, entropyWeight));
        total = total.Plus(head.RegularizationLoss(l1Weight, entropyWeight))
            .Plus(decoder.RegularizationLoss(l1Weight, entropyWeight));
        if (frame_encoder is KanConvEncoder kan)
            total = total.Plus(kan.RegularizationLoss(l1Weight, entropyWeight));
        return total.MoveToOuterDisposeScope();
    }
}

/// <summary>The outputs of <see cref="QuantumKanNetwork.ForwardAll"/> for one batch.</summary>
/// <param name="Logits">(B, C) class scores.</param>
/// <param name="State">α, β, γ of the embedding, each (B, M).</param>
/// <param name="Representation">(B, 4M + K) state-derived representation.</param>
/// <param name="Reconstruction">(B, D) the decoder's rebuild of the standardized input ((B, 2M) band statistics with an encoder).</param>
/// <param name="StandardizedInput">The reconstruction target: (B, D) the input after the embedding's standardization, or (B, 2M) band statistics.</param>
public sealed record NetworkOutputs(Tensor Logits, CoherentStateParameters State, Tensor Representation, Tensor Reconstruction, Tensor StandardizedInput);
