namespace QuantumKan.Audio.Mel;

/// <summary>How the signal is extended at its ends when frames are centred.</summary>
public enum PadMode
{
    /// <summary>Mirror without repeating the edge sample (torch/numpy <c>reflect</c>). torchaudio's default.</summary>
    Reflect,

    /// <summary>Zeros. librosa's default since 0.9.</summary>
    Constant,
}

/// <summary>The scale of the output values.</summary>
public enum MelOutputScale
{
    /// <summary>The mel spectrogram itself (power or magnitude, per <see cref="LogMelOptions.Power"/>).</summary>
    Power,

    /// <summary>Natural log: ln(x + <see cref="LogMelOptions.LogOffset"/>).</summary>
    Log,

    /// <summary>
    /// Decibels, as torchaudio's <c>AmplitudeToDB</c>: 10·log10(max(x, amin)) for power 2 (stype "power"),
    /// 20·log10(max(x, amin)) for power 1 (stype "magnitude"), reference 1, then floored at max − <see cref="LogMelOptions.TopDb"/> over the clip.
    /// </summary>
    Decibels,
}

/// <summary>The shape of a featurized clip.</summary>
public enum FeatureLayout
{
    /// <summary>Every frame: <c>frames × mels</c>, time-major. Variable length.</summary>
    Frames,

    /// <summary>Statistics per band over S equal time segments: <c>segments × statistics × mels</c>. Fixed length.</summary>
    Pooled,

    /// <summary>Exactly T frames, cropped or filled: <c>T × mels</c>. Fixed length.</summary>
    FixedFrames,

    /// <summary>
    /// Overlapping fixed-duration patches (the FSD50K recipe: 1 s, 50% overlap, short clips tiled):
    /// <c>patches × patchFrames × mels</c>. Fixed length when <see cref="LogMelOptions.PatchCount"/> is set.
    /// </summary>
    Patches,
}

/// <summary>Statistics computed per mel band by <see cref="FeatureLayout.Pooled"/>; combine with |.</summary>
[Flags]
public enum PoolingStatistics
{
    /// <summary>No statistic (invalid on its own).</summary>
    None = 0,

    /// <summary>Mean over the frames.</summary>
    Mean = 1,

    /// <summary>Population standard deviation (divides by the frame count, so one frame gives 0).</summary>
    Std = 2,

    /// <summary>Maximum over the frames.</summary>
    Max = 4,
}

/// <summary>How a clip shorter than the target length is filled.</summary>
public enum ShortClipFill
{
    /// <summary>Repeat the clip's frames from its start until the target length is reached.</summary>
    Tile,

    /// <summary>Append silent frames (zero power, i.e. the output scale's floor).</summary>
    Pad,
}

/// <summary>
/// Parameters of the log-mel front end. Defaults (16 kHz, n_fft 512, hop 160 = 10 ms, 64 mels, htk, no norm, reflect,
/// power 2, ln(x + 1e-6), every frame) follow torchaudio's <c>MelSpectrogram</c> conventions with sizes for sound events.
/// <para>
/// torchaudio vs librosa: torchaudio's <c>MelSpectrogram</c> defaults to the HTK scale, no filter norm, reflect padding
/// and power 2; librosa's <c>melspectrogram</c> to the Slaney scale, Slaney norm and (since 0.9) constant padding.
/// To reproduce librosa set <see cref="MelScale"/> = Slaney, <see cref="MelNorm"/> = Slaney, <see cref="PadMode"/> = Constant.
/// </para>
/// </summary>
public sealed record LogMelOptions
{
    /// <summary>Sample rate in Hz the features are computed at; clips at other rates are resampled. Default 16000.</summary>
    public int SampleRate { get; init; } = 16_000;

    /// <summary>FFT size (n_fft) in samples; any size ≥ 2, powers of two are fastest. Default 512.</summary>
    public int FftSize { get; init; } = 512;

    /// <summary>Window length in samples, ≤ FftSize, centred in the FFT frame; null means FftSize. Default null.</summary>
    public int? WindowLength { get; init; }

