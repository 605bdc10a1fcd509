using QuantumKan.Nn.Encoders;
using QuantumKan.Nn.Kan;
using QuantumKan.Nn.Losses;
using QuantumKan.Nn.Quantum;

namespace QuantumKan.Nn.Network;

/// <summary>
/// Architecture of a <see cref="QuantumKanNetwork"/>. Serializable as JSON, so trained models carry the options they
/// were built with.
/// </summary>
public sealed record QuantumKanNetworkOptions
{
    /// <summary>
    /// The quantum field embedding (modes, reference states, grid, Chebyshev extractors). Default 32 modes, 16 reference
    /// states, Chebyshev extractors of degree 2.
    /// <para>
    /// Why not the original's 16 modes with degree-8 extractors: on the benchmark's synthetic multi-label set those fitted
    /// the training set but generalized clearly worse than low-degree extractors, and 32 modes beat 16; 32 modes and
    /// degree 2 was the best architecture of the option probe. Low-degree extractors on wide standardized inputs
    /// generalize; high degrees memorize. The numbers and the command that reproduces them (<c>bench/run.sh --probe</c>)
    /// are in bench/RESULTS.md, section "Quality: QuantumKan against a plain MLP of the same size".
    /// </para>
    /// </summary>
    public QuantumFieldEmbeddingOptions Embedding { get; init; } = new()
    {
        Modes = 32,
        Extractor = new ChebyshevKanOptions { Degree = 2 },
    };

    /// <summary>
    /// The frame encoder in front of the embedding. Default <see cref="FrameEncoderKind.Auto"/>: a temporal convolution
    /// when the input is log-mel frames, none when it is one pooled feature vector per clip. Models saved before the
    /// encoder existed carry no such field and load as <see cref="FrameEncoderKind.None"/>.
    /// </summary>
    public FrameEncoderOptions Encoder { get; init; } = new();

    /// <summary>Training-time augmentation of frames (encoder path only; off in validation and inference). Default none.</summary>
    public FrameAugmentationOptions Augmentation { get; init; } = new();

    /// <summary>
    /// These options with <see cref="FrameEncoderKind.Auto"/> decided for the input (frames or one flat vector per clip),
    /// then <see cref="HeadInput.Auto"/> decided for the encoder: <see cref="HeadInput.StateAndClip"/> with one,
    /// <see cref="HeadInput.State"/> without; unset <see cref="SemanticWidths"/> as none with an encoder and [64] without;
    /// and <see cref="ContrastiveTarget.Auto"/> as <see cref="ContrastiveTarget.LabelOverlap"/>.
    /// </summary>
    public QuantumKanNetworkOptions ResolveEncoder(bool inputIsFrames)
    {
        var resolved = Encoder.Kind != FrameEncoderKind.Auto
            ? this
            : this with { Encoder = Encoder with { Kind = inputIsFrames ? FrameEncoderKind.Temporal : FrameEncoderKind.None } };
        if (resolved.SemanticWidths is null)
            resolved = resolved with { SemanticWidths = resolved.Encoder.IsEnabled ? [] : [64] };
        if (resolved.HeadInput == HeadInput.Auto)
            resolved = resolved with { HeadInput = resolved.Encoder.IsEnabled ? HeadInput.StateAndClip : HeadInput.State };
        return resolved.ContrastiveTarget != ContrastiveTarget.Auto
            ? resolved
            : resolved with { ContrastiveTarget = ContrastiveTarget.LabelOverlap };
    }

    /// <summary>
    /// What produces the logits. Default <see cref="ClassifierHead.QuantumKan"/>: the quantum state's representation
    /// through the KAN semantic layers and head. <see cref="ClassifierHead.Linear"/> and <see cref="ClassifierHead.Mlp"/>
    /// read the clip vector (the encoder's, or the standardized features) directly, as baselines for measuring what the
    /// quantum embedding and KAN layers add; the embedding is still trained by the auxiliary tasks.
    /// </summary>
    public ClassifierHead ClassifierHead { get; init; } = ClassifierHead.QuantumKan;

