using QuantumKan.Audio.Mel;
using QuantumKan.Data.Synthesis;
using QuantumKan.Data;

namespace QuantumKan.Bench.Compare;

/// <summary>
/// What both sides of bench/run.sh compute, in one place: the generated data set and the featurization. The PyTorch
/// side (bench/reference/reference_bench.py) repeats these constants; <see cref="CompareCommand"/> checks the features
/// agree with the reference's (the parity line of the report).
/// </summary>
internal static class BenchSettings
{
    /// <summary>
    /// 16 kHz, n_fft 512, hop 160, 64 htk mels, power 2, ln(x + 1e-6), mean and std per band over 4 equal time segments:
    /// 512 features per clip. torchaudio's MelSpectrogram defaults plus the segment pooling of FeaturePooling.
    /// </summary>
    public static readonly LogMelOptions Mel = new()
    {
        SampleRate = 16_000, FftSize = 512, HopLength = 160, MelBands = 64, OutputScale = MelOutputScale.Log, LogOffset = 1e-6,
        Layout = FeatureLayout.Pooled, PoolingStatistics = PoolingStatistics.Mean | PoolingStatistics.Std, PoolingSegments = 4,
    };

    /// <summary>The synthetic multi-label set at FSD50K's 44.1 kHz (so featurization includes resampling to 16 kHz).</summary>
    public static SyntheticFsd50kOptions DataSet(int trainClips, int evalClips, long seed = 1) => new()
    {
        Sound = new SyntheticSoundSetOptions { Seed = seed, SampleRate = 44_100, MinClipSeconds = 1.0, MaxClipSeconds = 4.0 },
        TrainClips = trainClips, ValClips = 0, EvalClips = evalClips,
    };
}
