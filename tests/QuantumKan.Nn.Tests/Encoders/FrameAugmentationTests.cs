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
}