    /// <summary>
    /// What the <see cref="ClassifierHead.QuantumKan"/> head's semantic KAN layers read. Default
    /// <see cref="HeadInput.Auto"/>: <see cref="HeadInput.StateAndClip"/> with a frame encoder, <see cref="HeadInput.State"/>
    /// without one. <see cref="HeadInput.State"/> is the original design: only the representation built from the quantum
    /// state. <see cref="HeadInput.StateAndClip"/> adds a skip connection: the clip vector (the encoder's, or the
    /// standardized features) is concatenated to the state's representation, so the KAN layers see what the bounded
    /// embedding compresses away as well as the state; with <see cref="SkipDropout"/> the state stays discriminative for
    /// similarity search. The embedding and the reconstruction decoder are unchanged.
    /// <para>
    /// Why StateAndClip with an encoder: on the held-out recorded sounds it raised test mAP from 0.294 / 0.298 to 0.355 /
    /// 0.346 (seeds 1 / 2) with similarity precision@5 unchanged or better, and tied on the held-out spoken words (0.895 /
    /// 0.905 against 0.890 / 0.910); the pooled network is unmeasured with it and keeps State. Numbers and commands:
    /// bench/RESULTS.md, "Held-out quality, third round". Models saved before this option existed load as
    /// <see cref="HeadInput.State"/>; trained models save the resolved value.
    /// </para>
    /// </summary>
    public HeadInput HeadInput { get; init; } = HeadInput.Auto;

    /// <summary>
    /// With <see cref="HeadInput.StateAndClip"/>: the probability, per training clip, that the skip's clip vector is
    /// zeroed, so that the head must classify that clip from the quantum state alone. Without it the head learns to lean
    /// on the skip and the state (what similarity search compares) carries less of the classes. Drawn from the batch's
    /// seeded generator (deterministic, resumable); never applied in validation or inference. Default 0.25 (0.5 before
    /// the fourth held-out round; bench/RESULTS.md).
    /// </summary>
    public double SkipDropout { get; init; } = 0.25;

    /// <summary>Hidden width of the <see cref="ClassifierHead.Mlp"/> baseline head. Default 128.</summary>
    public int MlpHiddenWidth { get; init; } = 128;

    /// <summary>
    /// Hidden widths of the semantic KAN layers between the state representation and the head. Empty: no semantic
    /// layers; the KAN head reads the representation (and, with <see cref="HeadInput.StateAndClip"/>, the clip vector)
    /// directly, through the head's LayerNorm when <see cref="LayerNorm"/> is on. Default null, decided when the network
    /// is built (<see cref="ResolveEncoder"/>): empty with a frame encoder (measured best on the held-out sets,
    /// bench/RESULTS.md, fourth round), [64] without one. Saved models carry the resolved widths.
    /// </summary>
    public int[]? SemanticWidths { get; init; }

    /// <summary>The semantic layers' KAN basis. Default B-spline, G = 5, k = 3.</summary>
    public KanLayerOptions Semantic { get; init; } = new BSplineKanOptions();

    /// <summary>The classification head's KAN basis (one KAN layer to the logits). Default B-spline, G = 5, k = 3.</summary>
    public KanLayerOptions Head { get; init; } = new BSplineKanOptions();

    /// <summary>
    /// The reconstruction decoder's KAN basis (one layer from the representation back to the standardized input features).
    /// Default piecewise linear: the decoder only serves the auxiliary task, so the cheapest basis keeps it from dominating
    /// the step time when inputs are wide.
    /// </summary>
    public KanLayerOptions Decoder { get; init; } = new PiecewiseLinearKanOptions();

    /// <summary>Whether to put LayerNorm between the semantic layers and before the head. Default true.</summary>
    public bool LayerNorm { get; init; } = true;

    /// <summary>
    /// Samples per batch on which the normalization penalty is evaluated on the sampled grid (the penalty's definition
    /// costs B·M·N complex values; bounded parameters keep it near zero, so a few samples suffice). Default 4.
    /// </summary>
    public int NormalizationSamples { get; init; } = 4;

    /// <summary>Margin of the fidelity contrastive loss: negative pairs below this fidelity cost nothing. Default 0.1.</summary>
    public double ContrastiveMargin { get; init; } = 0.1;

    /// <summary>
    /// Which fidelity the contrastive task compares. Default <see cref="ContrastiveFidelity.PerMode"/>: see there for why.
    /// </summary>
    public ContrastiveFidelity ContrastiveFidelity { get; init; } = ContrastiveFidelity.PerMode;