    /// <summary>Hop between frames in samples. Default 160 (10 ms at 16 kHz).</summary>
    public int HopLength { get; init; } = 160;

    /// <summary>Lowest mel band edge in Hz. Default 0.</summary>
    public double FMin { get; init; }

    /// <summary>Highest mel band edge in Hz; null means SampleRate/2. Default null.</summary>
    public double? FMax { get; init; }

    /// <summary>Number of mel bands. Default 64.</summary>
    public int MelBands { get; init; } = 64;

    /// <summary>Whether frame t is centred on sample t·hop (the signal padded by FftSize/2 each side). Default true.</summary>
    public bool Center { get; init; } = true;

    /// <summary>Padding used when <see cref="Center"/> is true. Default <see cref="Mel.PadMode.Reflect"/> (torchaudio).</summary>
    public PadMode PadMode { get; init; } = PadMode.Reflect;

    /// <summary>Exponent of the magnitude spectrum: 2 (power) or 1 (magnitude). Default 2.</summary>
    public int Power { get; init; } = 2;

    /// <summary>Mel scale. Default <see cref="Mel.MelScale.Htk"/> (torchaudio).</summary>
    public MelScale MelScale { get; init; } = MelScale.Htk;

    /// <summary>Filter normalization. Default <see cref="Mel.MelNorm.None"/> (torchaudio).</summary>
    public MelNorm MelNorm { get; init; } = MelNorm.None;

    /// <summary>Output scale. Default <see cref="MelOutputScale.Log"/>.</summary>
    public MelOutputScale OutputScale { get; init; } = MelOutputScale.Log;

    /// <summary>Offset added before the natural log (<see cref="MelOutputScale.Log"/>). Default 1e-6.</summary>
    public double LogOffset { get; init; } = 1e-6;

    /// <summary>Smallest value before log10 (<see cref="MelOutputScale.Decibels"/>). Default 1e-10 (torchaudio).</summary>
    public double Amin { get; init; } = 1e-10;

    /// <summary>Dynamic range kept below the clip's maximum, in dB; null keeps everything. Default 80.</summary>
    public double? TopDb { get; init; } = 80;

    /// <summary>Output shape. Default <see cref="FeatureLayout.Frames"/>.</summary>
    public FeatureLayout Layout { get; init; } = FeatureLayout.Frames;

    /// <summary>Statistics for <see cref="FeatureLayout.Pooled"/>. Default Mean | Std.</summary>
    public PoolingStatistics PoolingStatistics { get; init; } = PoolingStatistics.Mean | PoolingStatistics.Std;

    /// <summary>Equal time segments pooled separately, in temporal order, for <see cref="FeatureLayout.Pooled"/>. Default 1 (whole clip).</summary>
    public int PoolingSegments { get; init; } = 1;

    /// <summary>Target frame count T for <see cref="FeatureLayout.FixedFrames"/>. Default 100 (1 s at hop 160, 16 kHz).</summary>
    public int FixedFrames { get; init; } = 100;

    /// <summary>How clips shorter than the target are filled (fixed frames and patches). Default <see cref="Mel.ShortClipFill.Tile"/>.</summary>
    public ShortClipFill ShortClipFill { get; init; } = ShortClipFill.Tile;

    /// <summary>Patch duration in seconds for <see cref="FeatureLayout.Patches"/>. Default 1.</summary>
    public double PatchSeconds { get; init; } = 1.0;

    /// <summary>Overlap between consecutive patches, in [0, 1). Default 0.5.</summary>
    public double PatchOverlap { get; init; } = 0.5;

    /// <summary>Patches per clip; 0 keeps as many as the clip yields (variable length). Default 0.</summary>
    public int PatchCount { get; init; }

    /// <summary>The window length in effect.</summary>
    public int EffectiveWindowLength => WindowLength ?? FftSize;

    /// <summary>The highest band edge in effect, in Hz.</summary>
    public double EffectiveFMax => FMax ?? SampleRate / 2.0;

