using System.Text.Json;
using QuantumKan.Audio.Resampling;
using QuantumKan.Audio.Tests.Wav;

namespace QuantumKan.Audio.Tests.Resampling;

public class SincResamplerTests
{
    public static TheoryData<int, int> ReferencePairs() => new() { { 44100, 16000 }, { 48000, 22050 }, { 44100, 22050 }, { 16000, 44100 } };

    [Theory]
    [MemberData(nameof(ReferencePairs))]
    public void Resample_MatchesTorchaudio013(int orig, int target)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ReferenceFiles.Path("manifest.json")));
        var entry = doc.RootElement.GetProperty("resample").EnumerateArray()
            .Single(e => e.GetProperty("orig").GetInt32() == orig && e.GetProperty("new").GetInt32() == target);
        var input = ReferenceFiles.ReadFloats(entry.GetProperty("input").GetString()!);
        var expected = ReferenceFiles.ReadFloats(entry.GetProperty("output").GetString()!);

        var actual = SincResampler.Resample(input, orig, target);

        Assert.Equal(expected.Length, actual.Length);
        double maxError = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(maxError < 1e-5, $"max |Δ| = {maxError}");
    }

    // The bounds below are the quality of torchaudio's default kernel (6 zero crossings, rolloff 0.99), whose
    // transition band starts near 0.75 of the lower Nyquist frequency: flat to 0.7, about −0.5 dB at 0.8.
    [Theory]
    [InlineData(44100, 16000)]
    [InlineData(48000, 22050)]
    [InlineData(44100, 22050)]
    [InlineData(22050, 48000)]
    public void Resample_KeepsPassbandSinesWithinHalfAPercent(int orig, int target)
    {
        var resampler = SincResampler.Get(orig, target);
        double nyquist = Math.Min(orig, target) / 2.0;
        foreach (double fraction in new[] { 0.05, 0.3, 0.6 })
        {
            double hz = fraction * nyquist;
            var output = resampler.Resample(Tone(orig, hz, seconds: 0.5));
            var expected = Tone(target, hz, seconds: 0.5);
            // Compare away from the edges, where the zero padding outside the clip shows.
            int margin = target / 50;
            double maxError = 0;
            for (int i = margin; i < output.Length - margin; i++)
                maxError = Math.Max(maxError, Math.Abs(output[i] - expected[i]));
            Assert.True(maxError < 0.005 * 0.5, $"{hz:F0} Hz: max error {maxError}");
        }
        Assert.InRange(GainDb(resampler, 0.7 * nyquist), -0.05, 0.05);
        Assert.InRange(GainDb(resampler, 0.8 * nyquist), -0.8, -0.3);
    }

    [Theory]
    [InlineData(44100, 16000)]
    [InlineData(48000, 22050)]
    [InlineData(44100, 22050)]
    public void Resample_RejectsTonesAboveTheNewNyquist(int orig, int target)
    {
        // A tone between the new Nyquist and the old one would fold back to (target − hz); the filter must remove it.
        var resampler = SincResampler.Get(orig, target);
        double nyquist = target / 2.0;
        Assert.True(GainDb(resampler, 1.2 * nyquist) < -25);
        foreach (double fraction in new[] { 1.3, 1.5, 1.7 })
            Assert.True(GainDb(resampler, fraction * nyquist) < -40, $"{fraction} × Nyquist leaks at {GainDb(resampler, fraction * nyquist):F1} dB");
    }

    private static double GainDb(SincResampler resampler, double hz)
    {
        var output = resampler.Resample(Tone(resampler.OriginalRate, hz, seconds: 0.5));
        int margin = resampler.TargetRate / 20;
        return 20 * Math.Log10(Rms(output.AsSpan(margin, output.Length - 2 * margin)) / (0.5 / Math.Sqrt(2)));
    }

    [Fact]
    public void Resample_SweepThroughPassbandKeepsItsEnvelope()
    {
        // Linear sweep 50 Hz → 5.6 kHz (0.7 of the new Nyquist) at 44.1 kHz, resampled to 16 kHz: the envelope stays flat (±0.1 dB).
        const int orig = 44100, target = 16000;
        double seconds = 1.0;
        var sweep = Sweep(orig, 50, 5600, seconds);
        var output = SincResampler.Resample(sweep, orig, target);
        var expected = Sweep(target, 50, 5600, seconds);
        int margin = target / 20;
        for (int block = margin; block + 400 < output.Length - margin; block += 400)
        {
            double rmsOut = Rms(output.AsSpan(block, 400)), rmsIn = Rms(expected.AsSpan(block, 400));
            Assert.InRange(20 * Math.Log10(rmsOut / rmsIn), -0.1, 0.1);
        }
    }

    [Fact]
    public void OutputLength_IsCeilOfTheRatio()
    {
        var r = SincResampler.Get(44100, 16000);
        Assert.Equal(16000, r.OutputLength(44100));
        Assert.Equal(1, r.OutputLength(1));
        Assert.Equal(0, r.OutputLength(0));
        Assert.Equal((int)Math.Ceiling(160.0 * 1000 / 441), r.OutputLength(1000));
        Assert.Empty(r.Resample(ReadOnlySpan<float>.Empty));
    }

    [Fact]
    public void Get_CachesOneKernelPerRatePair()
    {
        Assert.Same(SincResampler.Get(48000, 16000), SincResampler.Get(48000, 16000));
        Assert.NotSame(SincResampler.Get(48000, 16000), SincResampler.Get(44100, 16000));
    }

    [Fact]
    public void Kernel_KeepsOnlyNonzeroTaps_SoCoprimeRatesStayCheap()
    {
        // 44101 → 16000 has no common factor: torchaudio's dense kernel would hold 16000 × 44135 taps.
        var r = new SincResampler(44101, 16000);
        Assert.InRange(r.TapCount, 16000 * 30, 16000 * 40);
        var tone = Tone(44101, 1000, 0.1);
        var output = r.Resample(tone);
        var expected = Tone(16000, 1000, 0.1);
        for (int i = 200; i < output.Length - 200; i++)
            Assert.True(Math.Abs(output[i] - expected[i]) < 1e-3, $"sample {i}");
    }

    [Fact]
    public void Resample_ClipResamplesEveryChannel()
    {
        var clip = new AudioClip(44100, [Tone(44100, 440, 0.1), Tone(44100, 880, 0.1)]);
        var result = SincResampler.Resample(clip, 22050);
        Assert.Equal(22050, result.SampleRate);
        Assert.Equal(2, result.ChannelCount);
        Assert.Equal(SincResampler.Resample(clip.Channels[1], 44100, 22050), result.Channels[1]);
        Assert.Same(clip, SincResampler.Resample(clip, 44100));
    }

    private static float[] Tone(int rate, double hz, double seconds) =>
        WavBytes.Sine((int)(rate * seconds), hz / rate, 0.5);

    private static float[] Sweep(int rate, double f0, double f1, double seconds)
    {
        int n = (int)(rate * seconds);
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            double t = (double)i / rate;
            x[i] = (float)(0.5 * Math.Sin(2 * Math.PI * (f0 * t + (f1 - f0) * t * t / (2 * seconds))));
        }
        return x;
    }

    private static double Rms(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (var v in x)
            s += (double)v * v;
        return Math.Sqrt(s / x.Length);
    }
}
