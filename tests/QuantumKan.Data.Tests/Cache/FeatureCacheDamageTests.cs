using QuantumKan.Data.Cache;

namespace QuantumKan.Data.Tests.Cache;

/// <summary>A damaged, foreign or interrupted cache is rebuilt or repaired, never read as if it were valid.</summary>
public class FeatureCacheDamageTests
{
    private static string DataFile(CacheTestFolder dir) => Assert.Single(Directory.GetFiles(dir.CacheDir, "features-*.f32"));

    private static (string[] Sources, ContentFeaturizer Featurizer) Built(CacheTestFolder dir, int clips = 6)
    {
        var sources = dir.Sources(clips);
        FeatureCache.Open(dir.CacheDir, sources, new ContentFeaturizer()).Dispose();
        return (sources, new ContentFeaturizer());
    }

    private static void AssertFeatures(FeatureCacheView view, string[] sources)
    {
        for (int c = 0; c < sources.Length; c++)
            Assert.Equal(ContentFeaturizer.Expected(File.ReadAllBytes(sources[c])), view.ReadClip(c));
    }

    [Theory]
    [InlineData("{ not json", "unreadable")]
    [InlineData("null", "empty")]
    [InlineData("{\"FormatVersion\": 99, \"Fingerprint\": \"x\", \"PatchShape\": [1], \"Entries\": []}", "format version 99")]
    public void Open_UnreadableIndex_RebuildsAndSaysWhy(string index, string reason)
    {
        using var dir = new CacheTestFolder();
        var (sources, featurizer) = Built(dir);
        File.WriteAllText(Path.Combine(dir.CacheDir, "index.json"), index);
        using var view = FeatureCache.Open(dir.CacheDir, sources, featurizer);
        Assert.Equal(6, featurizer.Calls);
        Assert.Contains(reason, view.Report.DiscardedReason);
        AssertFeatures(view, sources);
    }

    [Fact]
    public void Open_TruncatedDataFile_Rebuilds()
    {
        using var dir = new CacheTestFolder();
        var (sources, featurizer) = Built(dir);
        using (var fs = new FileStream(DataFile(dir), FileMode.Open))
            fs.SetLength(fs.Length - 10);
        using var view = FeatureCache.Open(dir.CacheDir, sources, featurizer);
        Assert.Contains("shorter than its index", view.Report.DiscardedReason);
        Assert.Equal(6, featurizer.Calls);
        AssertFeatures(view, sources);
    }

    [Fact]
    public void Open_DataFileWithForeignHeader_Rebuilds()
    {
        using var dir = new CacheTestFolder();
        var (sources, featurizer) = Built(dir);
        using (var fs = new FileStream(DataFile(dir), FileMode.Open))
            fs.Write("GARBAGE!"u8);
        using var view = FeatureCache.Open(dir.CacheDir, sources, featurizer);
        Assert.Contains("foreign header", view.Report.DiscardedReason);
        AssertFeatures(view, sources);
    }

    [Fact]
    public void Open_MissingDataFile_Rebuilds()
    {
        using var dir = new CacheTestFolder();
        var (sources, featurizer) = Built(dir);
        File.Delete(DataFile(dir));
        using var view = FeatureCache.Open(dir.CacheDir, sources, featurizer);
        Assert.Contains("missing", view.Report.DiscardedReason);
        AssertFeatures(view, sources);
    }

    [Fact]
    public void Open_WithChecksums_RecomputesAnEntryWhoseBytesChanged()
    {
        using var dir = new CacheTestFolder();
        var (sources, featurizer) = Built(dir);
        using (var fs = new FileStream(DataFile(dir), FileMode.Open))
        {
            fs.Position = 64 + 5; // inside the first entry written (serial order is not guaranteed, so any one entry)
            fs.WriteByte(0x7F);
        }
        using var view = FeatureCache.Open(dir.CacheDir, sources, featurizer, new FeatureCacheOptions { VerifyChecksums = true });
        Assert.Equal(1, featurizer.Calls);
        Assert.Null(view.Report.DiscardedReason);
        AssertFeatures(view, sources);
    }

    [Fact]
    public void Open_DebrisFromAnInterruptedBuild_IsDroppedAndEntriesReused()
    {
        using var dir = new CacheTestFolder();
        var (sources, featurizer) = Built(dir);
        long length = new FileInfo(DataFile(dir)).Length;
        File.AppendAllText(DataFile(dir), new string('x', 1000));
        var more = sources.Append(dir.Sources(1, seed: 2, prefix: "extra")[0]).ToArray();
        using var view = FeatureCache.Open(dir.CacheDir, more, featurizer);
        Assert.Equal((6, 1), (view.Report.Reused, view.Report.Computed));
        AssertFeatures(view, more);
        Assert.True(new FileInfo(DataFile(dir)).Length < length + 1000, "the debris should have been cut before appending");
    }

    [Fact]
    public void Open_ManyRecomputedEntries_CompactsTheDataFile()
    {
        using var dir = new CacheTestFolder();
        var (sources, featurizer) = Built(dir, clips: 10);
        long before = new FileInfo(DataFile(dir)).Length;
        foreach (var s in sources[..8])
            File.SetLastWriteTimeUtc(s, File.GetLastWriteTimeUtc(s).AddMinutes(1));
        FeatureCache.Open(dir.CacheDir, sources, featurizer).Dispose(); // 8 entries appended again: dead space > live
        foreach (var s in sources[..8])
            File.SetLastWriteTimeUtc(s, File.GetLastWriteTimeUtc(s).AddMinutes(1));
        using var view = FeatureCache.Open(dir.CacheDir, sources, featurizer);
        Assert.True(view.Report.Compacted);
        Assert.True(new FileInfo(DataFile(dir)).Length <= 2 * before, "compaction should keep the file near its live size");
        AssertFeatures(view, sources);
    }

    [Fact]
    public void Open_ChangedPatchShape_Rebuilds()
    {
        using var dir = new CacheTestFolder();
        var (sources, _) = Built(dir);
        var reshaped = new DelegateClipFeaturizer("content/v1", [3, 2], p => ContentFeaturizer.Expected(File.ReadAllBytes(p)));
        using var view = FeatureCache.Open(dir.CacheDir, sources, reshaped);
        Assert.Contains("patch shape", view.Report.DiscardedReason);
        Assert.Equal([3, 2], view.PatchShape);
    }
}
