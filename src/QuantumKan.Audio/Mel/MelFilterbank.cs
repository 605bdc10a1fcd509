using System.Collections.Concurrent;
using QuantumKan.Audio.Spectral;

namespace QuantumKan.Audio.Mel;

/// <summary>
/// Triangular mel filters over the bins of a one-sided FFT, built exactly as torchaudio 0.13
/// <c>functional.melscale_fbanks</c> builds them: bin centres <c>linspace(0, sampleRate // 2, fftSize/2 + 1)</c>, band
/// edges evenly spaced in mels between <c>fMin</c> and <c>fMax</c>, triangles <c>max(0, min(down, up))</c>, optional
/// Slaney area normalization. Each band is stored as its contiguous run of nonzero weights, so applying the bank
/// costs the filters' total width, not <c>bins × bands</c>.
/// Immutable and thread-safe; <see cref="Get"/> caches one bank per configuration.
/// </summary>
public sealed class MelFilterbank
{
    private const int MaxCached = 64;
    private static readonly ConcurrentDictionary<(int, int, int, double, double, MelScale, MelNorm), MelFilterbank> Cache = new();

    private readonly float[] _weights;  // band m's nonzero weights at [_offset[m], _offset[m] + _count[m])
    private readonly int[] _offset, _firstBin, _count;

    private MelFilterbank(int sampleRate, int fftSize, int melBands, double fMin, double fMax, MelScale scale, MelNorm norm)
    {
        SampleRate = sampleRate;
        FftSize = fftSize;
        MelBands = melBands;
        FMin = fMin;
        FMax = fMax;
        Scale = scale;
        Norm = norm;
        int bins = FrequencyBins = fftSize / 2 + 1;

        // Bin centres and band edges, in Hz (torchaudio: all_freqs and f_pts).
        double nyquist = sampleRate / 2; // integer division, as torchaudio's sample_rate // 2
        var binHz = new double[bins];
        for (int k = 0; k < bins; k++)
            binHz[k] = bins == 1 ? 0 : nyquist * k / (bins - 1);
        double melMin = MelScaleConversion.HzToMel(fMin, scale), melMax = MelScaleConversion.HzToMel(fMax, scale);
        var edgeHz = new double[melBands + 2];
        for (int i = 0; i < edgeHz.Length; i++)
            edgeHz[i] = MelScaleConversion.MelToHz(melMin + (melMax - melMin) * i / (melBands + 1), scale);

        _offset = new int[melBands];
        _firstBin = new int[melBands];
        _count = new int[melBands];
        var weights = new List<float>();
        for (int m = 0; m < melBands; m++)
        {
            double lower = edgeHz[m], centre = edgeHz[m + 1], upper = edgeHz[m + 2];
            double areaNorm = norm == MelNorm.Slaney ? 2.0 / (upper - lower) : 1.0;
            _offset[m] = weights.Count;
            int first = -1, last = -1;
            var band = new double[bins];
            for (int k = 0; k < bins; k++)
            {
                double down = (binHz[k] - lower) / (centre - lower);
                double up = (upper - binHz[k]) / (upper - centre);
                double w = Math.Max(0.0, Math.Min(down, up)) * areaNorm;
                band[k] = w;
                if (w > 0)
                {
                    if (first < 0)
                        first = k;
                    last = k;
                }
            }
            // A band narrower than one bin has no nonzero weight (torchaudio warns); it stays an empty run.
            _firstBin[m] = Math.Max(first, 0);
            _count[m] = first < 0 ? 0 : last - first + 1;
            for (int k = 0; k < _count[m]; k++)
                weights.Add((float)band[_firstBin[m] + k]);
        }
        _weights = weights.ToArray();
    }

    /// <summary>Sample rate in Hz the bank was built for.</summary>
    public int SampleRate { get; }

    /// <summary>FFT size (n_fft); the bank spans <c>FftSize/2 + 1</c> bins.</summary>
    public int FftSize { get; }

    /// <summary>Number of one-sided FFT bins, <c>FftSize/2 + 1</c>.</summary>
    public int FrequencyBins { get; }

    /// <summary>Number of mel bands.</summary>
    public int MelBands { get; }

    /// <summary>Lowest band edge in Hz.</summary>
    public double FMin { get; }

    /// <summary>Highest band edge in Hz.</summary>
    public double FMax { get; }

    /// <summary>The mel scale.</summary>
    public MelScale Scale { get; }

    /// <summary>The filter normalization.</summary>
    public MelNorm Norm { get; }

    /// <summary>Number of mel bands whose filter has no nonzero weight (too many bands for the FFT size).</summary>
    public int EmptyBands => _count.Count(c => c == 0);

    /// <summary>Gets a cached bank for a configuration, building it on first use.</summary>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <param name="fftSize">FFT size (n_fft), at least 2.</param>
    /// <param name="melBands">Number of bands, at least 1.</param>
    /// <param name="fMin">Lowest edge in Hz, ≥ 0.</param>
    /// <param name="fMax">Highest edge in Hz, in (fMin, sampleRate/2].</param>
    /// <param name="scale">Mel scale.</param>
    /// <param name="norm">Filter normalization.</param>
    /// <returns>The shared bank.</returns>
    public static MelFilterbank Get(int sampleRate, int fftSize, int melBands, double fMin, double fMax, MelScale scale, MelNorm norm)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sampleRate, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(fftSize, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(melBands, 1);
        if (!(fMin >= 0) || !(fMax > fMin) || fMax > sampleRate / 2.0)
            throw new ArgumentOutOfRangeException(nameof(fMax), $"Need 0 ≤ fMin < fMax ≤ sampleRate/2; got fMin {fMin}, fMax {fMax}, sampleRate {sampleRate}.");
        var key = (sampleRate, fftSize, melBands, fMin, fMax, scale, norm);
        if (Cache.TryGetValue(key, out var bank))
            return bank;
        if (Cache.Count >= MaxCached)
            Cache.Clear();
        return Cache.GetOrAdd(key, k => new MelFilterbank(k.Item1, k.Item2, k.Item3, k.Item4, k.Item5, k.Item6, k.Item7));
    }

    /// <summary>The dense weights, <c>[band, bin]</c> (torchaudio's matrix transposed).</summary>
    /// <returns>A new <c>MelBands × FrequencyBins</c> array.</returns>
    public float[,] ToDense()
    {
        var dense = new float[MelBands, FrequencyBins];
        for (int m = 0; m < MelBands; m++)
            for (int k = 0; k < _count[m]; k++)
                dense[m, _firstBin[m] + k] = _weights[_offset[m] + k];
        return dense;
    }

    /// <summary>Applies the bank to one spectrum frame.</summary>
    /// <param name="spectrum">One frame of <see cref="FrequencyBins"/> power (or magnitude) values.</param>
    /// <param name="mel">Destination, <see cref="MelBands"/> values.</param>
    public void Apply(ReadOnlySpan<float> spectrum, Span<float> mel)
    {
        if (spectrum.Length != FrequencyBins || mel.Length != MelBands)
            throw new ArgumentException($"Expected {FrequencyBins} bins in and {MelBands} bands out; got {spectrum.Length} and {mel.Length}.");
        for (int m = 0; m < MelBands; m++)
            mel[m] = SimdKernels.Dot(new ReadOnlySpan<float>(_weights, _offset[m], _count[m]), spectrum.Slice(_firstBin[m], _count[m]));
    }
}
