using QuantumKan.Audio.Mel;
using QuantumKan.Audio.Spectral;
using QuantumKan.Audio.Tests.Wav;

namespace QuantumKan.Audio.Tests.Mel;

public class SpectrumTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(16)]
    [InlineData(512)]
    [InlineData(1024)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(400)]
    [InlineData(661)]
    public void RealFft_MatchesADirectDft(int n)
    {
        var rng = new Random(n);
        var frame = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var window = Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray();
        var fft = RealFft.Create(n);
        var power = new float[fft.Bins];
        var magnitude = new float[fft.Bins];
        var scratch = fft.CreateScratch();

        fft.Spectrum(frame, window, 2, power, scratch);
        fft.Spectrum(frame, window, 1, magnitude, scratch);

        double peak = 0;
        var expected = new double[fft.Bins];
        for (int k = 0; k < fft.Bins; k++)
        {
            double re = 0, im = 0;
            for (int j = 0; j < n; j++)
            {
                double x = (double)frame[j] * window[j], angle = -2 * Math.PI * ((long)j * k % n) / n;
                re += x * Math.Cos(angle);
                im += x * Math.Sin(angle);
            }
            expected[k] = re * re + im * im;
            peak = Math.Max(peak, expected[k]);
        }
        for (int k = 0; k < fft.Bins; k++)
        {
            Assert.True(Math.Abs(power[k] - expected[k]) <= 1e-5 * peak, $"n={n} bin {k}: {power[k]} vs {expected[k]}");
            Assert.True(Math.Abs(magnitude[k] - Math.Sqrt(expected[k])) <= 1e-5 * Math.Sqrt(peak), $"n={n} bin {k} magnitude");
        }
    }

    [Fact]
    public void Spectrogram_PutsASineInItsBin()
    {
        // 1 kHz at 16 kHz with n_fft 512: bin 1000 / (16000 / 512) = 32.
        var sine = WavBytes.Sine(16000, 1000.0 / 16000);
        var spec = Spectrogram.Compute(sine, 512, 160);
        int bins = 257, frames = spec.Length / bins;
        Assert.Equal(101, frames);
        for (int t = 2; t < frames - 2; t++)
        {
            var row = spec.AsSpan(t * bins, bins);
            Assert.Equal(32, row.IndexOf(row.ToArray().Max()));
        }
    }

    [Fact]
    public void Stft_ReflectPaddingFoldsShortClipsRepeatedly()
    {
        // Three samples, n_fft 16: the pad (8) exceeds the clip; numpy-style reflection keeps folding.
        var plan = new StftPlan(16, 16, 4, center: true, PadMode.Reflect, 2);
        var padded = plan.Pad([1f, 2f, 3f]);
        float[] expectedLeft = [1, 2, 3, 2, 1, 2, 3, 2]; // indices −8 … −1 reflect to 0,1,2,1,0,1,2,1 → values 1,2,3,2,1,2,3,2
        Assert.Equal(expectedLeft, padded[..8]);
        Assert.Equal([1f, 2f, 3f], padded[8..11]);
        Assert.Equal([2f, 1f, 2f, 3f, 2f, 1f, 2f, 3f], padded[11..]);
        Assert.Equal(1, plan.FrameCount(3)); // 1 + (3 + 16 − 16) / 4
        Assert.Equal(new float[1], new StftPlan(16, 16, 4, true, PadMode.Reflect, 2).Pad([0f])[..1]);
    }

    [Fact]
    public void MelFilterbank_SlaneyNormGivesEqualAreaBands_AndHtkPeaksAtOne()
    {
        var htk = MelFilterbank.Get(16000, 2048, 40, 0, 8000, MelScale.Htk, MelNorm.None).ToDense();
        var slaney = MelFilterbank.Get(16000, 2048, 40, 0, 8000, MelScale.Slaney, MelNorm.Slaney).ToDense();
        double binHz = 8000.0 / 1024;
        for (int m = 0; m < 40; m++)
        {
            double peak = 0, area = 0;
            for (int k = 0; k < 1025; k++)
            {
                peak = Math.Max(peak, htk[m, k]);
                area += slaney[m, k] * binHz;
            }
            Assert.InRange(peak, 0.9, 1.0);
            Assert.InRange(area, 0.9, 1.1); // a triangle of height 2/width has unit area
        }
    }

    [Fact]
    public void MelScale_ConversionsRoundTripAndMatchKnownPoints()
    {
        Assert.Equal(1000.0, MelScaleConversion.HzToMel(1000, MelScale.Htk), 0); // ≈ 999.99
        Assert.Equal(15.0, MelScaleConversion.HzToMel(1000, MelScale.Slaney), 12);
        foreach (var scale in Enum.GetValues<MelScale>())
            foreach (double hz in new[] { 0.0, 200, 999, 1000, 1001, 5000, 22050 })
                Assert.Equal(hz, MelScaleConversion.MelToHz(MelScaleConversion.HzToMel(hz, scale), scale), 6);
    }
}
