using System.Buffers;
using System.Collections.Concurrent;
using QuantumKan.Audio.Spectral;

namespace QuantumKan.Audio.Resampling;

/// <summary>
/// Band-limited resampling by a rational ratio with a Hann-windowed sinc: the algorithm of torchaudio 0.13
/// <c>functional.resample</c> (<c>resampling_method="sinc_interpolation"</c>), so outputs match it to float rounding.
/// <para>
/// Both rates are divided by their GCD, giving O input and N output samples per period (44.1k→16k: O = 441, N = 160).
/// Output sample <c>k·N + p</c> is the dot product of phase p's kernel with the input around <c>k·O</c>. The low-pass
/// cut-off is <c>rolloff · min(O, N)</c> (in reduced units, i.e. rolloff × the lower Nyquist), and the sinc spans
/// <c>lowpassFilterWidth</c> zero crossings each side. torchaudio stores every phase over the full
/// <c>2·width + O</c> span, mostly zeros; here each phase keeps only its nonzero taps (about
/// <c>2·lowpassFilterWidth·O / cutoff</c>), which gives the same sums with far fewer multiplications.
/// The input is treated as zero outside its ends; the output has <c>ceil(N·length / O)</c> samples.
/// </para>
/// Thread-safe after construction. Build kernels once per rate pair through <see cref="Get"/>, which caches them.
/// </summary>
public sealed class SincResampler
{
    private const int MaxCachedKernels = 64;
    private static readonly ConcurrentDictionary<(int, int, int, double), SincResampler> Cache = new();

    private readonly float[] _taps;        // all phases' nonzero taps, back to back
    private readonly int[] _tapOffset;     // [phase] start of its taps in _taps
    private readonly int[] _tapCount;      // [phase] number of taps
    private readonly int[] _inputOffset;   // [phase] first input sample used, relative to k·O (may be negative)
    private readonly int _reducedOriginal, _reducedTarget, _padLeft, _padRight;

    /// <summary>Builds the polyphase kernel for one rate pair. Prefer <see cref="Get"/>, which caches it.</summary>
    /// <param name="originalRate">Input sample rate in Hz, positive.</param>
    /// <param name="targetRate">Output sample rate in Hz, positive.</param>
    /// <param name="lowpassFilterWidth">Zero crossings of the sinc on each side; default 6 (torchaudio's default).</param>
    /// <param name="rolloff">Cut-off as a fraction of the lower Nyquist frequency, in (0, 1]; default 0.99 (torchaudio's default).</param>
    public SincResampler(int originalRate, int targetRate, int lowpassFilterWidth = 6, double rolloff = 0.99)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(originalRate, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(targetRate, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lowpassFilterWidth, 0);
        if (!(rolloff > 0 && rolloff <= 1))
            throw new ArgumentOutOfRangeException(nameof(rolloff), rolloff, "rolloff must be in (0, 1].");
        OriginalRate = originalRate;
        TargetRate = targetRate;
        LowpassFilterWidth = lowpassFilterWidth;
        Rolloff = rolloff;

        int gcd = Gcd(originalRate, targetRate);
        int o = _reducedOriginal = originalRate / gcd;
        int n = _reducedTarget = targetRate / gcd;
        double cutoff = Math.Min(o, n) * rolloff;
        int width = (int)Math.Ceiling(lowpassFilterWidth * (double)o / cutoff);
        _padLeft = width;
        _padRight = width + o;
        double halfSpan = lowpassFilterWidth * (double)o / cutoff; // in input samples: |t| < lowpassFilterWidth
        double scale = cutoff / o;

        _tapOffset = new int[n];
        _tapCount = new int[n];
        _inputOffset = new int[n];
        var taps = new List<float>(n * ((int)(2 * halfSpan) + 3));
        for (int p = 0; p < n; p++)
        {
            // torchaudio's kernel index m covers [0, 2·width + O); taps outside |t| < width·O/cutoff are zero.
            double centre = width + (double)p * o / n;
            int lo = Math.Max(0, (int)Math.Floor(centre - halfSpan));
            int hi = Math.Min(2 * width + o, (int)Math.Ceiling(centre + halfSpan) + 1);
            _tapOffset[p] = taps.Count;
            _inputOffset[p] = lo - width;
            for (int m = lo; m < hi; m++)
            {
                // Same expression order as torchaudio: t = (m − width)/O − p/N, scaled by the cut-off, clamped.
                double t = (double)(m - width) / o + -(double)p / n;
                t = Math.Clamp(t * cutoff, -lowpassFilterWidth, lowpassFilterWidth);
                double window = Math.Cos(t * Math.PI / lowpassFilterWidth / 2);
                t *= Math.PI;
                double sinc = t == 0 ? 1.0 : Math.Sin(t) / t;
                taps.Add((float)(sinc * window * window * scale));
            }
            _tapCount[p] = taps.Count - _tapOffset[p];
        }
        _taps = taps.ToArray();
    }

