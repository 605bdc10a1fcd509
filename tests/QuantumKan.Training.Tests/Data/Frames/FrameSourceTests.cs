using QuantumKan.Training.Data.Frames;

namespace QuantumKan.Training.Tests.Data.Frames;

public class FrameSourceTests
{
    // Clip c has c·10 + 3 frames of 4 bands; value = clip·1000 + frame (band added as a fraction) so any read is traceable.
    private static FrameClips Clips(int count = 5, int bands = 4)
    {
        var clips = Enumerable.Range(0, count).Select(c =>
        {
            int frames = c * 10 + 3;
            return Enumerable.Range(0, frames * bands).Select(i => c * 1000f + i / bands + (i % bands) / 10f).ToArray();
        }).ToArray();
        var labels = Enumerable.Range(0, count).SelectMany(c => new[] { c % 2 == 0 ? 1f : 0f, c % 2 == 1 ? 1f : 0f }).ToArray();
        return new FrameClips(new InMemoryFrameStore(clips, bands), labels, 2);
    }

    private static int FrameAt(float[] values, int row, int bands) => (int)Math.Round(values[row * bands]) % 1000;

    [Fact]
    public void Crops_AreContiguousRunsInsideLongClips_AndTileShortOnes()
    {
        var source = new FrameCropSource(Clips(), cropFrames: 12, seed: 7);
        Assert.Equal(new[] { 12, 4 }, source.FeatureShape);
        var crop = new float[source.FeatureSize];
        source.ReadFeatures(0, crop);                                   // 3 frames: tiled 0,1,2,0,1,2,…
        Assert.Equal(Enumerable.Range(0, 12).Select(t => t % 3), Enumerable.Range(0, 12).Select(t => FrameAt(crop, t, 4)));
        for (int clip = 2; clip < 5; clip++)
        {
            source.ReadFeatures(clip, crop);
            int start = FrameAt(crop, 0, 4);
            Assert.Equal(Enumerable.Range(start, 12), Enumerable.Range(0, 12).Select(t => FrameAt(crop, t, 4)));
            Assert.Equal(clip * 1000f + start + 0.3f, crop[3], 3);           // band 3 of the first frame
            Assert.InRange(start + 12, 12, clip * 10 + 3);
        }
    }

    [Fact]
    public void CropStarts_ArePureFunctionsOfSeedEpochAndClip_AndMoveBetweenEpochs()
    {
        var clips = Clips(count: 40);
        var a = new FrameCropSource(clips, 5, seed: 3);
        var b = new FrameCropSource(clips, 5, seed: 3);
        var other = new FrameCropSource(clips, 5, seed: 4);
        var epoch0 = Enumerable.Range(0, 40).Select(i => a.CropStart(i, 0)).ToArray();
        Assert.Equal(epoch0, Enumerable.Range(0, 40).Select(i => b.CropStart(i, 0)));
        Assert.NotEqual(epoch0, Enumerable.Range(0, 40).Select(i => a.CropStart(i, 1)));
        Assert.NotEqual(epoch0, Enumerable.Range(0, 40).Select(i => other.CropStart(i, 0)));

        // ReadFeatures follows the announced epoch.
        var crop = new float[a.FeatureSize];
        a.BeginEpoch(1);
        a.ReadFeatures(30, crop);
        Assert.Equal(a.CropStart(30, 1), FrameAt(crop, 0, 4));
    }

    [Fact]
    public void Patches_CoverEveryFrame_WithTheLastAlignedToTheEnd()
    {
        var clips = Clips();
        var source = new FramePatchSource(clips, patchFrames: 10, hopFrames: 5);
        // Frames 3, 13, 23, 33, 43 → patches 1, 2, 4, 6, 8.
        Assert.Equal(1 + 2 + 4 + 6 + 8, source.Count);
        Assert.Equal(5, source.ClipCount);
        var patch = new float[source.FeatureSize];
        var starts = new List<int>();
        for (int i = 0; i < source.Count; i++)
        {
            if (source.ClipOf(i) != 4)
                continue;
            source.ReadFeatures(i, patch);
            starts.Add(FrameAt(patch, 0, 4));
        }
        Assert.Equal(new[] { 0, 5, 10, 15, 20, 25, 30, 33 }, starts);
        var labels = new float[2];
        source.ReadLabels(source.Count - 1, labels);
        Assert.Equal(new[] { 1f, 0f }, labels);
    }

    [Fact]
    public void HoldOut_SplitsWholeClips_Deterministically()
    {
        var clips = Clips(count: 20);
        var (train, heldOut) = clips.HoldOut(0.25, seed: 9);
        var (train2, heldOut2) = clips.HoldOut(0.25, seed: 9);
        Assert.Equal(15, train.Count);
        Assert.Equal(5, heldOut.Count);
        int[] Ids(FrameClips set) => Enumerable.Range(0, set.Count).Select(i =>
        {
            var frame = new float[set.Bands];
            set.ReadFrames(i, 0, frame);
            return (int)frame[0] / 1000;
        }).ToArray();
        Assert.Empty(Ids(train).Intersect(Ids(heldOut)));
        Assert.Equal(Enumerable.Range(0, 20), Ids(train).Concat(Ids(heldOut)).Order());
        Assert.Equal(Ids(heldOut), Ids(heldOut2));
    }

    [Fact]
    public void BandStatistics_AreThoseOfEveryFrame()
    {
        var clips = Clips(count: 3, bands: 2);
        var all = Enumerable.Range(0, 3).SelectMany(c =>
        {
            var v = new float[clips.FrameCount(c) * 2];
            clips.ReadFrames(c, 0, v);
            return v.Chunk(2);
        }).ToArray();
        var (mean, std) = clips.BandStatistics();
        for (int b = 0; b < 2; b++)
        {
            double m = all.Average(f => (double)f[b]);
            double s = Math.Sqrt(all.Average(f => (f[b] - m) * (f[b] - m)));
            Assert.Equal(m, mean[b], 2);
            Assert.Equal(s, std[b], 2);
        }
    }

    [Fact]
    public void Store_RejectsRaggedAndNonFiniteClips()
    {
        Assert.Throws<ArgumentException>(() => new InMemoryFrameStore([new float[5]], 2));
        Assert.Throws<ArgumentException>(() => new InMemoryFrameStore([[]], 2));
        var ex = Assert.Throws<InvalidDataException>(() => new InMemoryFrameStore([[1, 2, 3, float.NaN]], 2));
        Assert.Contains("frame 1, band 1", ex.Message);
    }
}
