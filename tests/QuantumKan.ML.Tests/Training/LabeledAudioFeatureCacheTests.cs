using QuantumKan.Audio;
using QuantumKan.Data.Tests;
using QuantumKan.Data.Tests.Cache;
using QuantumKan.ML.Training;
using QuantumKan.Audio.Mel;
using QuantumKan.Data.Synthesis;
using QuantumKan.Data;
using QuantumKan.Data.Cache;

namespace QuantumKan.ML.Tests.Training;

public class LabeledAudioFeatureCacheTests
{
    [Fact]
    public void OpenFeatureCache_OnASyntheticFsd50kSet_GivesPatchesWithTheirClipsLabels()
    {
        using var dir = new TempFolder();
        SyntheticFsd50kWriter.Write(dir.Path, new SyntheticFsd50kOptions
        {
            Sound = new SyntheticSoundSetOptions { SampleRate = 16000, MaxClipSeconds = 2.5 },
            TrainClips = 6, ValClips = 2, EvalClips = 2,
        });
        var train = Fsd50kReader.Read(dir.Path, Fsd50kSplit.Train);
        var options = new LogMelOptions { SampleRate = 16000, MelBands = 24, Layout = FeatureLayout.Patches };
        using var source = train.OpenFeatureCache(Path.Combine(dir.Path, "cache"), new LogMelClipFeaturizer(options));

        Assert.Equal(6, source.ClipCount);
        Assert.Equal(8, source.LabelSize);
        Assert.True(source.Count > 6);
        var labels = new float[8];
        var features = new float[source.FeatureSize];
        var direct = new AudioFrontEnd(options);
        for (int i = 0; i < source.Count; i++)
        {
            int clip = source.ClipOf(i);
            source.ReadLabels(i, labels);
            Assert.Equal(train.MultiHot(clip), labels);
            source.ReadFeatures(i, features);
            int p = i - source.View.PatchStart(clip);
            Assert.Equal(direct.FeaturizeFile(train.Clips[clip].Path).AsSpan(p * features.Length, features.Length).ToArray(), features);
        }
    }
}
