using QuantumKan.Data.Cache;

namespace QuantumKan.Data.Tests.Cache;

public class FeatureCacheTests
{
    private static readonly FeatureCacheOptions Serial = new() { MaxDegreeOfParallelism = 1 };

    private static void AssertMatchesSources(FeatureCacheView view, string[] sources, string fingerprint = "content/v1")
    {
        Assert.Equal(sources.Length, view.ClipCount);
        int patch = 0;
        var buffer = new float[view.PatchSize];
        for (int c = 0; c < sources.Length; c++)
        {
            var expected = ContentFeaturizer.Expected(File.ReadAllBytes(sources[c]), fingerprint);
            Assert.Equal(expected, view.ReadClip(c));
            Assert.Equal(patch, view.PatchStart(c));
            for (int p = 0; p < view.PatchCountOf(c); p++, patch++)
            {
                Assert.Equal(c, view.ClipOf(patch));
                view.ReadPatch(patch, buffer);
                Assert.Equal(expected.AsSpan(p * 6, 6).ToArray(), buffer);
            }
        }
        Assert.Equal(view.PatchCount, patch);
    }

    [Fact]
    public void Open_FeaturizesEachClipOnce_ThenReusesIt()
    {
        using var dir = new CacheTestFolder();
        var sources = dir.Sources(12);
        var featurizer = new ContentFeaturizer();
        using (var first = FeatureCache.Open(dir.CacheDir, sources, featurizer))
        {
            Assert.Equal((0, 12), (first.Report.Reused, first.Report.Computed));
            AssertMatchesSources(first, sources);
        }
        using var second = FeatureCache.Open(dir.CacheDir, sources, featurizer);
        Assert.Equal(12, featurizer.Calls);
        Assert.Equal((12, 0), (second.Report.Reused, second.Report.Computed));
        AssertMatchesSources(second, sources);
        Assert.Equal([2, 3], second.PatchShape);
        Assert.True(Enumerable.Range(0, 12).Select(second.PatchCountOf).Distinct().Count() > 1, "clips should differ in patch count");
    }

    [Fact]
    public void Open_RecomputesATouchedFile_AndOnlyThatOne()
    {
        using var dir = new CacheTestFolder();
        var sources = dir.Sources(6);
        var featurizer = new ContentFeaturizer();
        FeatureCache.Open(dir.CacheDir, sources, featurizer).Dispose();
        File.SetLastWriteTimeUtc(sources[2], File.GetLastWriteTimeUtc(sources[2]).AddSeconds(5));
        using var view = FeatureCache.Open(dir.CacheDir, sources, featurizer);
        Assert.Equal((5, 1), (view.Report.Reused, view.Report.Computed));
        Assert.Equal(7, featurizer.Calls);
    }

    [Fact]
    public void Open_ModifiedContent_IsNeverServedStale()
    {
        using var dir = new CacheTestFolder();
        var sources = dir.Sources(4);
        FeatureCache.Open(dir.CacheDir, sources, new ContentFeaturizer()).Dispose();
        var bytes = File.ReadAllBytes(sources[1]);
        bytes[0] ^= 0xFF;
        Array.Resize(ref bytes, bytes.Length + 100); // a new size as well as new content
        File.WriteAllBytes(sources[1], bytes);
        using var view = FeatureCache.Open(dir.CacheDir, sources, new ContentFeaturizer());
        Assert.Equal(1, view.Report.Computed);
        AssertMatchesSources(view, sources);
    }

    [Fact]
    public void Open_ChangedFeaturizerOptions_RecomputesEverything()
    {
        using var dir = new CacheTestFolder();
        var sources = dir.Sources(5);
        FeatureCache.Open(dir.CacheDir, sources, new ContentFeaturizer("content/v1")).Dispose();
        var changed = new ContentFeaturizer("content/v2-longer");
        using var view = FeatureCache.Open(dir.CacheDir, sources, changed);
        Assert.Equal(5, changed.Calls);
        Assert.Contains("options changed", view.Report.DiscardedReason);
        AssertMatchesSources(view, sources, "content/v2-longer");
        Assert.Single(Directory.GetFiles(dir.CacheDir, "features-*.f32")); // the old data file is gone
    }

    [Fact]
    public void Open_SharedFolder_KeepsEntriesOfOtherLists()
    {
        using var dir = new CacheTestFolder();
        var sources = dir.Sources(8);
        var featurizer = new ContentFeaturizer();
        FeatureCache.Open(dir.CacheDir, sources[..5], featurizer).Dispose();
        FeatureCache.Open(dir.CacheDir, sources[5..], featurizer).Dispose();
        using var view = FeatureCache.Open(dir.CacheDir, sources.Reverse().ToArray(), featurizer);
        Assert.Equal(8, featurizer.Calls);
        AssertMatchesSources(view, sources.Reverse().ToArray());
    }

    [Fact]
    public void OpenView_StaysValid_WhileALaterBuildAppends()
    {
        using var dir = new CacheTestFolder();
        var sources = dir.Sources(4);
        var featurizer = new ContentFeaturizer();
        using var first = FeatureCache.Open(dir.CacheDir, sources[..2], featurizer);
        using var second = FeatureCache.Open(dir.CacheDir, sources, featurizer);
        Assert.Equal(2, second.Report.Computed);
        AssertMatchesSources(first, sources[..2]);
        AssertMatchesSources(second, sources);
    }

