using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace QuantumKan.Audio.Spectral;

/// <summary>
/// In-place forward complex FFT of a power-of-two size on split real/imaginary arrays (iterative radix-2,
/// decimation in time). Hand-written rather than calling torch.stft: the two run within each other's noise for one clip
/// and for batches (<c>FftChoiceBenchmarks</c>; bench/RESULTS.md, section "Micro-benchmarks", figures in
/// bench/results/audio.md), and the
/// managed FFT keeps QuantumKan.Audio free of native torch, allocates nothing native per call, and parallelizes over
/// clips without competing with libtorch's intra-op threads. MathNet's FFT is not referenced here and allocates per
/// call. Twiddles are computed in double once per
/// size; stages whose butterfly span is 8 or more run 8 lanes at a time. Immutable and thread-safe.
/// </summary>
internal sealed class ComplexFft
{
    private readonly int[] _bitReversed;      // [i] = i with its log2(Size) bits reversed
    private readonly float[] _twiddleRe, _twiddleIm; // stage with span h keeps exp(−iπj/h), j < h, at offset h − 1

    public ComplexFft(int size)
    {
        if (size < 1 || !BitOperations.IsPow2(size))
            throw new ArgumentOutOfRangeException(nameof(size), size, "The FFT size must be a power of two.");
        Size = size;
        int bits = BitOperations.Log2((uint)size);
        _bitReversed = new int[size];
        for (int i = 0; i < size; i++)
            _bitReversed[i] = bits == 0 ? 0 : (int)(ReverseBits((uint)i) >> (32 - bits));
        _twiddleRe = new float[Math.Max(size - 1, 1)];
        _twiddleIm = new float[Math.Max(size - 1, 1)];
        for (int h = 1; h < size; h <<= 1)
            for (int j = 0; j < h; j++)
            {
                double angle = -Math.PI * j / h;
                _twiddleRe[h - 1 + j] = (float)Math.Cos(angle);
                _twiddleIm[h - 1 + j] = (float)Math.Sin(angle);
            }
    }

    public int Size { get; }

    /// <summary>[i] = where element i goes in the bit-reversal permutation.</summary>
    public ReadOnlySpan<int> BitReversed => _bitReversed;

    /// <summary>Forward FFT of data in natural order.</summary>
    public void Forward(Span<float> re, Span<float> im)
    {
        for (int i = 0; i < Size; i++)
        {
            int j = _bitReversed[i];
            if (j > i)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }
        ForwardFromBitReversed(re, im);
    }

    /// <summary>Forward FFT of data already stored in bit-reversed order (see <see cref="BitReversed"/>).</summary>
    public void ForwardFromBitReversed(Span<float> re, Span<float> im)
    {
        if (re.Length < Size || im.Length < Size)
            throw new ArgumentException($"Buffers must hold {Size} values.");
        int n = Size;
        ref float r = ref MemoryMarshal.GetReference(re);
        ref float m = ref MemoryMarshal.GetReference(im);

        // Spans 1 and 2 fused as one radix-4 pass: twiddles are 1 and −i, so no multiplications.
        int h = 1;
        if (n >= 4)
        {
            for (int g = 0; g < n; g += 4)
            {
                float r0 = Unsafe(ref r, g), r1 = Unsafe(ref r, g + 1), r2 = Unsafe(ref r, g + 2), r3 = Unsafe(ref r, g + 3);
                float i0 = Unsafe(ref m, g), i1 = Unsafe(ref m, g + 1), i2 = Unsafe(ref m, g + 2), i3 = Unsafe(ref m, g + 3);
                float ar = r0 + r1, ai = i0 + i1, br = r0 - r1, bi = i0 - i1;
                float cr = r2 + r3, ci = i2 + i3, dr = r2 - r3, di = i2 - i3;
                Unsafe(ref r, g) = ar + cr; Unsafe(ref m, g) = ai + ci;
                Unsafe(ref r, g + 2) = ar - cr; Unsafe(ref m, g + 2) = ai - ci;
                // (dr + i·di)·(−i) = di − i·dr
                Unsafe(ref r, g + 1) = br + di; Unsafe(ref m, g + 1) = bi - dr;
                Unsafe(ref r, g + 3) = br - di; Unsafe(ref m, g + 3) = bi + dr;
            }
            h = 4;
        }
        else if (n == 2)
        {
            (re[0], re[1]) = (re[0] + re[1], re[0] - re[1]);
            (im[0], im[1]) = (im[0] + im[1], im[0] - im[1]);
            return;
        }

        for (; h < n; h <<= 1)
        {
            int tw = h - 1;
            if (h >= Vector256<float>.Count && Vector256.IsHardwareAccelerated)
            {
                ref float wr = ref _twiddleRe[tw];
                ref float wi = ref _twiddleIm[tw];
                for (int g = 0; g < n; g += 2 * h)
                    for (int j = 0; j < h; j += Vector256<float>.Count)
                    {
                        nuint a = (nuint)(g + j), b = (nuint)(g + j + h);
                        var cr = Vector256.LoadUnsafe(ref wr, (nuint)j);
                        var ci = Vector256.LoadUnsafe(ref wi, (nuint)j);
                        var xr = Vector256.LoadUnsafe(ref r, b);
                        var xi = Vector256.LoadUnsafe(ref m, b);
                        var tr = xr * cr - xi * ci;
                        var ti = xr * ci + xi * cr;
                        var ur = Vector256.LoadUnsafe(ref r, a);
                        var ui = Vector256.LoadUnsafe(ref m, a);
                        (ur + tr).StoreUnsafe(ref r, a);
                        (ui + ti).StoreUnsafe(ref m, a);
                        (ur - tr).StoreUnsafe(ref r, b);
                        (ui - ti).StoreUnsafe(ref m, b);
                    }
            }
            else
            {
                for (int g = 0; g < n; g += 2 * h)
                    for (int j = 0; j < h; j++)
                    {
                        int a = g + j, b = a + h;
                        float cr = _twiddleRe[tw + j], ci = _twiddleIm[tw + j];
                        float xr = re[b], xi = im[b];
                        float tr = xr * cr - xi * ci, ti = xr * ci + xi * cr;
                        re[b] = re[a] - tr;
                        im[b] = im[a] - ti;
                        re[a] += tr;
                        im[a] += ti;
                    }
            }
        }
    }

    private static ref float Unsafe(ref float origin, int index) => ref System.Runtime.CompilerServices.Unsafe.Add(ref origin, index);

    private static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
        return (v >> 16) | (v << 16);
    }
}
