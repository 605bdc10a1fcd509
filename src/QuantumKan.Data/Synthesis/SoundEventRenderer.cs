namespace QuantumKan.Data.Synthesis;

/// <summary>
/// Renders one synthetic sound event of a given type, peak-normalized to 1. Pure: the output depends only on the
/// type, the sample rate and the random generator's state. A time-reversed type consumes exactly the same random
/// draws as its partner and returns the partner's samples reversed, so the pair are exact mirror images in time.
/// </summary>
public static class SoundEventRenderer
{
    /// <summary>The lowest sample rate the event frequencies fit under (all energy is below 6.5 kHz).</summary>
    public const int MinSampleRate = 16000;

    /// <summary>The longest any event can be, in seconds.</summary>
    public const double MaxEventSeconds = 0.7;

    /// <summary>Renders one event.</summary>
    /// <param name="type">The sound type.</param>
    /// <param name="sampleRate">Sample rate in Hz, at least <see cref="MinSampleRate"/>.</param>
    /// <param name="random">Source of the event's random parameters; advanced by the call.</param>
    /// <returns>The event's samples, peak 1.</returns>
    public static float[] Render(SyntheticSoundType type, int sampleRate, DeterministicRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (sampleRate < MinSampleRate)
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"Synthetic sounds need a sample rate of at least {MinSampleRate} Hz.");
        float[] samples = type switch
        {
            SyntheticSoundType.RisingChirp => RisingChirp(sampleRate, random),
            SyntheticSoundType.FallingChirp => Reversed(RisingChirp(sampleRate, random)),
            SyntheticSoundType.DingDong => DingDong(sampleRate, random),
            SyntheticSoundType.DongDing => Reversed(DingDong(sampleRate, random)),
            SyntheticSoundType.ShortLongBurst => ShortLongBurst(sampleRate, random),
            SyntheticSoundType.LongShortBurst => Reversed(ShortLongBurst(sampleRate, random)),
            SyntheticSoundType.LowNoiseBurst => NoiseBurst(sampleRate, random, 150, 450),
            SyntheticSoundType.HighNoiseBurst => NoiseBurst(sampleRate, random, 3500, 5000),
            SyntheticSoundType.HarmonicTone => HarmonicTone(sampleRate, random),
            SyntheticSoundType.ClickTrain => ClickTrain(sampleRate, random),
            SyntheticSoundType.AmTone => AmTone(sampleRate, random),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown synthetic sound type."),
        };
        NormalizePeak(samples);
        return samples;
    }

    private static float[] RisingChirp(int sr, DeterministicRandom rng)
    {
        int n = Samples(rng.Uniform(0.35, 0.7), sr);
        double f0 = rng.Uniform(300, 450), f1 = rng.Uniform(2800, 3600);
        double duration = (double)n / sr, rate = Math.Log(f1 / f0);
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            // Exponential sweep: instantaneous frequency f0·(f1/f0)^(t/T) is the derivative of this phase / 2π.
            double t = (double)i / sr;
            double phase = 2 * Math.PI * f0 * duration / rate * (Math.Exp(t / duration * rate) - 1);
            x[i] = (float)(Math.Sin(phase) * TukeyWindow.Value(i, n, 0.1));
        }
        return x;
    }

    private static float[] DingDong(int sr, DeterministicRandom rng)
    {
        int half = Samples(rng.Uniform(0.2, 0.35), sr);
        double high = rng.Uniform(1100, 1400), low = high * 0.8; // a major third down
        var x = new float[2 * half];
        HarmonicNote(x.AsSpan(0, half), high, sr);
        HarmonicNote(x.AsSpan(half), low, sr);
        return x;
    }

    private static void HarmonicNote(Span<float> dst, double f, int sr)
    {
        // Symmetric envelope, so the reversed chime plays the same two notes in the other order.
        for (int i = 0; i < dst.Length; i++)
        {
            double w = 2 * Math.PI * f * i / sr;
            dst[i] = (float)((Math.Sin(w) + 0.25 * Math.Sin(2 * w)) * TukeyWindow.Value(i, dst.Length, 0.3));
        }
    }

    private static float[] ShortLongBurst(int sr, DeterministicRandom rng)
    {
        int shortLen = Samples(rng.Uniform(0.06, 0.1), sr);
        int gap = Samples(rng.Uniform(0.05, 0.08), sr);
        int longLen = Samples(rng.Uniform(0.25, 0.4), sr);
        var x = new float[shortLen + gap + longLen];
        var noise = BandLimitedNoise(x.Length, sr, rng, 1000, 2000);
        for (int i = 0; i < shortLen; i++)
            x[i] = noise[i] * (float)TukeyWindow.Value(i, shortLen, 0.3);
        for (int i = 0; i < longLen; i++)
            x[shortLen + gap + i] = noise[shortLen + gap + i] * (float)TukeyWindow.Value(i, longLen, 0.2);
        return x;
    }

    private static float[] NoiseBurst(int sr, DeterministicRandom rng, double lowHz, double highHz)
    {
        int n = Samples(rng.Uniform(0.2, 0.6), sr);
        var x = BandLimitedNoise(n, sr, rng, lowHz, highHz);
        for (int i = 0; i < n; i++)
            x[i] *= (float)TukeyWindow.Value(i, n, 0.2);
        return x;
    }

    private static float[] HarmonicTone(int sr, DeterministicRandom rng)
    {
        int n = Samples(rng.Uniform(0.3, 0.7), sr);
        double f0 = rng.Uniform(150, 250);
        Span<double> phases = stackalloc double[6];
        for (int k = 0; k < phases.Length; k++)
            phases[k] = rng.Uniform(0, 2 * Math.PI);
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int k = 1; k <= phases.Length; k++)
                s += Math.Sin(2 * Math.PI * k * f0 * i / sr + phases[k - 1]) / k;
            x[i] = (float)(s * TukeyWindow.Value(i, n, 0.2));
        }
        return x;
    }

    private static float[] ClickTrain(int sr, DeterministicRandom rng)
    {
        int n = Samples(rng.Uniform(0.3, 0.6), sr);
        double rate = rng.Uniform(10, 16);
        int period = Samples(1.0 / rate, sr), clickLen = Samples(0.003, sr);
        var x = new float[n];
        for (int start = period / 2; start < n; start += period)
            for (int i = 0; i < clickLen && start + i < n; i++)
                x[start + i] = (float)(rng.NextGaussian() * Math.Exp(-5.0 * i / clickLen));
        ButterworthFilter.LowPass(x, 5000, sr, passes: 2); // broadband, yet below 6.5 kHz at any sample rate
        return x;
    }

    private static float[] AmTone(int sr, DeterministicRandom rng)
    {
        int n = Samples(rng.Uniform(0.3, 0.7), sr);
        double carrier = rng.Uniform(2000, 2600), modulation = rng.Uniform(12, 25);
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            double t = (double)i / sr;
            double envelope = 0.5 - 0.5 * Math.Cos(2 * Math.PI * modulation * t);
            x[i] = (float)(envelope * Math.Sin(2 * Math.PI * carrier * t) * TukeyWindow.Value(i, n, 0.1));
        }
        return x;
    }

    /// <summary>White Gaussian noise through a 4th-order high-pass at <paramref name="lowHz"/> and low-pass at <paramref name="highHz"/>.</summary>
    private static float[] BandLimitedNoise(int n, int sr, DeterministicRandom rng, double lowHz, double highHz)
    {
        int warmUp = Samples(0.1, sr); // discarded so the filters' start-up transient never reaches the event
        var x = new float[warmUp + n];
        for (int i = 0; i < x.Length; i++)
            x[i] = (float)rng.NextGaussian();
        // Two passes (48 dB/octave skirts) keep the bands apart and the top band under 6.5 kHz.
        ButterworthFilter.HighPass(x, lowHz, sr, passes: 2);
        ButterworthFilter.LowPass(x, highHz, sr, passes: 2);
        return x[warmUp..];
    }

    private static float[] Reversed(float[] x)
    {
        Array.Reverse(x);
        return x;
    }

    private static void NormalizePeak(float[] x)
    {
        float peak = 0;
        foreach (float v in x)
            peak = Math.Max(peak, Math.Abs(v));
        if (peak > 0)
            for (int i = 0; i < x.Length; i++)
                x[i] /= peak;
    }

    private static int Samples(double seconds, int sr) => Math.Max(1, (int)Math.Round(seconds * sr));
}
