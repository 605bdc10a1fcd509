using QuantumKan.Nn.Encoders;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Encoders;

public class FrameAugmentationTests
{
    [Fact]
    public void Apply_IsDeterministicUnderTheSeed_AndDrawsAgainOtherwise()
    {
        var options = new FrameAugmentationOptions { FrequencyMasks = 2, TimeMasks = 2, TimeShift = 5, MixupProbability = 1 };
        using var scope = NewDisposeScope();
        var frames = randn(6, 40, 16);
        var labels = eye(6, 3);
        manual_seed(11);
        var (a, ya) = FrameAugmentation.Apply(frames, labels, options, multiLabel: true);
        manual_seed(11);
        var (b, yb) = FrameAugmentation.Apply(frames, labels, options, multiLabel: true);
        var (c, _) = FrameAugmentation.Apply(frames, labels, options, multiLabel: true);
        Assert.True(a.eq(b).all().item<bool>());
        Assert.True(ya.eq(yb).all().item<bool>());
        Assert.False(a.eq(c).all().item<bool>());
    }

    [Fact]
    public void Masks_ZeroWholeBandsAndFrames_WithinTheWidthLimits()
    {
        var options = new FrameAugmentationOptions { FrequencyMasks = 1, FrequencyMaskWidth = 4, TimeMasks = 1, TimeMaskWidth = 6 };
        using var scope = NewDisposeScope();
        manual_seed(2);
        var frames = rand(32, 50, 16) + 1;            // no zeros before masking
        var (x, y) = FrameAugmentation.Apply(frames, ones(32, 2), options, multiLabel: true);
        var zero = x.eq(0);
        var zeroBands = zero.all(1).sum(1);            // (B) bands zeroed over every frame
        var zeroFrames = zero.all(2).sum(1);           // (B) frames zeroed over every band
        Assert.True(zeroBands.max().item<long>() <= 4);
        Assert.True(zeroFrames.max().item<long>() <= 6);
        Assert.True(zeroBands.sum().item<long>() > 0 && zeroFrames.sum().item<long>() > 0);
        // Every zero lies in a masked band or a masked frame.
        Assert.True(zero.logical_and(zero.all(1, keepdim: true).logical_not()).logical_and(zero.all(2, keepdim: true).logical_not()).any().item<bool>() == false);
        Assert.True(y.eq(ones(32, 2)).all().item<bool>());
    }

    [Fact]
    public void Shift_RotatesEachClipInTime()
    {
        var options = new FrameAugmentationOptions { TimeShift = 3 };
        using var scope = NewDisposeScope();
        manual_seed(4);
        var frames = randn(8, 20, 5);
        var (x, _) = FrameAugmentation.Apply(frames, ones(8, 1), options, multiLabel: true);
        for (int b = 0; b < 8; b++)
        {
            bool matched = Enumerable.Range(-3, 7).Any(s => frames[b].roll(s, 0).eq(x[b]).all().item<bool>());
            Assert.True(matched, $"clip {b} is not a rotation of at most 3 frames");
        }
    }

    [Fact]
    public void Mixup_UnionForMultiLabel_SoftForMulticlass()
    {
        var options = new FrameAugmentationOptions { MixupProbability = 1, MixupAlpha = 1 };
        using var scope = NewDisposeScope();
        var frames = randn(10, 8, 4);
        var labels = eye(10, 10);
        manual_seed(5);
        var (_, union) = FrameAugmentation.Apply(frames, labels, options, multiLabel: true);
        Assert.True(union.sum(1).ge(1).all().item<bool>());
        Assert.True(union.eq(0).logical_or(union.eq(1)).all().item<bool>());   // still multi-hot
        manual_seed(5);
        var (_, soft) = FrameAugmentation.Apply(frames, labels, options, multiLabel: false);
        Assert.True(soft.sum(1).allclose(ones(10), atol: 1e-5));               // a distribution per clip
        Assert.True(soft.gt(0).logical_and(soft.lt(1)).any().item<bool>());
    }

