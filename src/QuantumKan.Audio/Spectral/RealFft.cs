using System.Numerics;

namespace QuantumKan.Audio.Spectral;

/// <summary>
/// One-sided spectrum (bins 0 … n/2) of a windowed real frame of any length n. Powers of two pack the frame as n/2
/// complex values and untangle the halves (one half-size FFT); other sizes use Bluestein's chirp-z transform on a
/// power-of-two FFT. Immutable and thread-safe; per-call buffers come from <see cref="CreateScratch"/>.
/// </summary>
internal abstract class RealFft
{
    protected RealFft(int size) => Size = size;

    /// <summary>The frame length n.</summary>
    public int Size { get; }

    /// <summary>Number of one-sided bins, n/2 + 1.</summary>
    public int Bins => Size / 2 + 1;

    public static RealFft Create(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        return BitOperations.IsPow2(size) && size >= 4 ? new PackedRealFft(size) : new BluesteinRealFft(size);
    }

    /// <summary>Scratch buffers for one thread.</summary>
    public abstract float[][] CreateScratch();

    /// <summary>
    /// |X[k]|^power for k = 0 … n/2 of the frame <c>x·w</c> (power 2: squared magnitude; power 1: magnitude).
    /// </summary>
    /// <param name="frame">n samples.</param>
    /// <param name="window">n window values.</param>
    /// <param name="power">1 or 2.</param>
    /// <param name="spectrum">n/2 + 1 outputs.</param>
    /// <param name="scratch">From <see cref="CreateScratch"/>; not shared between threads.</param>
    public abstract void Spectrum(ReadOnlySpan<float> frame, ReadOnlySpan<float> window, int power, Span<float> spectrum, float[][] scratch);

    protected static float Magnitude(float re, float im, int power)
    {
        float p = re * re + im * im;
        return power == 2 ? p : MathF.Sqrt(p);
    }
}

/// <summary>Power-of-two n: z[k] = x[2k] + i·x[2k+1], Z = FFT_{n/2}(z), X[k] = Ze[k] + W^k·Zo[k].</summary>
internal sealed class PackedRealFft : RealFft
{
    private readonly ComplexFft _half;
    private readonly float[] _splitRe, _splitIm; // W^k = exp(−2πik/n), k < n/2

    public PackedRealFft(int size) : base(size)
    {
        int half = size / 2;
        _half = new ComplexFft(half);
        _splitRe = new float[half];
        _splitIm = new float[half];
        for (int k = 0; k < half; k++)
        {
            double angle = -2 * Math.PI * k / size;
            _splitRe[k] = (float)Math.Cos(angle);
            _splitIm[k] = (float)Math.Sin(angle);
        }
    }

    public override float[][] CreateScratch() => [new float[Size / 2], new float[Size / 2]];

    public override void Spectrum(ReadOnlySpan<float> frame, ReadOnlySpan<float> window, int power, Span<float> spectrum, float[][] scratch)
    {
        int half = Size / 2;
        var re = scratch[0].AsSpan(0, half);
        var im = scratch[1].AsSpan(0, half);
        var order = _half.BitReversed;
        frame = frame[..Size];
        window = window[..Size];
        for (int k = 0; k < half; k++)
        {
            int dst = order[k];
            re[dst] = frame[2 * k] * window[2 * k];
            im[dst] = frame[2 * k + 1] * window[2 * k + 1];
        }
        _half.ForwardFromBitReversed(re, im);

        spectrum[0] = Magnitude(re[0] + im[0], 0, power);
        spectrum[half] = Magnitude(re[0] - im[0], 0, power);
        for (int k = 1; k < half; k++)
        {
            float zr = re[k], zi = im[k], cr = re[half - k], ci = -im[half - k]; // Z[k] and conj(Z[n/2 − k])
            float er = 0.5f * (zr + cr), ei = 0.5f * (zi + ci);                   // even part
            float orr = 0.5f * (zi - ci), oi = -0.5f * (zr - cr);                 // odd part: −i·(Z − conj)/2
            float wr = _splitRe[k], wi = _splitIm[k];
            spectrum[k] = Magnitude(er + wr * orr - wi * oi, ei + wr * oi + wi * orr, power);
        }
    }
}

/// <summary>Any n: X[k] = c[k]·Σ_j (x[j]·c[j])·conj(c[k−j]) with the chirp c[k] = exp(−iπk²/n), a circular convolution of length L ≥ 2n − 1.</summary>
internal sealed class BluesteinRealFft : RealFft
{
    private readonly ComplexFft _fft;
    private readonly float[] _chirpRe, _chirpIm;     // c[k], k < n
    private readonly float[] _filterRe, _filterIm;   // FFT_L of conj(c) laid out circularly

    public BluesteinRealFft(int size) : base(size)
    {
        int length = (int)BitOperations.RoundUpToPowerOf2((uint)(2 * size - 1));
        _fft = new ComplexFft(length);
        _chirpRe = new float[size];
        _chirpIm = new float[size];
        _filterRe = new float[length];
        _filterIm = new float[length];
        for (int k = 0; k < size; k++)
        {
            // k² mod 2n keeps the angle small, so the chirp stays accurate for large k.
            long k2 = (long)k * k % (2L * size);
            double angle = -Math.PI * k2 / size;
            _chirpRe[k] = (float)Math.Cos(angle);
            _chirpIm[k] = (float)Math.Sin(angle);
            _filterRe[k] = _chirpRe[k];
            _filterIm[k] = -_chirpIm[k];
            if (k > 0)
            {
                _filterRe[length - k] = _chirpRe[k];
                _filterIm[length - k] = -_chirpIm[k];
            }
        }
        _fft.Forward(_filterRe, _filterIm);
    }

    public override float[][] CreateScratch() => [new float[_fft.Size], new float[_fft.Size]];

    public override void Spectrum(ReadOnlySpan<float> frame, ReadOnlySpan<float> window, int power, Span<float> spectrum, float[][] scratch)
    {
        int length = _fft.Size;
        var re = scratch[0].AsSpan(0, length);
        var im = scratch[1].AsSpan(0, length);
        re.Clear();
        im.Clear();
        for (int k = 0; k < Size; k++)
        {
            float x = frame[k] * window[k];
            re[k] = x * _chirpRe[k];
            im[k] = x * _chirpIm[k];
        }
        _fft.Forward(re, im);
        // Multiply by the filter's spectrum, conjugated, so the forward FFT below computes the inverse (up to 1/L).
        for (int k = 0; k < length; k++)
        {
            float ar = re[k], ai = im[k], br = _filterRe[k], bi = _filterIm[k];
            re[k] = ar * br - ai * bi;
            im[k] = -(ar * bi + ai * br);
        }
        _fft.Forward(re, im);
        float inv = 1f / length;
        for (int k = 0; k < Bins; k++)
        {
            // conv[k] = conj(result[k]) / L; X[k] = c[k]·conv[k]. |X| needs only |conv| since |c[k]| = 1.
            spectrum[k] = Magnitude(re[k] * inv, im[k] * inv, power);
        }
    }
}