    /// <summary>Input sample rate in Hz.</summary>
    public int OriginalRate { get; }

    /// <summary>Output sample rate in Hz.</summary>
    public int TargetRate { get; }

    /// <summary>Zero crossings of the sinc on each side.</summary>
    public int LowpassFilterWidth { get; }

    /// <summary>Cut-off as a fraction of the lower Nyquist frequency.</summary>
    public double Rolloff { get; }

    /// <summary>Number of nonzero kernel taps over all phases (memory: 4 bytes each).</summary>
    public int TapCount => _taps.Length;

    /// <summary>A cached resampler for a rate pair (kernels are built once per parameter set and shared).</summary>
    /// <param name="originalRate">Input sample rate in Hz.</param>
    /// <param name="targetRate">Output sample rate in Hz.</param>
    /// <param name="lowpassFilterWidth">Zero crossings each side; default 6.</param>
    /// <param name="rolloff">Cut-off fraction of the lower Nyquist; default 0.99.</param>
    /// <returns>The shared resampler.</returns>
    public static SincResampler Get(int originalRate, int targetRate, int lowpassFilterWidth = 6, double rolloff = 0.99)
    {
        var key = (originalRate, targetRate, lowpassFilterWidth, rolloff);
        if (Cache.TryGetValue(key, out var cached))
            return cached;
        if (Cache.Count >= MaxCachedKernels)
            Cache.Clear(); // Odd rate pairs in a data set must not grow the cache without bound.
        return Cache.GetOrAdd(key, k => new SincResampler(k.Item1, k.Item2, k.Item3, k.Item4));
    }

    /// <summary>Resamples with the default kernel (6 zero crossings, rolloff 0.99), cached per rate pair.</summary>
    /// <param name="input">Samples at <paramref name="originalRate"/>.</param>
    /// <param name="originalRate">Input sample rate in Hz.</param>
    /// <param name="targetRate">Output sample rate in Hz.</param>
    /// <returns>Samples at <paramref name="targetRate"/>; a copy of the input when the rates are equal.</returns>
    public static float[] Resample(ReadOnlySpan<float> input, int originalRate, int targetRate) =>
        originalRate == targetRate ? input.ToArray() : Get(originalRate, targetRate).Resample(input);