    [Fact]
    public void Gain_AddsOneOffsetPerClip_WithinTheLimit()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var frames = randn(16, 12, 6);
        var shifted = FrameAugmentation.RandomGain(frames, 6);
        var offset = shifted - frames;
        var perClip = offset[.., 0, 0].view(16, 1, 1);
        Assert.True(offset.allclose(perClip.expand_as(offset), atol: 1e-5));
        Assert.True(perClip.abs().max().item<float>() <= 6 * FrameAugmentation.LogUnitsPerDb + 1e-5);
    }

    [Fact]
    public void FrequencyShift_MovesEachClipAlongTheMelAxis_RepeatingTheEdge()
    {
        var options = new FrameAugmentationOptions { FrequencyShift = 2 };
        using var scope = NewDisposeScope();
        manual_seed(8);
        var frames = randn(8, 6, 10);
        var (x, _) = FrameAugmentation.Apply(frames, ones(8, 1), options, multiLabel: true);
        int shifted = 0;
        for (int b = 0; b < 8; b++)
        {
            int s = Enumerable.Range(-2, 5).Single(k =>
            {
                var index = Enumerable.Range(0, 10).Select(m => (long)Math.Clamp(m - k, 0, 9)).ToArray();
                return frames[b].index_select(1, tensor(index)).eq(x[b]).all().item<bool>();
            });
            shifted += s != 0 ? 1 : 0;
        }
        Assert.True(shifted > 0);
    }

    [Fact]
    public void LowPass_FlattensEveryBandAboveEachClipsCutoff_ToThatBandsFloor()
    {
        var options = new FrameAugmentationOptions { LowPassProbability = 0.5, LowPassMinFraction = 0.5 };
        using var scope = NewDisposeScope();
        manual_seed(9);
        var frames = randn(64, 12, 10);
        var (x, _) = FrameAugmentation.Apply(frames, ones(64, 1), options, multiLabel: true);
        var floor = frames.amin([1], keepdim: true).expand_as(frames);
        int limited = 0;
        for (int b = 0; b < 64; b++)
        {
            var changed = x[b].ne(frames[b]).any(0);                                    // (M) bands that changed
            if (!changed.any().item<bool>())
                continue;
            limited++;
            long cutoff = changed.nonzero()[0, 0].item<long>();
            Assert.InRange(cutoff, 5, 9);                                                // ⌊0.5·10⌋ … M − 1
            Assert.True(x[b, .., (int)cutoff..].eq(floor[b, .., (int)cutoff..]).all().item<bool>(), $"clip {b}: bands above the cutoff are not the floor");
            Assert.True(x[b, .., ..(int)cutoff].eq(frames[b, .., ..(int)cutoff]).all().item<bool>(), $"clip {b}: a band below the cutoff changed");
        }
        Assert.InRange(limited, 16, 48);                                                 // about half of 64 clips
    }

    [Fact]
    public void StretchTime_ReadsAboutTheCentre_CircularlyWithLinearInterpolation()
    {
        using var scope = NewDisposeScope();
        var ramp = arange(9, dtype: ScalarType.Float32).reshape(1, 9, 1).expand(3, 9, 2).contiguous();   // x[b, t, m] = t
        var x = FrameAugmentation.StretchTime(ramp, tensor(new[] { 1f, 2f, 0.5f }));
        // c = 4. Rate 1: identity. Rate 2: source 4 + 2(t − 4) mod 9. Rate 0.5: source 4 + (t − 4)/2, interpolated.
        float[][] expected =
        [
            [0, 1, 2, 3, 4, 5, 6, 7, 8],
            [5, 7, 0, 2, 4, 6, 8, 1, 3],
            [2, 2.5f, 3, 3.5f, 4, 4.5f, 5, 5.5f, 6],
        ];
        for (int b = 0; b < 3; b++)
            for (int m = 0; m < 2; m++)
                Assert.Equal(expected[b], x[b, .., m].data<float>().ToArray());
    }

    [Fact]
    public void WarpBands_ScalesTheMelAxisAboutBandZero_RepeatingTheTopBand()
    {
        using var scope = NewDisposeScope();
        var impulse = zeros(3, 2, 32);
        impulse[.., .., 10] = tensor(1f);
        var x = FrameAugmentation.WarpBands(impulse, tensor(new[] { 1f, 0.5f, 2f }));
        Assert.True(x[0].eq(impulse[0]).all().item<bool>());
        // Factor 0.5: band m reads band m/2, so the impulse moves up to band 20 and its odd neighbours read half of it.
        var up = x[1, 0].data<float>().ToArray();
        Assert.Equal(1f, up[20]);
        Assert.Equal(0.5f, up[19]);
        Assert.Equal(0.5f, up[21]);
        Assert.Equal(2f, up.Sum());
        // Factor 2: band m reads band 2m, so the impulse moves down to band 5.
        var down = x[2, 1].data<float>().ToArray();
        Assert.Equal(1f, down[5]);
        Assert.Equal(1f, down.Sum());
        // Past the top the last band repeats: a ramp over bands saturates at M − 1.
        var ramp = arange(32, dtype: ScalarType.Float32).reshape(1, 1, 32);
        var warped = FrameAugmentation.WarpBands(ramp, tensor(new[] { 2f }))[0, 0].data<float>().ToArray();
        Assert.Equal(Enumerable.Range(0, 32).Select(m => (float)Math.Min(2 * m, 31)).ToArray(), warped);
    }

    [Fact]
    public void WarpAndStretch_DrawEachClipsFactorInRange_DeterministicUnderTheGenerator()
    {
        var options = new FrameAugmentationOptions { FrequencyWarp = 0.2, TimeStretch = 0.2 };
        using var scope = NewDisposeScope();
        var frames = randn(16, 30, 24);
        using var g1 = new Generator(5);
        using var g2 = new Generator(5);
        var (a, _) = FrameAugmentation.Apply(frames, ones(16, 1), options, multiLabel: true, g1);
        var (b, _) = FrameAugmentation.Apply(frames, ones(16, 1), options, multiLabel: true, g2);
        Assert.True(a.eq(b).all().item<bool>());
        Assert.False(a.allclose(frames));
        // Interpolation never leaves each clip's own value range.
        Assert.True(a.amax([1, 2]).le(frames.amax([1, 2]) + 1e-5).all().item<bool>());
        Assert.True(a.amin([1, 2]).ge(frames.amin([1, 2]) - 1e-5).all().item<bool>());
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameAugmentationOptions { FrequencyWarp = 1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameAugmentationOptions { TimeStretch = -0.1 }.Validate());
        Assert.True(new FrameAugmentationOptions { TimeStretch = 0.1 }.IsEnabled);
    }
}
