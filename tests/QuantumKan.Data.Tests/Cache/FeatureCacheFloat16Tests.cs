using QuantumKan.Data.Cache;

namespace QuantumKan.Data.Tests.Cache;

public class FeatureCacheFloat16Tests
{
    [Fact]
    public void Float16Storage_HalvesTheDataFile_AndReadsBackWithinHalfPrecision()
    {
        using var full = new CacheTestFolder();
        using var half = new CacheTestFolder();
        var sources = full.Sources(10);
        var halfSources = sources.Select(s => { var copy = Path.Combine(half.Root, Path.GetFileName(s)); File.Copy(s, copy); return copy; }).ToArray();
        // Values that float16 cannot hold exactly, so the rounding shows.
        var featurizer = new DelegateClipFeaturizer("sines/v1", [2, 3],
            path => Enumerable.Range(0, 6 * (1 + Path.GetFileName(path).Length % 4)).Select(i => MathF.Sin(i * 0.37f + Path.GetFileName(path).Length) * 10.3f).ToArray());
        using var f32 = FeatureCache.Open(full.CacheDir, sources, featurizer, new FeatureCacheOptions { MaxDegreeOfParallelism = 1 });
        using var f16 = FeatureCache.Open(half.CacheDir, halfSources, featurizer, new FeatureCacheOptions { MaxDegreeOfParallelism = 1, Float16Storage = true });
        Assert.True(f16.IsFloat16);
        Assert.False(f32.IsFloat16);
        long Data(string dir) => Directory.GetFiles(dir).Where(f => !f.EndsWith(".json")).Sum(f => new FileInfo(f).Length);
        long dataFull = Data(full.CacheDir), dataHalf = Data(half.CacheDir);
        Assert.InRange(dataHalf, dataFull / 2 - 4096, dataFull / 2 + 4096);   // same header, half the values
        for (int c = 0; c < 10; c++)
        {
            var a = f32.ReadClip(c);
            var b = f16.ReadClip(c);
            Assert.Equal(a.Length, b.Length);
            for (int i = 0; i < a.Length; i++)
                Assert.Equal((float)(Half)a[i], b[i]);                        // exactly the float16 rounding, nothing else
        }
        Assert.Contains(Enumerable.Range(0, 10), c => !f32.ReadClip(c).SequenceEqual(f16.ReadClip(c)));
    }

    [Fact]
    public void ChangingThePrecision_RebuildsTheCache()
    {
        using var dir = new CacheTestFolder();
        var sources = dir.Sources(4);
        var featurizer = new ContentFeaturizer();
        FeatureCache.Open(dir.CacheDir, sources, featurizer).Dispose();
        using var view = FeatureCache.Open(dir.CacheDir, sources, featurizer, new FeatureCacheOptions { Float16Storage = true });
        Assert.Equal("the storage precision changed", view.Report.DiscardedReason);
        Assert.Equal(4, view.Report.Computed);
    }
}
