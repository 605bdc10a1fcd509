namespace QuantumKan.Nn.Encoders;

/// <summary>
/// Training-time augmentation of log-mel frames, applied per batch by the training model (never in validation or
/// inference). The trainer seeds each batch's draws from the run's seed and global step (a private generator, not
/// torch's global one), so augmented runs are deterministic under the seed and resume exactly. All off by default.
/// </summary>
public sealed record FrameAugmentationOptions
{
    /// <summary>SpecAugment: how many frequency masks per clip. Default 0.</summary>
    public int FrequencyMasks { get; init; }

    /// <summary>Widest frequency mask, in mel bands (each mask's width is uniform in [0, this]). Default 8.</summary>
    public int FrequencyMaskWidth { get; init; } = 8;

    /// <summary>SpecAugment: how many time masks per clip. Default 0.</summary>
    public int TimeMasks { get; init; }

    /// <summary>Widest time mask, in frames. Default 10.</summary>
    public int TimeMaskWidth { get; init; } = 10;

    /// <summary>Random circular time shift of each clip, up to ± this many frames. Default 0.</summary>
    public int TimeShift { get; init; }

    /// <summary>
    /// Random shift of each clip along the mel axis, up to ± this many bands, the edge band repeated into the gap: a
    /// cheap vocal-tract-length / pitch perturbation (a formant or pitch change moves energy across mel bands roughly
    /// uniformly). Default 0.
    /// </summary>
    public int FrequencyShift { get; init; }

    /// <summary>
    /// Random warp of each clip's mel axis about band 0 by a factor uniform in [1 − w, 1 + w], with linear
    /// interpolation (band m reads band m·a; the top band repeats past the edge): a vocal-tract-length perturbation
    /// that scales formant positions, where <see cref="FrequencyShift"/> moves them all by the same number of bands.
    /// Default 0 (off); 0.1 is a usual setting for speech.
    /// </summary>
    public double FrequencyWarp { get; init; }

    /// <summary>
    /// Random time stretch of each training crop about its centre by a playback rate uniform in [1 − s, 1 + s], read
    /// circularly with linear interpolation (speaking-rate / tempo perturbation). Default 0 (off); 0.15 is a usual
    /// setting for speech.
    /// </summary>
    public double TimeStretch { get; init; }

    /// <summary>
    /// Band limiting: the probability that a clip loses everything above a random cutoff band, each band above it
    /// replaced by its own minimum over the clip (a flat floor, what a recording made at a lower sample rate, a
    /// telephone line or a narrowband codec leaves there). Cutoffs are uniform in
    /// [<see cref="LowPassMinFraction"/>·M, M). Default 0.
    /// </summary>
    public double LowPassProbability { get; init; }

    /// <summary>The lowest cutoff band of <see cref="LowPassProbability"/>, as a fraction of the mel bands. Default 0.4.</summary>
    public double LowPassMinFraction { get; init; } = 0.4;

    /// <summary>Random gain, uniform in ± this many dB, added as log power to every frame (log-scale features). Default 0.</summary>
    public double GainDb { get; init; }

    /// <summary>
    /// Mixup: probability that a batch is mixed with a shuffled copy of itself, x = λx + (1−λ)x', λ ~ Beta(α, α).
    /// Default 0.
    /// </summary>
    public double MixupProbability { get; init; }

    /// <summary>Mixup's Beta(α, α) concentration. Default 0.4.</summary>
    public double MixupAlpha { get; init; } = 0.4;

    /// <summary>
    /// Mixup targets for multi-label tasks: true takes the union of both clips' labels (both sounds are present);
    /// false takes λy + (1−λ)y'. Multiclass always uses the soft targets λy + (1−λ)y' with soft cross-entropy. Default true.
    /// </summary>
    public bool MixupLabelUnion { get; init; } = true;

    /// <summary>Whether any augmentation is switched on.</summary>
    public bool IsEnabled => FrequencyMasks > 0 || TimeMasks > 0 || TimeShift > 0 || FrequencyShift > 0 || GainDb > 0 || MixupProbability > 0 ||
                             LowPassProbability > 0 || FrequencyWarp > 0 || TimeStretch > 0;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Require(FrequencyMasks is >= 0 and <= 64, nameof(FrequencyMasks), FrequencyMasks, "must be in 0–64");
        Require(FrequencyMaskWidth >= 0, nameof(FrequencyMaskWidth), FrequencyMaskWidth, "must be ≥ 0");
        Require(TimeMasks is >= 0 and <= 64, nameof(TimeMasks), TimeMasks, "must be in 0–64");
        Require(TimeMaskWidth >= 0, nameof(TimeMaskWidth), TimeMaskWidth, "must be ≥ 0");
        Require(TimeShift >= 0, nameof(TimeShift), TimeShift, "must be ≥ 0");
        Require(FrequencyShift >= 0, nameof(FrequencyShift), FrequencyShift, "must be ≥ 0");
        Require(FrequencyWarp is >= 0 and < 1, nameof(FrequencyWarp), FrequencyWarp, "must be in [0, 1)");
        Require(TimeStretch is >= 0 and < 1, nameof(TimeStretch), TimeStretch, "must be in [0, 1)");
        Require(GainDb >= 0 && double.IsFinite(GainDb), nameof(GainDb), GainDb, "must be finite and ≥ 0");
        Require(LowPassProbability is >= 0 and <= 1, nameof(LowPassProbability), LowPassProbability, "must be in [0, 1]");
        Require(LowPassMinFraction is > 0 and <= 1, nameof(LowPassMinFraction), LowPassMinFraction, "must be in (0, 1]");
        Require(MixupProbability is >= 0 and <= 1, nameof(MixupProbability), MixupProbability, "must be in [0, 1]");
        Require(MixupAlpha > 0 && double.IsFinite(MixupAlpha), nameof(MixupAlpha), MixupAlpha, "must be finite and > 0");
    }

    private static void Require(bool ok, string name, object value, string rule)
    {
        if (!ok)
            throw new ArgumentOutOfRangeException(name, value, $"FrameAugmentationOptions.{name} {rule}.");
    }
}
