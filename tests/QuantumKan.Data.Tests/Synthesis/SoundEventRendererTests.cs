using QuantumKan.Data.Synthesis;

namespace QuantumKan.Data.Tests.Synthesis;

public class SoundEventRendererTests
{
    private const int Sr = 44100;

    public static TheoryData<SyntheticSoundType, SyntheticSoundType> ReversalPairs => new()
    {
        { SyntheticSoundType.RisingChirp, SyntheticSoundType.FallingChirp },
        { SyntheticSoundType.DingDong, SyntheticSoundType.DongDing },
        { SyntheticSoundType.ShortLongBurst, SyntheticSoundType.LongShortBurst },
    };

    [Theory]
    [MemberData(nameof(ReversalPairs))]
    public void ReversedType_IsExactTimeMirrorOfItsPartner(SyntheticSoundType forward, SyntheticSoundType backward)
    {
        for (ulong seed = 1; seed <= 5; seed++)
        {
            var a = SoundEventRenderer.Render(forward, Sr, new DeterministicRandom(seed));
            var b = SoundEventRenderer.Render(backward, Sr, new DeterministicRandom(seed));
            Assert.Equal(a.Length, b.Length);
            Assert.Equal(a.Reverse(), b);
            Assert.NotEqual(a, b); // a mirror, not the same sound
        }
        Assert.True(SyntheticSoundVocabulary.AreTimeReversals(forward, backward));
        Assert.True(SyntheticSoundVocabulary.AreTimeReversals(backward, forward));
    }

    [Fact]
    public void RisingChirp_SweepsUpAndFallingChirp_SweepsDown()
    {
        var rising = SoundEventRenderer.Render(SyntheticSoundType.RisingChirp, Sr, new DeterministicRandom(3));
        var falling = SoundEventRenderer.Render(SyntheticSoundType.FallingChirp, Sr, new DeterministicRandom(4));
        Assert.True(PeakOf(rising, 0.05, 0.25) < 700, "the rising chirp should start low");
        Assert.True(PeakOf(rising, 0.75, 0.95) > 1800, "the rising chirp should end high");
        Assert.True(PeakOf(falling, 0.05, 0.25) > 1800, "the falling chirp should start high");
        Assert.True(PeakOf(falling, 0.75, 0.95) < 700, "the falling chirp should end low");
    }

    [Fact]
    public void DingDong_PlaysTheHighNoteFirst_AMajorThirdAbove()
    {
        var x = SoundEventRenderer.Render(SyntheticSoundType.DingDong, Sr, new DeterministicRandom(9));
        double first = PeakOf(x, 0.1, 0.4), second = PeakOf(x, 0.6, 0.9);
        Assert.InRange(first, 1050, 1450);
        Assert.InRange(first / second, 1.2, 1.3);
        var y = SoundEventRenderer.Render(SyntheticSoundType.DongDing, Sr, new DeterministicRandom(9));
        Assert.True(PeakOf(y, 0.1, 0.4) < PeakOf(y, 0.6, 0.9));
    }

    [Fact]
    public void ShortLongBurst_HasTheShortBurstFirst()
    {
        var x = SoundEventRenderer.Render(SyntheticSoundType.ShortLongBurst, Sr, new DeterministicRandom(5));
        var segments = ActiveSegments(x, Sr);
        Assert.Equal(2, segments.Count);
        Assert.True(segments[0].Length * 2 < segments[1].Length, $"segments {segments[0]} then {segments[1]}");
    }

    [Theory]
    [InlineData(SyntheticSoundType.LowNoiseBurst, 120.0, 540.0, 0.9)]
    [InlineData(SyntheticSoundType.HighNoiseBurst, 3000.0, 5800.0, 0.9)]
    [InlineData(SyntheticSoundType.HarmonicTone, 140.0, 1550.0, 0.97)]
    [InlineData(SyntheticSoundType.AmTone, 1950.0, 2650.0, 0.95)]
    [InlineData(SyntheticSoundType.ShortLongBurst, 800.0, 2500.0, 0.85)]
    [InlineData(SyntheticSoundType.DingDong, 850.0, 2850.0, 0.97)]
    public void SpectralType_KeepsItsEnergyInItsBand(SyntheticSoundType type, double lowHz, double highHz, double minFraction)
    {
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var x = SoundEventRenderer.Render(type, Sr, new DeterministicRandom(seed));
            double fraction = PowerSpectrum.FractionInBand(x, Sr, lowHz, highHz);
            Assert.True(fraction >= minFraction, $"{type}: {fraction:P1} of energy in {lowHz}–{highHz} Hz");
        }
    }

    [Fact]
    public void ClickTrain_IsBroadbandAndPeriodic()
    {
        var x = SoundEventRenderer.Render(SyntheticSoundType.ClickTrain, Sr, new DeterministicRandom(2));
        Assert.True(PowerSpectrum.FractionInBand(x, Sr, 0, 1000) < 0.4);
        Assert.True(PowerSpectrum.FractionInBand(x, Sr, 2000, 6500) > 0.4);
        Assert.InRange(ActiveSegments(x, Sr, windowSeconds: 0.002).Count, 3, 10); // 10–16 clicks/s over 0.3–0.6 s
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void EveryType_IsPeakNormalized_ShortEnough_AndSilentAbove6500Hz(SyntheticSoundType type)
    {
        var x = SoundEventRenderer.Render(type, Sr, new DeterministicRandom(11));
        Assert.Equal(1f, x.Max(Math.Abs), 5);
        Assert.InRange(x.Length, (int)(0.2 * Sr), (int)(SoundEventRenderer.MaxEventSeconds * Sr) + 1);
        Assert.True(PowerSpectrum.FractionInBand(x, Sr, 6500, Sr / 2.0) < 0.01);
    }

    [Fact]
    public void Render_RejectsSampleRatesTooLowForTheEvents()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SoundEventRenderer.Render(SyntheticSoundType.AmTone, 8000, new DeterministicRandom(1)));
        Assert.Equal("sampleRate", ex.ParamName);
    }

    public static TheoryData<SyntheticSoundType> AllTypes()
    {
        var data = new TheoryData<SyntheticSoundType>();
        foreach (var t in SyntheticSoundVocabulary.AllTypes)
            data.Add(t);
        return data;
    }

    private static double PeakOf(float[] x, double from, double to) =>
        PowerSpectrum.PeakFrequency(x.AsSpan((int)(from * x.Length), (int)((to - from) * x.Length)), Sr);

    /// <summary>Runs of windows whose RMS exceeds 10% of the loudest window.</summary>
    private static List<Segment> ActiveSegments(float[] x, int sr, double windowSeconds = 0.01)
    {
        int w = (int)(windowSeconds * sr);
        var rms = Enumerable.Range(0, x.Length / w).Select(i => Math.Sqrt(x.AsSpan(i * w, w).ToArray().Average(v => v * v))).ToArray();
        double threshold = 0.1 * rms.Max();
        var segments = new List<Segment>();
        for (int i = 0; i < rms.Length; i++)
        {
            if (rms[i] < threshold)
                continue;
            int start = i;
            while (i < rms.Length && rms[i] >= threshold)
                i++;
            segments.Add(new Segment(start, i));
        }
        return segments;
    }
}

internal readonly record struct Segment(int Start, int End)
{
    public int Length => End - Start;
}