    /// <summary>Frames per patch: round(PatchSeconds · SampleRate / HopLength), at least 1.</summary>
    public int PatchFrames => Math.Max(1, (int)Math.Round(PatchSeconds * SampleRate / HopLength));

    /// <summary>Frames between patch starts: PatchFrames · (1 − PatchOverlap), at least 1.</summary>
    public int PatchHopFrames => Math.Max(1, (int)Math.Round(PatchFrames * (1 - PatchOverlap)));

    /// <summary>Number of statistics selected in <see cref="PoolingStatistics"/>.</summary>
    public int StatisticCount => System.Numerics.BitOperations.PopCount((uint)PoolingStatistics);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        Require(SampleRate is > 0 and <= 768_000, nameof(SampleRate), SampleRate, "must be in 1–768000 Hz");
        Require(FftSize is >= 2 and <= 1 << 16, nameof(FftSize), FftSize, "must be in 2–65536");
        Require(EffectiveWindowLength >= 1 && EffectiveWindowLength <= FftSize, nameof(WindowLength), WindowLength, "must be in 1–FftSize");
        Require(HopLength >= 1, nameof(HopLength), HopLength, "must be at least 1");
        Require(MelBands is >= 1 and <= 4096, nameof(MelBands), MelBands, "must be in 1–4096");
        Require(FMin >= 0 && double.IsFinite(FMin), nameof(FMin), FMin, "must be finite and ≥ 0");
        Require(EffectiveFMax > FMin && EffectiveFMax <= SampleRate / 2.0, nameof(FMax), FMax, "must be in (FMin, SampleRate/2]");
        Require(Power is 1 or 2, nameof(Power), Power, "must be 1 or 2");
        Require(Enum.IsDefined(PadMode), nameof(PadMode), PadMode, "is not a pad mode");
        Require(Enum.IsDefined(MelScale), nameof(MelScale), MelScale, "is not a mel scale");
        Require(Enum.IsDefined(MelNorm), nameof(MelNorm), MelNorm, "is not a mel norm");
        Require(Enum.IsDefined(OutputScale), nameof(OutputScale), OutputScale, "is not an output scale");
        Require(LogOffset > 0 && double.IsFinite(LogOffset), nameof(LogOffset), LogOffset, "must be positive");
        Require(Amin > 0 && double.IsFinite(Amin), nameof(Amin), Amin, "must be positive");
        Require(TopDb is null || TopDb >= 0, nameof(TopDb), TopDb, "must be ≥ 0 or null");
        Require(Enum.IsDefined(Layout), nameof(Layout), Layout, "is not a layout");
        Require(PoolingStatistics != PoolingStatistics.None && (PoolingStatistics & ~(PoolingStatistics.Mean | PoolingStatistics.Std | PoolingStatistics.Max)) == 0,
            nameof(PoolingStatistics), PoolingStatistics, "must name at least one of Mean, Std, Max");
        Require(PoolingSegments is >= 1 and <= 1024, nameof(PoolingSegments), PoolingSegments, "must be in 1–1024");
        Require(FixedFrames is >= 1 and <= 1 << 20, nameof(FixedFrames), FixedFrames, "must be in 1–1048576");
        Require(Enum.IsDefined(ShortClipFill), nameof(ShortClipFill), ShortClipFill, "is not a fill mode");
        Require(PatchSeconds > 0 && PatchSeconds <= 3600, nameof(PatchSeconds), PatchSeconds, "must be in (0, 3600]");
        Require(PatchOverlap >= 0 && PatchOverlap < 1, nameof(PatchOverlap), PatchOverlap, "must be in [0, 1)");
        Require(PatchCount is >= 0 and <= 100_000, nameof(PatchCount), PatchCount, "must be in 0–100000");
    }

    private static void Require(bool ok, string name, object? value, string rule)
    {
        if (!ok)
            throw new ArgumentOutOfRangeException(name, value, $"LogMelOptions.{name} {rule}.");
    }
}
