using QuantumKan.Audio;
using QuantumKan.Audio.Mel;
using QuantumKan.Data.Synthesis;
using QuantumKan.Audio.Wav;
using QuantumKan.Data.Cache;

namespace QuantumKan.Data.Tests.Cache;

public class LogMelFeatureCacheTests
{
    private static readonly LogMelOptions Patches = new() { SampleRate = 16000, MelBands = 32, Layout = FeatureLayout.Patches };

    private static string[] SyntheticWavs(CacheTestFolder dir, int count)
    {
        var generator = new SyntheticSoundGenerator(new SyntheticSoundSetOptions { SampleRate = 16000, MaxClipSeconds = 3 });
        return Enumerable.Range(0, count).Select(i =>
        {
            string path = Path.Combine(dir.Root, $"clip{i}.wav");
            WavWriter.Write(path, generator.Generate(i).Samples, 16000);
            return path;
        }).ToArray();
    }

    [Fact]
    public void CachedLogMelPatches_EqualDirectFeaturization()
    {
        using var dir = new CacheTestFolder();
        var wavs = SyntheticWavs(dir, 6);
        var direct = new AudioFrontEnd(Patches);
        using var view = FeatureCache.Open(dir.CacheDir, wavs, new LogMelClipFeaturizer(Patches));
        Assert.Equal([Patches.PatchFrames, 32], view.PatchShape);
        for (int c = 0; c < wavs.Length; c++)
            Assert.Equal(direct.FeaturizeFile(wavs[c]), view.ReadClip(c));
        Assert.True(Enumerable.Range(0, 6).Select(view.PatchCountOf).Distinct().Count() > 1, "1–3 s clips should give different patch counts");
    }

    [Fact]
    public void LogMelFingerprint_ChangesWithAnyOption()
    {
        var a = new LogMelClipFeaturizer(Patches);
        Assert.Equal(a.Fingerprint, new LogMelClipFeaturizer(Patches with { }).Fingerprint);
        Assert.NotEqual(a.Fingerprint, new LogMelClipFeaturizer(Patches with { MelBands = 33 }).Fingerprint);
        Assert.NotEqual(a.Fingerprint, new LogMelClipFeaturizer(Patches with { PatchOverlap = 0.25 }).Fingerprint);
        Assert.NotEqual(a.Fingerprint, new LogMelClipFeaturizer(Patches with { LogOffset = 1e-5 }).Fingerprint);
    }

    [Fact]
    public void PooledLayout_GivesOnePatchPerClip()
    {
        using var dir = new CacheTestFolder();
        var options = new LogMelOptions { SampleRate = 16000, MelBands = 16, Layout = FeatureLayout.Pooled, PoolingSegments = 2 };
        using var view = FeatureCache.Open(dir.CacheDir, SyntheticWavs(dir, 3), new LogMelClipFeaturizer(options));
        Assert.Equal([2, 2, 16], view.PatchShape);
        Assert.Equal(3, view.PatchCount);
    }
}
