using QuantumKan.Audio.Mel;

namespace QuantumKan.Audio.Spectral;

/// <summary>
/// The framing of torch.stft (torchaudio 0.13 <c>Spectrogram</c>): a periodic Hann window of WindowLength samples,
/// zero-padded to FftSize and centred in it; frame t starts at sample t·hop of the signal, which is first padded by
/// FftSize/2 on each side when <c>center</c> is set. Immutable and thread-safe.
/// </summary>
internal sealed class StftPlan
{
    private readonly float[] _window; // [FftSize]
    private readonly RealFft _fft;

    public StftPlan(int fftSize, int windowLength, int hopLength, bool center, PadMode padMode, int power)
    {
        FftSize = fftSize;
        HopLength = hopLength;
        Center = center;
        PadMode = padMode;
        Power = power;
        _fft = RealFft.Create(fftSize);
        _window = new float[fftSize];
        int left = (fftSize - windowLength) / 2;
        for (int n = 0; n < windowLength; n++)
            _window[left + n] = (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * n / windowLength)); // periodic Hann
    }

    public int FftSize { get; }
    public int HopLength { get; }
    public bool Center { get; }
    public PadMode PadMode { get; }
    public int Power { get; }
    public int Bins => _fft.Bins;

    /// <summary>Frames for a signal length: 1 + (padded length − FftSize) / hop, or 0 when the signal is too short.</summary>
    public int FrameCount(int signalLength) => checked((int)FrameCount((long)signalLength));

    /// <summary>Frames for a signal length that may exceed an array's (a streamed clip).</summary>
    public long FrameCount(long signalLength)
    {
        long padded = signalLength + (Center ? 2L * (FftSize / 2) : 0);
        if (signalLength == 0 || padded < FftSize)
            return 0;
        return 1 + (padded - FftSize) / HopLength;
    }

    /// <summary>The signal as framed: padded by FftSize/2 each side when centred (reflect or zeros), else itself.</summary>
    public float[] Pad(ReadOnlySpan<float> signal)
    {
        if (!Center)
            return signal.ToArray();
        int pad = FftSize / 2, length = signal.Length;
        var padded = new float[length + 2 * pad];
        signal.CopyTo(padded.AsSpan(pad));
        if (PadMode == PadMode.Reflect && length > 0)
        {
            // numpy-style reflection (edge sample not repeated), folded repeatedly so clips shorter than the pad work
            // too; torch refuses those, and for every length torch accepts this is identical.
            long period = 2L * (length - 1);
            for (int i = 0; i < pad; i++)
            {
                padded[pad - 1 - i] = signal[(int)Reflect(-1 - i, length, period)];
                padded[pad + length + i] = signal[(int)Reflect(length + i, length, period)];
            }
        }
        return padded;
    }

    internal static long Reflect(long index, long length, long period)
    {
        if (period == 0)
            return 0;
        long s = ((index % period) + period) % period;
        return s < length ? s : period - s;
    }

    public float[][] CreateScratch() => [.. _fft.CreateScratch(), new float[Bins]];

    /// <summary>The spectrum of frame <paramref name="frame"/> of an already padded signal, into the last scratch buffer.</summary>
    public ReadOnlySpan<float> FrameSpectrum(ReadOnlySpan<float> padded, int frame, float[][] scratch)
    {
        return Spectrum(padded.Slice(frame * HopLength, FftSize), scratch);
    }

    /// <summary>The spectrum of one frame's <see cref="FftSize"/> samples (already padded), into the last scratch buffer.</summary>
    public ReadOnlySpan<float> Spectrum(ReadOnlySpan<float> frameSamples, float[][] scratch)
    {
        var spectrum = scratch[^1];
        _fft.Spectrum(frameSamples, _window, Power, spectrum, scratch);
        return spectrum;
    }
}
