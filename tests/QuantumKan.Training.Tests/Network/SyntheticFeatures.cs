using QuantumKan.Audio.Mel;
using QuantumKan.Data.Synthesis;
using QuantumKan.Training.Data;

namespace QuantumKan.Training.Tests.Network;

/// <summary>Synthetic sound-event sets featurized as segment-pooled log-mel vectors, for end-to-end quality tests.</summary>
internal static class SyntheticFeatures
{
    public static readonly LogMelOptions Mel = new()
    {
        SampleRate = 16_000, FftSize = 512, HopLength = 160, MelBands = 32,
        Layout = FeatureLayout.Pooled, PoolingSegments = 4,
        PoolingStatistics = PoolingStatistics.Mean | PoolingStatistics.Std,
    };

    /// <summary>Generates clips <paramref name="first"/>..first+count−1 and featurizes them.</summary>
    public static InMemoryFeatureSource Make(bool singleLabel, long first, int count, long seed = 11)
    {
        var generator = new SyntheticSoundGenerator(new SyntheticSoundSetOptions
        {
            Seed = seed, SampleRate = Mel.SampleRate, SingleLabel = singleLabel, MinClipSeconds = 1.0, MaxClipSeconds = 2.5,
        });
        var featurizer = new LogMelFeaturizer(Mel);
        int classes = generator.Types.Count;
        var clips = new float[count][];
        var labels = new float[count * classes];
        Parallel.For(0, count, i =>
        {
            var clip = generator.Generate(first + i);
            clips[i] = featurizer.Featurize(clip.Samples);
            foreach (var e in clip.Events)
                labels[i * classes + generator.Types.ToList().IndexOf(e.Type)] = 1f;
        });
        int d = clips[0].Length;
        return new InMemoryFeatureSource(clips.SelectMany(c => c).ToArray(), [d], labels, classes);
    }
}
