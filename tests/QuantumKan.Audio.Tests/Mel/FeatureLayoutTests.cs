using QuantumKan.Audio.Mel;

namespace QuantumKan.Audio.Tests.Mel;

public class FeatureLayoutTests
{
    // frames[t, b] = 10·t + b: every value says where it came from.
    private static MelFrames Ramp(int frames, int bands) =>
        new(Enumerable.Range(0, frames * bands).Select(i => (float)(10 * (i / bands) + i % bands)).ToArray(), frames, bands);

    [Fact]
    public void Pool_ComputesMeanStdMaxPerBandPerSegmentInTemporalOrder()
    {
        var frames = Ramp(4, 2); // band b over time: b, 10+b, 20+b, 30+b
        var pooled = FeaturePooling.Pool(frames, PoolingStatistics.Mean | PoolingStatistics.Std | PoolingStatistics.Max, segments: 2);
        // Segment 0 = frames 0,1; segment 1 = frames 2,3. Layout [segment][stat][band].
        Assert.Equal([5f, 6f, 5f, 5f, 10f, 11f, 25f, 26f, 5f, 5f, 30f, 31f], pooled);
        Assert.Equal(12, FeaturePooling.OutputLength(2, PoolingStatistics.Mean | PoolingStatistics.Std | PoolingStatistics.Max, 2));
    }

    [Fact]
    public void Pool_SegmentsTellAnUpChirpFromADownChirp_WholeClipPoolingCannot()
    {
        var up = new LogMelFeaturizer(new LogMelOptions { Layout = FeatureLayout.Pooled, PoolingSegments = 4 });
        var whole = new LogMelFeaturizer(new LogMelOptions { Layout = FeatureLayout.Pooled, PoolingSegments = 1, PoolingStatistics = PoolingStatistics.Mean });
        var rising = Chirp(16000, 300, 6000);
        var falling = rising.Reverse().ToArray();

        var a = up.Featurize(rising);
        var b = up.Featurize(falling);
        double segmented = a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
        double pooled = whole.Featurize(rising).Zip(whole.Featurize(falling), (x, y) => Math.Abs(x - y)).Max();

        Assert.True(segmented > 5, $"segment pooling should separate the chirps (max Δ {segmented})");
        Assert.True(pooled < 0.5, $"whole-clip means of time-reversed clips nearly coincide (max Δ {pooled})");
    }

    [Fact]
    public void Pool_MoreSegmentsThanFramesRepeatsFrames()
    {
        var pooled = FeaturePooling.Pool(Ramp(2, 1), PoolingStatistics.Mean, segments: 4);
        Assert.Equal([0f, 0f, 10f, 10f], pooled);
    }

    [Fact]
    public void Fit_CropsLongClipsAndTilesOrPadsShortOnes()
    {
        Assert.Equal([0f, 1f, 10f, 11f], FrameFitting.Fit(Ramp(5, 2), 2, ShortClipFill.Tile, -1));
        Assert.Equal([0f, 1f, 10f, 11f, 0f, 1f, 10f, 11f, 0f, 1f], FrameFitting.Fit(Ramp(2, 2), 5, ShortClipFill.Tile, -1));
        Assert.Equal([0f, 1f, 10f, 11f, -1f, -1f], FrameFitting.Fit(Ramp(2, 2), 3, ShortClipFill.Pad, -1));
    }

    [Fact]
    public void Patches_OverlapByHalf_AlignTheLastWithTheEnd_AndTileShortClips()
    {
        // 7 frames, patches of 4 with hop 2: starts 0, 2, then 3 (end-aligned).
        var p = FrameFitting.Patches(Ramp(7, 1), 4, 2, 0, ShortClipFill.Tile, -1);
        Assert.Equal([0f, 10, 20, 30, 20, 30, 40, 50, 30, 40, 50, 60], p);
        Assert.Equal(3, FrameFitting.PatchCountFor(7, 4, 2));
        // A 3-frame clip with 4-frame patches: one tiled patch.
        Assert.Equal([0f, 10, 20, 0], FrameFitting.Patches(Ramp(3, 1), 4, 2, 0, ShortClipFill.Tile, -1));
    }

