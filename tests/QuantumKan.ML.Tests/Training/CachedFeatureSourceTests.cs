using QuantumKan.Data.Tests;
using QuantumKan.Data.Tests.Cache;
using QuantumKan.ML.Training;
using QuantumKan.Training.Data;
using QuantumKan.Data.Cache;

namespace QuantumKan.ML.Tests.Training;

public class CachedFeatureSourceTests
{
    [Fact]
    public void Source_GivesEachPatchItsClipsLabels()
    {
        using var dir = new CacheTestFolder();
        var sources = dir.Sources(5);
        var labels = new float[5 * 3];
        for (int c = 0; c < 5; c++)
            labels[c * 3 + c % 3] = 1;
        using var source = new CachedFeatureSource(FeatureCache.Open(dir.CacheDir, sources, new ContentFeaturizer()), labels, 3);
        IClipPatchSource s = source;
        Assert.Equal(5, s.ClipCount);
        Assert.Equal(6, s.FeatureSize);
        Assert.Equal([2, 3], s.FeatureShape);
        var l = new float[3];
        var f = new float[6];
        for (int i = 0; i < s.Count; i++)
        {
            int clip = s.ClipOf(i);
            s.ReadLabels(i, l);
            Assert.Equal(labels.AsSpan(clip * 3, 3).ToArray(), l);
            s.ReadFeatures(i, f);
            int p = i - source.View.PatchStart(clip);
            Assert.Equal(ContentFeaturizer.Expected(File.ReadAllBytes(sources[clip])).AsSpan(p * 6, 6).ToArray(), f);
        }
    }

    [Fact]
    public void Source_RejectsLabelsOfTheWrongCountOrNotFinite()
    {
        using var dir = new CacheTestFolder();
        var view = FeatureCache.Open(dir.CacheDir, dir.Sources(2), new ContentFeaturizer());
        Assert.Throws<ArgumentException>(() => new CachedFeatureSource(view, new float[5], 3));
        var ex = Assert.Throws<ArgumentException>(() => new CachedFeatureSource(view, [0, 0, 0, 0, float.NaN, 0], 3));
        Assert.Contains("Clip 1", ex.Message);
        view.Dispose();
    }

    [Fact]
    public void ReadingEveryPatch_AllocatesNothingPerRead()
    {
        // The features stream from the mapped file into the caller's buffer: reading ~10 MB of patches must not
        // allocate managed memory in proportion to it.
        using var dir = new CacheTestFolder();
        var sources = dir.Sources(40);
        var big = new DelegateClipFeaturizer("big", [64, 64], p => Enumerable.Range(0, 16 * 4096).Select(i => (float)(i % 97) + p.Length).ToArray());
        using var view = FeatureCache.Open(dir.CacheDir, sources, big);
        var buffer = new float[view.PatchSize];
        for (int i = 0; i < view.PatchCount; i++)
            view.ReadPatch(i, buffer); // warm up (JIT, page faults)
        long before = GC.GetAllocatedBytesForCurrentThread();
        double sum = 0;
        for (int i = 0; i < view.PatchCount; i++)
        {
            view.ReadPatch(i, buffer);
            sum += buffer[i % buffer.Length];
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(640, view.PatchCount);
        Assert.True(allocated < 1024, $"{allocated} bytes allocated while reading {view.PatchCount * view.PatchSize * 4L} bytes of features");
        Assert.True(sum > 0);
    }
}
