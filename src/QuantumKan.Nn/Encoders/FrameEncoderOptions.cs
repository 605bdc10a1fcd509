using QuantumKan.Nn.Kan;

namespace QuantumKan.Nn.Encoders;

/// <summary>Which frame encoder turns log-mel frames <c>(B, T, M)</c> into the clip vector the quantum embedding reads.</summary>
public enum FrameEncoderKind
{
    /// <summary>
    /// Decided by the input: frames (a variable-length frame matrix) get <see cref="Temporal"/>, a fixed-size feature
    /// vector (pooled statistics) gets <see cref="None"/>. Resolved before the network is built; never stored.
    /// </summary>
    Auto,

    /// <summary>No encoder: the network reads one flat feature vector per clip (the pooled-statistics path).</summary>
    None,

    /// <summary>
    /// 1-D temporal convolution with the mel bands as channels (TC-ResNet-like): a stem convolution, then residual
    /// blocks of two kernel-9 convolutions with BatchNorm, each halving the time axis. Cheapest per clip on a CPU.
    /// </summary>
    Temporal,

    /// <summary>
    /// 2-D convolution over time × frequency (VGG/ResNet-like): a 3×3 stem, then residual blocks of two 3×3
    /// convolutions with BatchNorm, each halving time and frequency; frequency is averaged out at the end.
    /// </summary>
    Conv2d,

    /// <summary>
    /// KAN convolution over time: the same stem as <see cref="Temporal"/>, then blocks whose filter is a
    /// Kolmogorov–Arnold layer over each window of frames (unfold, then one KAN layer shared by every position),
    /// so the model stays Kolmogorov–Arnold below the embedding as well.
    /// </summary>
    KanTemporal,
}

/// <summary>How the encoder's frame sequence becomes one clip vector.</summary>
public enum TimePoolingKind
{
    /// <summary>Mean and maximum over the valid frames, concatenated: width 2C.</summary>
    MeanMax,

    /// <summary>Learned attention: a softmax over the valid frames of a linear score, then the weighted mean: width C.</summary>
    Attention,
}

/// <summary>How a clip of any length is scored at inference.</summary>
public enum ClipInference
{
    /// <summary>The FSD50K recipe: crop-length patches with 50% overlap, clip probabilities = mean over patches.</summary>
    PatchMean,

    /// <summary>As <see cref="PatchMean"/>, with the maximum over patches (favours short events in long clips).</summary>
    PatchMax,

    /// <summary>The whole clip through the encoder at once; global time pooling sees every frame.</summary>
    WholeClip,
}

/// <summary>
/// The frame encoder of a <see cref="Network.QuantumKanNetwork"/> and how clips are cut for it. Serialized with the
/// network's options, so a saved model carries its encoder and its inference recipe.
/// </summary>
public sealed record FrameEncoderOptions
{
    /// <summary>The encoder family. Default <see cref="FrameEncoderKind.Auto"/>.</summary>
    public FrameEncoderKind Kind { get; init; } = FrameEncoderKind.Auto;

    /// <summary>Mel bands M per frame; null takes them from the data (the mel column's annotation or the source's shape).</summary>
    public int? MelBands { get; init; }

    /// <summary>Channels of the stem (first) and of each residual block after it. Default [64, 64, 96, 128]: stem 64, three blocks.</summary>
    public int[] Channels { get; init; } = [64, 64, 96, 128];

    /// <summary>Temporal kernel size of the residual blocks (Temporal, KanTemporal); odd. Default 9 (Temporal) — KanTemporal uses <see cref="KanKernel"/>.</summary>
    public int Kernel { get; init; } = 9;

    /// <summary>Window of frames each KAN-convolution filter reads (KanTemporal); odd. Default 3.</summary>
    public int KanKernel { get; init; } = 3;

    /// <summary>The KAN basis of the KAN-convolution filters. Default Chebyshev, degree 3.</summary>
    public KanLayerOptions KanFilter { get; init; } = new ChebyshevKanOptions { Degree = 3 };

    /// <summary>
    /// Whether each clip's own per-band mean over its frames is subtracted after the dataset standardization (cepstral
    /// mean normalization in the log-mel domain): a fixed gain or spectral tilt of a recording, a microphone or a voice
    /// becomes a constant per band in log-mel, and this removes it, so the encoder sees the shape of the sound over time
    /// and frequency rather than its level. The band levels still reach the reconstruction task. Default false.
    /// </summary>
    public bool SubtractClipMean { get; init; }

    /// <summary>Time pooling. Default <see cref="TimePoolingKind.MeanMax"/>.</summary>
    public TimePoolingKind Pooling { get; init; } = TimePoolingKind.MeanMax;

    /// <summary>Frames per training crop and per inference patch. Default 100 (1 s at the default 10 ms hop).</summary>
    public int CropFrames { get; init; } = 100;

    /// <summary>Overlap of inference patches, in [0, 1). Default 0.5.</summary>
    public double PatchOverlap { get; init; } = 0.5;

    /// <summary>How clips are scored at inference. Default <see cref="ClipInference.PatchMean"/>.</summary>
    public ClipInference Inference { get; init; } = ClipInference.PatchMean;

    /// <summary>Whether a concrete encoder (not None, not Auto) is selected.</summary>
    public bool IsEnabled => Kind is not (FrameEncoderKind.None or FrameEncoderKind.Auto);

    /// <summary>Frames between inference patch starts.</summary>
    public int PatchHop => Math.Max(1, (int)Math.Round(CropFrames * (1 - PatchOverlap)));

    /// <summary>The pooled-statistics path (no encoder).</summary>
    public static FrameEncoderOptions None { get; } = new() { Kind = FrameEncoderKind.None };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Not an encoder kind.");
        if (MelBands is < 1)
            throw new ArgumentOutOfRangeException(nameof(MelBands), MelBands, "Must be at least 1.");
        ArgumentNullException.ThrowIfNull(Channels, nameof(Channels));
        if (Channels.Length < 1 || Channels.Any(c => c < 1))
            throw new ArgumentOutOfRangeException(nameof(Channels), string.Join(", ", Channels ?? []), "Needs at least the stem's channel count, each at least 1.");
        if (Kernel < 1 || Kernel % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(Kernel), Kernel, "Must be odd and at least 1.");
        if (KanKernel < 1 || KanKernel % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(KanKernel), KanKernel, "Must be odd and at least 1.");
        ArgumentNullException.ThrowIfNull(KanFilter, nameof(KanFilter));
        KanFilter.Validate();
        if (!Enum.IsDefined(Pooling))
            throw new ArgumentOutOfRangeException(nameof(Pooling), Pooling, "Not a pooling kind.");
        if (CropFrames < 1)
            throw new ArgumentOutOfRangeException(nameof(CropFrames), CropFrames, "Must be at least 1.");
        if (!(PatchOverlap >= 0 && PatchOverlap < 1))
            throw new ArgumentOutOfRangeException(nameof(PatchOverlap), PatchOverlap, "Must be in [0, 1).");
        if (!Enum.IsDefined(Inference))
            throw new ArgumentOutOfRangeException(nameof(Inference), Inference, "Not an inference mode.");
    }
}