    [Fact]
    public void Patches_FixedCountPicksEvenlySpacedOrRepeats()
    {
        // 9 frames, P 2, H 1 → 8 patches starting 0..7; K = 3 picks starts 0, 4 (round(3.5)), 7.
        var p = FrameFitting.Patches(Ramp(9, 1), 2, 1, 3, ShortClipFill.Tile, -1);
        Assert.Equal([0f, 10, 40, 50, 70, 80], p);
        // 2 patches available, K = 3: tile repeats the first; pad gives a silent patch.
        Assert.Equal([0f, 10, 10, 20, 0, 10], FrameFitting.Patches(Ramp(3, 1), 2, 1, 3, ShortClipFill.Tile, -1));
        Assert.Equal([0f, 10, 10, 20, -1, -1], FrameFitting.Patches(Ramp(3, 1), 2, 1, 3, ShortClipFill.Pad, -1));
    }

    [Fact]
    public void Featurizer_FsdPatchRecipe_OneSecondPatchesWithHalfOverlap()
    {
        var f = new LogMelFeaturizer(new LogMelOptions { Layout = FeatureLayout.Patches });
        Assert.Equal(100, f.Options.PatchFrames);
        Assert.Equal(50, f.Options.PatchHopFrames);
        var clip = Chirp(16000 * 25 / 10, 200, 4000); // 2.5 s → 251 frames → patches at 0, 50, 100, 150 (+151 aligned)
        var features = f.Featurize(clip);
        Assert.Equal(f.OutputLength(clip.Length), features.Length);
        Assert.Equal(5 * 100 * 64, features.Length);
        var shortClip = f.Featurize(Chirp(4800, 200, 4000)); // 0.3 s: one tiled patch
        Assert.Equal(100 * 64, shortClip.Length);
        Assert.Equal(shortClip.AsSpan(0, 64).ToArray(), shortClip.AsSpan(31 * 64, 64).ToArray()); // 31 frames, tiled
    }

    [Fact]
    public void Featurizer_FixedLayoutsHaveKnownLengths()
    {
        Assert.Null(new LogMelFeaturizer().FixedOutputLength);
        Assert.Equal(2 * 64, new LogMelFeaturizer(new LogMelOptions { Layout = FeatureLayout.Pooled }).FixedOutputLength);
        Assert.Equal(100 * 64, new LogMelFeaturizer(new LogMelOptions { Layout = FeatureLayout.FixedFrames }).FixedOutputLength);
        Assert.Equal(3 * 100 * 64, new LogMelFeaturizer(new LogMelOptions { Layout = FeatureLayout.Patches, PatchCount = 3 }).FixedOutputLength);
        Assert.Null(new LogMelFeaturizer(new LogMelOptions { Layout = FeatureLayout.Patches }).FixedOutputLength);
    }

    [Fact]
    public void Featurizer_PadFillsWithTheScaledSilence()
    {
        var f = new LogMelFeaturizer(new LogMelOptions { Layout = FeatureLayout.FixedFrames, FixedFrames = 50, ShortClipFill = ShortClipFill.Pad });
        var features = f.Featurize(Chirp(1600, 300, 3000)); // 11 frames
        Assert.All(features[(11 * 64)..], v => Assert.Equal(MathF.Log(1e-6f), v, 5));
        Assert.True(features[..(11 * 64)].Max() > -5);
    }

    internal static float[] Chirp(int n, double f0, double f1, int rate = 16000)
    {
        var x = new float[n];
        double seconds = (double)n / rate;
        for (int i = 0; i < n; i++)
        {
            double t = (double)i / rate;
            x[i] = (float)(0.5 * Math.Sin(2 * Math.PI * (f0 * t + (f1 - f0) * t * t / (2 * seconds))));
        }
        return x;
    }
}
