using QuantumKan.Audio.Spectral;

namespace QuantumKan.Audio.Mel;

/// <summary>
/// The functional core of the mel front end: mel spectrogram (torchaudio 0.13 <c>MelSpectrogram</c>) and its output
/// scaling (<c>AmplitudeToDB</c>, or a natural log). Pure functions of their inputs.
/// </summary>
public static class MelSpectrogram
{
    /// <summary>The mel spectrogram of a mono signal, before output scaling.</summary>
    /// <param name="signal">Samples at <see cref="LogMelOptions.SampleRate"/>.</param>
    /// <param name="options">Front-end parameters.</param>
    /// <returns><c>frames × mels</c> power (or magnitude, for power 1) values.</returns>
    /// <exception cref="ArgumentException">The signal is too short to give one frame.</exception>
    public static MelFrames Compute(ReadOnlySpan<float> signal, LogMelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var plan = new StftPlan(options.FftSize, options.EffectiveWindowLength, options.HopLength, options.Center, options.PadMode, options.Power);
        var bank = MelFilterbank.Get(options.SampleRate, options.FftSize, options.MelBands, options.FMin, options.EffectiveFMax, options.MelScale, options.MelNorm);
        return Compute(signal, plan, bank);
    }

    internal static MelFrames Compute(ReadOnlySpan<float> signal, StftPlan plan, MelFilterbank bank)
    {
        int frames = plan.FrameCount(signal.Length);
        if (frames == 0)
            throw new ArgumentException(
                $"The clip has {signal.Length} samples; at least {(plan.Center ? 1 : plan.FftSize)} are needed for one frame (n_fft {plan.FftSize}, center {plan.Center}).",
                nameof(signal));
        int mels = bank.MelBands;
        var values = new float[frames * mels];
        var padded = plan.Pad(signal);
        var scratch = plan.CreateScratch();
        for (int t = 0; t < frames; t++)
            bank.Apply(plan.FrameSpectrum(padded, t, scratch), values.AsSpan(t * mels, mels));
        return new MelFrames(values, frames, mels);
    }

    /// <summary>Applies the output scale in place and returns the value that zero power maps to (the floor used for padding).</summary>
    /// <param name="values">Mel values of one clip (any layout).</param>
    /// <param name="options">Scale parameters: <see cref="LogMelOptions.OutputScale"/>, LogOffset, Amin, TopDb, Power.</param>
    /// <returns>The scaled value of silence: 0, ln(offset), or the dB floor of this clip.</returns>
    public static float ApplyScale(Span<float> values, LogMelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch (options.OutputScale)
        {
            case MelOutputScale.Power:
                return 0f;
            case MelOutputScale.Log:
                SimdKernels.LogWithOffset(values, (float)options.LogOffset);
                return MathF.Log((float)options.LogOffset);
            default:
            {
                // AmplitudeToDB: stype "power" (×10) for power spectra, "magnitude" (×20) for magnitudes; ref = 1.
                float multiplier = options.Power == 2 ? 10f : 20f;
                float amin = (float)options.Amin;
                float max = SimdKernels.Decibels(values, multiplier, amin);
                float floor = multiplier * MathF.Log10(amin);
                if (options.TopDb is { } topDb && values.Length > 0)
                {
                    floor = Math.Max(floor, max - (float)topDb);
                    SimdKernels.ClampBelow(values, max - (float)topDb);
                }
                return floor;
            }
        }
    }
}