    /// <summary>Resamples every channel of a clip; returns the clip itself when it is already at the target rate.</summary>
    /// <param name="clip">The clip.</param>
    /// <param name="targetRate">Output sample rate in Hz.</param>
    /// <returns>A clip at <paramref name="targetRate"/>.</returns>
    public static AudioClip Resample(AudioClip clip, int targetRate)
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (clip.SampleRate == targetRate)
            return clip;
        var resampler = Get(clip.SampleRate, targetRate);
        var channels = clip.Channels.Select(c => resampler.Resample(c)).ToArray();
        return new AudioClip(targetRate, channels, clip.IsTruncated);
    }

    /// <summary>Output length for an input length: <c>ceil(N·length / O)</c> with the reduced rates.</summary>
    /// <param name="inputLength">Input samples.</param>
    /// <returns>Output samples.</returns>
    public int OutputLength(int inputLength) =>
        checked((int)(((long)_reducedTarget * inputLength + _reducedOriginal - 1) / _reducedOriginal));

    /// <summary>Resamples one channel.</summary>
    /// <param name="input">Samples at <see cref="OriginalRate"/>.</param>
    /// <returns>Samples at <see cref="TargetRate"/>, <see cref="OutputLength(int)"/> of them.</returns>
    public float[] Resample(ReadOnlySpan<float> input)
    {
        var output = new float[OutputLength(input.Length)];
        Resample(input, output);
        return output;
    }

    /// <summary>Resamples one channel into a buffer of exactly <see cref="OutputLength(int)"/> samples.</summary>
    /// <param name="input">Samples at <see cref="OriginalRate"/>.</param>
    /// <param name="output">Destination, <c>OutputLength(input.Length)</c> long.</param>
    public void Resample(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length != OutputLength(input.Length))
            throw new ArgumentException($"output must hold {OutputLength(input.Length)} samples, not {output.Length}.", nameof(output));
        // Zero-pad once (width before, width + O after) so no tap needs a bounds test; index i of the input is at i + padLeft.
        // The padded copy is pooled: it is as long as the input, so a fresh array per clip would be a large-object-heap
        // allocation every call.
        int length = _padLeft + input.Length + _padRight;
        var pooled = ArrayPool<float>.Shared.Rent(length);
        try
        {
            var padded = pooled.AsSpan(0, length);
            padded[.._padLeft].Clear();
            input.CopyTo(padded[_padLeft..]);
            padded[(_padLeft + input.Length)..].Clear();
            int o = _reducedOriginal, n = _reducedTarget;
            for (int j = 0; j < output.Length; j++)
            {
                int k = j / n, p = j - k * n;
                int start = _padLeft + k * o + _inputOffset[p];
                output[j] = SimdKernels.Dot(new ReadOnlySpan<float>(_taps, _tapOffset[p], _tapCount[p]), padded.Slice(start, _tapCount[p]));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(pooled);
        }
    }

    /// <summary>Output length for an input length that may exceed an array's (a streamed clip).</summary>
    internal long OutputLength(long inputLength) => (_reducedTarget * inputLength + _reducedOriginal - 1) / _reducedOriginal;

    /// <summary>Resamples a signal of <paramref name="inputLength"/> samples that arrives in chunks (see <see cref="ResamplerStream"/>).</summary>
    internal ResamplerStream CreateStream(long inputLength) => new(this, inputLength);

    /// <summary>
    /// Resampling of one channel that arrives in chunks: each output sample is computed as soon as the input its taps
    /// cover has arrived, from exactly the values (and zeros past the ends) that <see cref="Resample(ReadOnlySpan{float}, Span{float})"/>
    /// would use, so the outputs are bit-identical; memory is one kernel span plus a chunk. The input's total length
    /// must be known up front.
    /// </summary>
    internal sealed class ResamplerStream
    {
        private readonly SincResampler _kernel;
        private readonly long _inputLength;
        private readonly int _minInputOffset;
        private readonly SampleWindow _window = new();
        private readonly float[] _edge;   // one tap span, zero-padded past the input's ends
        private long _next;

        internal ResamplerStream(SincResampler kernel, long inputLength)
        {
            _kernel = kernel;
            _inputLength = inputLength;
            _minInputOffset = kernel._inputOffset.Min();
            _edge = new float[kernel._tapCount.Max()];
            OutputLength = kernel.OutputLength(inputLength);
        }

        /// <summary>Output samples the whole input gives.</summary>
        public long OutputLength { get; }

        /// <summary>Whether every output sample has been drained.</summary>
        public bool IsFinished => _next == OutputLength;

        /// <summary>Appends the next input samples.</summary>
        public void Append(ReadOnlySpan<float> input)
        {
            if (_window.End + input.Length > _inputLength)
                throw new InvalidOperationException($"The input was declared {_inputLength} samples long.");
            _window.Append(input);
        }

        /// <summary>Writes the output samples now computable, in order, into <paramref name="destination"/>; returns how many.</summary>
        public int Drain(Span<float> destination)
        {
            int o = _kernel._reducedOriginal, n = _kernel._reducedTarget, written = 0;
            while (written < destination.Length && _next < OutputLength)
            {
                long k = _next / n;
                int p = (int)(_next - k * n), count = _kernel._tapCount[p];
                long from = k * o + _kernel._inputOffset[p], end = from + count;
                if (_window.End < _inputLength && _window.End < end)
                    break; // its taps reach input not yet appended
                ReadOnlySpan<float> input;
                if (from >= 0 && end <= _inputLength)
                    input = _window.Slice(from, count);
                else
                {
                    for (int i = 0; i < count; i++)
                        _edge[i] = from + i >= 0 && from + i < _inputLength ? _window[from + i] : 0f;
                    input = _edge.AsSpan(0, count);
                }
                destination[written++] = SimdKernels.Dot(new ReadOnlySpan<float>(_kernel._taps, _kernel._tapOffset[p], count), input);
                _next++;
            }
            // Every later output's taps start at or after k·O + (the smallest phase offset).
            _window.Discard(_next / n * o + _minInputOffset);
            return written;
        }
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
            (a, b) = (b, a % b);
        return a;
    }
}
