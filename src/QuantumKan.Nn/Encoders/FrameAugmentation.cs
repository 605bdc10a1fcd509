using QuantumKan.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Encoders;

/// <summary>
/// Batch augmentation of log-mel frames with tensor ops (no per-clip loop): random gain, circular time shift, time
/// stretch, mel-axis shift and warp, band limiting, SpecAugment frequency and time masks, and mixup. Every draw comes from the <see cref="Generator"/> passed in (the
/// trainer derives one per batch from the run's seed and step, so augmentation is deterministic, resumes exactly, and
/// neither disturbs nor is disturbed by other trainings in the process); null draws from torch's global generator.
/// </summary>
public static class FrameAugmentation
{
    /// <summary>ln(10)/10: one dB of power gain in natural-log mel units (the default front end's scale).</summary>
    public const double LogUnitsPerDb = 0.23025850929940458;

    /// <summary>Adds a random gain per clip to raw log-mel frames (B, T, M): uniform in ± <paramref name="gainDb"/> dB.</summary>
    public static Tensor RandomGain(Tensor frames, double gainDb, Generator? generator = null)
    {
        if (gainDb <= 0)
            return frames;
        var gain = rand([frames.shape[0], 1, 1], dtype: frames.dtype, device: frames.device, generator: generator).Times(2L).Minus(1L).Times(gainDb * LogUnitsPerDb); // (B, 1, 1)
        return frames.Plus(gain);
    }

    /// <summary>
    /// Applies shift, masks and mixup to standardized frames (B, T, M) and their labels (B, C). Masked cells become 0,
    /// the band mean after standardization.
    /// </summary>
    /// <param name="frames">Standardized frames.</param>
    /// <param name="labels">Multi-hot or one-hot labels.</param>
    /// <param name="options">What to apply.</param>
    /// <param name="multiLabel">True for multi-label targets (mixup may take the label union).</param>
    /// <param name="generator">Where the draws come from; null for torch's global generator.</param>
    /// <returns>Augmented frames and the targets to train on.</returns>
    public static (Tensor Frames, Tensor Labels) Apply(Tensor frames, Tensor labels, FrameAugmentationOptions options, bool multiLabel,
        Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        long batch = frames.shape[0], time = frames.shape[1], bands = frames.shape[2];
        var x = frames;
        if (options.TimeShift > 0)
            x = Shift(x, options.TimeShift, generator);
        if (options.TimeStretch > 0)
            x = StretchTime(x, UniformFactors(batch, options.TimeStretch, x, generator));
        if (options.FrequencyShift > 0)
            x = ShiftBands(x, options.FrequencyShift, generator);
        if (options.FrequencyWarp > 0)
            x = WarpBands(x, UniformFactors(batch, options.FrequencyWarp, x, generator));
        if (options.LowPassProbability > 0)
            x = LowPass(x, options.LowPassProbability, options.LowPassMinFraction, generator);
        for (int i = 0; i < options.FrequencyMasks; i++)
            x = x * KeepMask(batch, bands, options.FrequencyMaskWidth, x, generator).unsqueeze(1);   // (B, 1, M)
        for (int i = 0; i < options.TimeMasks; i++)
            x = x * KeepMask(batch, time, options.TimeMaskWidth, x, generator).unsqueeze(2);         // (B, T, 1)
        var y = labels;
        if (options.MixupProbability > 0 && batch > 1 && rand([1], generator: generator).item<float>() < options.MixupProbability)
        {
            using var alpha = tensor(options.MixupAlpha);
            using var beta = torch.distributions.Beta(alpha, alpha, generator);
            double lambda = beta.sample().item<double>();
            var permutation = randperm(batch, device: frames.device, generator: generator);
            x = x.Times(lambda).Plus(x.index_select(0, permutation).Times(1 - lambda));
            var other = labels.index_select(0, permutation);
            y = multiLabel && options.MixupLabelUnion ? maximum(labels, other) : labels.Times(lambda).Plus(other.Times(1 - lambda));
        }
        return (x, y);
    }

    // Circular shift of each clip by its own offset in [−max, max]: out[b, t] = x[b, (t − s_b) mod T].
    private static Tensor Shift(Tensor x, int maxShift, Generator? generator)
    {
        long batch = x.shape[0], time = x.shape[1];
        var shift = randint(-maxShift, maxShift + 1, [batch, 1], dtype: ScalarType.Int64, device: x.device, generator: generator);       // (B, 1)
        var index = (ScalarArithmetic.Arange(time, ScalarType.Int64, x.device).unsqueeze(0) - shift).Remainder(time); // (B, T)
        return x.gather(1, index.unsqueeze(2).expand(batch, time, x.shape[2]));
    }

    // (B) factors uniform in [1 − range, 1 + range].
    private static Tensor UniformFactors(long batch, double range, Tensor like, Generator? generator) =>
        rand([batch], dtype: ScalarType.Float32, device: like.device, generator: generator).Times(2 * range).Plus(1 - range);

