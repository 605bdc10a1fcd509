using QuantumKan.Audio.Mel;

namespace QuantumKan.Audio.Spectral;

/// <summary>Short-time spectra with torch.stft / torchaudio <c>Spectrogram</c> framing (periodic Hann, one-sided, not normalized).</summary>
public static class Spectrogram
{
    /// <summary>Computes |STFT|^power.</summary>
    /// <param name="signal">Mono samples.</param>
    /// <param name="fftSize">FFT size n_fft, ≥ 2.</param>
    /// <param name="hopLength">Hop in samples, ≥ 1.</param>
    /// <param name="windowLength">Periodic Hann length, in 1…fftSize; null means fftSize.</param>
    /// <param name="center">Pad by fftSize/2 each side so frame t is centred on sample t·hop. Default true.</param>
    /// <param name="padMode">Padding when centred. Default reflect.</param>
    /// <param name="power">2 for power, 1 for magnitude. Default 2.</param>
    /// <returns><c>frames × (fftSize/2 + 1)</c> values, time-major.</returns>
    public static float[] Compute(ReadOnlySpan<float> signal, int fftSize, int hopLength, int? windowLength = null,
        bool center = true, PadMode padMode = PadMode.Reflect, int power = 2)
    {
        new LogMelOptions
        {
            FftSize = fftSize, HopLength = hopLength, WindowLength = windowLength, Center = center, PadMode = padMode, Power = power,
        }.Validate();
        var plan = new StftPlan(fftSize, windowLength ?? fftSize, hopLength, center, padMode, power);
        int frames = plan.FrameCount(signal.Length);
        var result = new float[frames * plan.Bins];
        var padded = plan.Pad(signal);
        var scratch = plan.CreateScratch();
        for (int t = 0; t < frames; t++)
            plan.FrameSpectrum(padded, t, scratch).CopyTo(result.AsSpan(t * plan.Bins));
        return result;
    }
}