    /// <summary>
    /// What the contrastive task pulls a pair sharing a label towards. Default <see cref="ContrastiveTarget.Auto"/>, decided
    /// when the network is built: <see cref="ContrastiveTarget.LabelOverlap"/> (F = the label sets' Jaccard overlap; the
    /// same as <see cref="ContrastiveTarget.SharedLabel"/>'s F = 1 on single-label data). On the held-out recorded sounds
    /// it lifted test mAP and similar P@5 over SharedLabel (bench/RESULTS.md, fourth round). Training only; models saved
    /// before this option load as <see cref="ContrastiveTarget.SharedLabel"/>, the loss they were trained with.
    /// </summary>
    public ContrastiveTarget ContrastiveTarget { get; init; } = ContrastiveTarget.Auto;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Embedding, nameof(Embedding));
        Embedding.Validate();
        ArgumentNullException.ThrowIfNull(Encoder, nameof(Encoder));
        Encoder.Validate();
        ArgumentNullException.ThrowIfNull(Augmentation, nameof(Augmentation));
        Augmentation.Validate();
        if (SemanticWidths is not null && SemanticWidths.Any(w => w < 1))
            throw new ArgumentOutOfRangeException(nameof(SemanticWidths), string.Join(", ", SemanticWidths), "Semantic widths must be at least 1.");
        if (!Enum.IsDefined(ClassifierHead))
            throw new ArgumentOutOfRangeException(nameof(ClassifierHead), ClassifierHead, "Not a classifier head.");
        if (!Enum.IsDefined(HeadInput))
            throw new ArgumentOutOfRangeException(nameof(HeadInput), HeadInput, "Not a head input.");
        if (!(SkipDropout >= 0 && SkipDropout < 1))
            throw new ArgumentOutOfRangeException(nameof(SkipDropout), SkipDropout, "A probability in [0, 1).");
        if (MlpHiddenWidth < 1)
            throw new ArgumentOutOfRangeException(nameof(MlpHiddenWidth), MlpHiddenWidth, "Must be at least 1.");
        Semantic.Validate();
        Head.Validate();
        Decoder.Validate();
        if (NormalizationSamples < 0)
            throw new ArgumentOutOfRangeException(nameof(NormalizationSamples), NormalizationSamples, "Must be ≥ 0.");
        if (!Enum.IsDefined(ContrastiveTarget))
            throw new ArgumentOutOfRangeException(nameof(ContrastiveTarget), ContrastiveTarget, "Not a contrastive target.");
        if (!(ContrastiveMargin >= 0 && ContrastiveMargin < 1))
            throw new ArgumentOutOfRangeException(nameof(ContrastiveMargin), ContrastiveMargin, "The margin is a fidelity in [0, 1).");
    }
}

/// <summary>What produces a <see cref="QuantumKanNetwork"/>'s logits.</summary>
public enum ClassifierHead
{
    /// <summary>Quantum state representation → KAN semantic layers → KAN head (the QuantumKan model).</summary>
    QuantumKan,

    /// <summary>One linear layer on the clip vector (a baseline).</summary>
    Linear,

    /// <summary>Linear → ReLU → linear on the clip vector (a baseline).</summary>
    Mlp,
}

/// <summary>What the <see cref="ClassifierHead.QuantumKan"/> head's semantic KAN layers read.</summary>
public enum HeadInput
{
    /// <summary>The representation built from the quantum state, width 4M + K.</summary>
    State,

    /// <summary>The state's representation and the clip vector, concatenated: width 4M + K + D'.</summary>
    StateAndClip,

    /// <summary><see cref="StateAndClip"/> with a frame encoder, <see cref="State"/> without (decided when the network is built).</summary>
    Auto,
}

/// <summary>The fidelity the multi-task contrastive loss sees.</summary>
public enum ContrastiveFidelity
{
    /// <summary>
    /// The Born-rule fidelity of the whole M-mode product state, F = Π_m F_m. Strict: two clips reach F ≈ 1 only when
    /// every mode agrees, so for clips that merely share one label F is tiny and (1 − F) has almost no gradient.
    /// </summary>
    Product,

    /// <summary>
    /// The per-mode (geometric-mean) fidelity F^(1/M) = exp(mean_m log F_m), still a fidelity in [0, 1] with the same
    /// ranking as <see cref="Product"/>. Its gradient survives M times more spread before vanishing. On the benchmark's
    /// probe (<c>bench/run.sh --probe</c>; bench/RESULTS.md, section "Quality: QuantumKan against a plain MLP of the same
    /// size") the two tie with the default extractors; with the original degree-8 extractors <see cref="Product"/> did
    /// better, because there the
    /// per-mode term kept pulling the over-capacity extractors and the classifier under-fit. In both, classification
    /// spreads the states as training goes on, so the contrastive term shapes the embedding mostly in the first epochs.
    /// </summary>
    PerMode,
}