    /// <summary>
    /// Time stretch about each clip's centre, read circularly with linear interpolation: out[b, t] = x[b, c + (t − c)·r_b]
    /// with c = (T − 1)/2 and the source position taken mod T (a crop is a window of a tiled clip, so it wraps). A rate
    /// r above 1 plays the clip faster (events shorter), below 1 slower.
    /// </summary>
    /// <param name="x">Frames (B, T, M).</param>
    /// <param name="rates">(B) playback rates, each &gt; 0.</param>
    internal static Tensor StretchTime(Tensor x, Tensor rates)
    {
        long batch = x.shape[0], time = x.shape[1], bands = x.shape[2];
        double centre = (time - 1) / 2.0;
        var position = ScalarArithmetic.Arange(time, ScalarType.Float32, x.device).unsqueeze(0).Minus(centre)
            .multiply(rates.to(ScalarType.Float32).unsqueeze(1)).Plus(centre).Remainder(time);                  // (B, T) in [0, T)
        var below = position.floor();
        var weight = (position - below).unsqueeze(2).to(x.dtype);                                          // (B, T, 1)
        var lower = below.to(ScalarType.Int64).Remainder(time);
        var upper = lower.Plus(1L).Remainder(time);
        var a = x.gather(1, lower.unsqueeze(2).expand(batch, time, bands));
        var b = x.gather(1, upper.unsqueeze(2).expand(batch, time, bands));
        return a.Plus((b - a) * weight);
    }

    /// <summary>
    /// Warp of each clip's mel axis by a factor about band 0, with linear interpolation and the edge band repeated past
    /// the top: out[b, t, m] = x[b, t, min(m·a_b, M − 1)]. A factor a below 1 moves spectral features up the mel axis
    /// (a shorter vocal tract, higher formants), above 1 down: a vocal-tract-length perturbation in the mel domain.
    /// </summary>
    /// <param name="x">Frames (B, T, M).</param>
    /// <param name="factors">(B) warp factors, each &gt; 0.</param>
    internal static Tensor WarpBands(Tensor x, Tensor factors)
    {
        long batch = x.shape[0], time = x.shape[1], bands = x.shape[2];
        var position = ScalarArithmetic.Arange(bands, ScalarType.Float32, x.device).unsqueeze(0)
            .multiply(factors.to(ScalarType.Float32).unsqueeze(1)).ClampTo(0.0, bands - 1.0);                    // (B, M)
        var below = position.floor();
        var weight = (position - below).unsqueeze(1).to(x.dtype);                                          // (B, 1, M)
        var lower = below.to(ScalarType.Int64);
        var upper = lower.Plus(1L).ClampTo(0L, bands - 1);
        var a = x.gather(2, lower.unsqueeze(1).expand(batch, time, bands));
        var b = x.gather(2, upper.unsqueeze(1).expand(batch, time, bands));
        return a.Plus((b - a) * weight);
    }

    // Shift of each clip along the mel axis by its own s in [−max, max]: out[b, t, m] = x[b, t, clamp(m − s_b, 0, M − 1)].
    private static Tensor ShiftBands(Tensor x, int maxShift, Generator? generator)
    {
        long batch = x.shape[0], time = x.shape[1], bands = x.shape[2];
        var shift = randint(-maxShift, maxShift + 1, [batch, 1], dtype: ScalarType.Int64, device: x.device, generator: generator);        // (B, 1)
        var index = (ScalarArithmetic.Arange(bands, ScalarType.Int64, x.device).unsqueeze(0) - shift).ClampTo(0L, bands - 1); // (B, M)
        return x.gather(2, index.unsqueeze(1).expand(batch, time, bands));
    }

    // With probability p per clip, bands m ≥ c_b (c_b uniform in [⌊f·M⌋, M)) become that band's minimum over the clip's
    // frames: out[b, t, m] = min_t' x[b, t', m] for m ≥ c_b, else x[b, t, m]. Standardization is affine with a positive
    // scale per band, so the floor is the same whether taken before or after it.
    private static Tensor LowPass(Tensor x, double probability, double minFraction, Generator? generator)
    {
        long batch = x.shape[0], bands = x.shape[2];
        long lowest = Math.Min(bands - 1, (long)Math.Floor(minFraction * bands));
        var cutoff = randint(lowest, bands, [batch, 1], dtype: ScalarType.Int64, device: x.device, generator: generator);   // (B, 1)
        var apply = rand([batch, 1], device: x.device, generator: generator).LessThan(probability);                             // (B, 1)
        var cut = ScalarArithmetic.Arange(bands, ScalarType.Int64, x.device).unsqueeze(0) >= cutoff;                       // (B, M)
        var replace = cut.logical_and(apply).unsqueeze(1);                                                               // (B, 1, M)
        return where(replace, x.amin([1], keepdim: true), x);
    }

    // (B, length) 1/0 mask that zeroes one random run of width uniform in [0, maxWidth] per clip.
    private static Tensor KeepMask(long batch, long length, int maxWidth, Tensor like, Generator? generator)
    {
        int widest = (int)Math.Min(maxWidth, length);
        var width = randint(0, widest + 1, [batch, 1], dtype: ScalarType.Int64, device: like.device, generator: generator); // (B, 1)
        var start = (rand([batch, 1], device: like.device, generator: generator) * width.SubtractedFrom(length).Plus(1L).to(ScalarType.Float32)).floor().to(ScalarType.Int64);
        var position = ScalarArithmetic.Arange(length, ScalarType.Int64, like.device).unsqueeze(0);                  // (1, L)
        var masked = (position >= start).logical_and(position < start.Plus(width));
        return masked.logical_not().to(like.dtype);
    }
}
