using BenchmarkDotNet.Attributes;
using QuantumKan.Audio;
using QuantumKan.Audio.Mel;
using QuantumKan.Audio.Resampling;
using QuantumKan.Audio.Wav;

namespace QuantumKan.Bench.Audio;

/// <summary>
/// The two cases of the audio issue, per clip on one thread, plus decode and resample alone.
/// Case 1: decode + log-mel (n_fft 512, hop 160, 64 mels) + mean/std pooling of a 1 s 16 kHz clip.
/// Case 2: decode + resample 44.1→22.05 kHz + log-mel (96 mels, 30 ms window = 662, 10 ms hop = 220, n_fft 1024) of a 10 s clip.
/// bench/reference/featurize.py does the same work with torchaudio 0.13.
/// </summary>
[MemoryDiagnoser]
public class AudioFrontEndBenchmarks
{
    private static readonly LogMelOptions Case1Options = new()
    {
        SampleRate = 16000, FftSize = 512, HopLength = 160, MelBands = 64, OutputScale = MelOutputScale.Log,
        Layout = FeatureLayout.Pooled, PoolingStatistics = PoolingStatistics.Mean | PoolingStatistics.Std,
    };

    private static readonly LogMelOptions Case2Options = new()
    {
        SampleRate = 22050, FftSize = 1024, WindowLength = 662, HopLength = 220, MelBands = 96, OutputScale = MelOutputScale.Log,
    };

    private readonly AudioFrontEnd _case1 = new(Case1Options);
    private readonly AudioFrontEnd _case2 = new(Case2Options);
    private string _short = "", _long = "";
    private float[] _longSamples = [];
    private string[] _batch = [];

    [GlobalSetup]
    public void Setup()
    {
        _short = BenchClips.Short;
        _long = BenchClips.Long;
        _longSamples = WavDecoder.Decode(_long).Mono;
        _ = SincResampler.Get(44100, 22050);
        _batch = Enumerable.Range(0, 64).Select(i => BenchClips.Ensure($"batch_{i:D2}.wav", 16000, 1.0)).ToArray();
    }

    [Benchmark(Description = "case 1: decode + log-mel + pool, 1 s 16 kHz")]
    public float[] Case1() => _case1.FeaturizeFile(_short);

    [Benchmark(Description = "case 2: decode + resample + log-mel, 10 s 44.1 kHz")]
    public float[] Case2() => _case2.FeaturizeFile(_long);

    [Benchmark(Description = "case 1 × 64 files, FeaturizeFiles on all cores", OperationsPerInvoke = 64)]
    public int Case1Batch() => _case1.FeaturizeFiles(_batch).Length;

    [Benchmark(Description = "decode 1 s 16 kHz")]
    public AudioClip DecodeShort() => WavDecoder.Decode(_short);

    [Benchmark(Description = "decode 10 s 44.1 kHz")]
    public AudioClip DecodeLong() => WavDecoder.Decode(_long);

    [Benchmark(Description = "resample 10 s 44.1 → 22.05 kHz")]
    public float[] ResampleLong() => SincResampler.Get(44100, 22050).Resample(_longSamples);
}