    [Fact]
    public void Open_MissingSource_NamesIt()
    {
        using var dir = new CacheTestFolder();
        var sources = dir.Sources(3);
        File.Delete(sources[1]);
        var ex = Assert.Throws<FileNotFoundException>(() => FeatureCache.Open(dir.CacheDir, sources, new ContentFeaturizer()));
        Assert.Equal(sources[1], ex.FileName);
    }

    [Fact]
    public void Open_FailingClip_NamesIt_AndKeepsTheFinishedOnes()
    {
        using var dir = new CacheTestFolder();
        var sources = dir.Sources(6);
        var failing = new ContentFeaturizer { FailOn = p => p == sources[3] };
        var ex = Assert.Throws<FeaturizationException>(() => FeatureCache.Open(dir.CacheDir, sources, failing, Serial));
        Assert.Equal(sources[3], ex.AudioPath);
        Assert.Contains("synthetic failure", ex.Message);

        var fixedFeaturizer = new ContentFeaturizer();
        using var view = FeatureCache.Open(dir.CacheDir, sources, fixedFeaturizer, Serial);
        Assert.Equal(6 - view.Report.Reused, fixedFeaturizer.Calls);
        Assert.True(view.Report.Reused >= 3, $"reused {view.Report.Reused}: the clips finished before the failure should be kept");
        AssertMatchesSources(view, sources);
    }

    [Theory]
    [InlineData(5, "not a whole number of patches")]
    [InlineData(0, "no features")]
    [InlineData(-1, "must be finite")]
    public void Open_MalformedFeatures_AreRejectedNamingTheFile(int length, string reason)
    {
        using var dir = new CacheTestFolder();
        var sources = dir.Sources(1);
        var featurizer = new DelegateClipFeaturizer("bad", [2, 3], _ => length < 0 ? [1, 2, 3, float.NaN, 5, 6] : new float[length]);
        var ex = Assert.Throws<FeaturizationException>(() => FeatureCache.Open(dir.CacheDir, sources, featurizer));
        Assert.Equal(sources[0], ex.AudioPath);
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void Open_Cancelled_KeepsFinishedWorkForTheNextBuild()
    {
        using var dir = new CacheTestFolder();
        var sources = dir.Sources(10);
        using var cts = new CancellationTokenSource();
        var progress = new InlineProgress(p => { if (p.Computed == 4) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => FeatureCache.Open(dir.CacheDir, sources, new ContentFeaturizer(), Serial, progress, cts.Token));
        var featurizer = new ContentFeaturizer();
        using var view = FeatureCache.Open(dir.CacheDir, sources, featurizer, Serial);
        Assert.Equal(4, view.Report.Reused);
        Assert.Equal(6, featurizer.Calls);
        AssertMatchesSources(view, sources);
    }

    [Fact]
    public void Open_ReportsProgressForEveryComputedClip()
    {
        using var dir = new CacheTestFolder();
        var sources = dir.Sources(7);
        var reports = new List<FeatureCacheProgress>();
        FeatureCache.Open(dir.CacheDir, sources, new ContentFeaturizer(), null, new InlineProgress(p => { lock (reports) reports.Add(p); })).Dispose();
        Assert.Equal(8, reports.Count);
        Assert.Equal(Enumerable.Range(0, 8), reports.Select(r => r.Computed).Order());
        Assert.All(reports, r => Assert.Equal(7, r.ToCompute));
        Assert.Equal(sources.Order(), reports.Where(r => r.LastPath is not null).Select(r => r.LastPath!).Order());
    }

    [Fact]
    public void Open_WhileAnotherBuildHoldsTheFolder_ThrowsBusy()
    {
        using var dir = new CacheTestFolder();
        Directory.CreateDirectory(dir.CacheDir);
        using var held = new FileStream(Path.Combine(dir.CacheDir, "cache.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        Assert.Throws<FeatureCacheBusyException>(() => FeatureCache.Open(dir.CacheDir, dir.Sources(1), new ContentFeaturizer()));
    }

    [Fact]
    public void View_RejectsOutOfRangeIndicesAndWrongBuffers()
    {
        using var dir = new CacheTestFolder();
        using var view = FeatureCache.Open(dir.CacheDir, dir.Sources(2), new ContentFeaturizer());
        Assert.Throws<ArgumentOutOfRangeException>(() => view.ReadPatch(view.PatchCount, new float[6]));
        Assert.Throws<ArgumentOutOfRangeException>(() => view.ClipOf(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => view.PatchCountOf(2));
        Assert.Throws<ArgumentException>(() => view.ReadPatch(0, new float[5]));
        view.Dispose();
        Assert.Throws<ObjectDisposedException>(() => view.ReadPatch(0, new float[6]));
    }
}

/// <summary>Reports synchronously on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class InlineProgress(Action<FeatureCacheProgress> report) : IProgress<FeatureCacheProgress>
{
    public void Report(FeatureCacheProgress value) => report(value);
}
