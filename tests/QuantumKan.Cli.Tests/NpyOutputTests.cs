using QuantumKan.Audio;
using QuantumKan.Audio.Mel;
using QuantumKan.Audio.Resampling;
using QuantumKan.Audio.Wav;

namespace QuantumKan.Cli.Tests;

/// <summary><c>qkan mel</c> and <c>qkan decode</c> write NumPy float32 arrays of the right shape and values.</summary>
public sealed class NpyOutputTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Mel_WritesFramesByMels_EqualToTheFeaturizer()
    {
        var wav = _folder.Tone("tone.wav", sampleRate: 22_050, seconds: 0.75);
        var npy = _folder.Combine("tone.npy");

        Qkan.Succeed("mel", wav, "--out", npy, "--mels", "40");

        var file = NpyFile.Read(npy);
        var expected = new AudioFrontEnd(new LogMelOptions { MelBands = 40 }).FeaturizeFile(wav);
        int frames = 1 + 12_000 / 160; // 0.75 s resampled to 16 kHz = 12000 samples, centred frames every 160
        Assert.Equal([frames, 40], file.Shape);
        Assert.Equal(expected, file.Values);
    }

    [Fact]
    public void Mel_PooledLayout_HasSegmentsStatisticsMelsShape()
    {
        var wav = _folder.Tone("tone.wav");
        var npy = _folder.Combine("pooled.npy");

        Qkan.Succeed("mel", wav, "--out", npy, "--layout", "Pooled", "--segments", "3", "--stats", "mean,std,max", "--mels", "16");

        var file = NpyFile.Read(npy);
        Assert.Equal([3, 3, 16], file.Shape);
        var options = new LogMelOptions { Layout = FeatureLayout.Pooled, PoolingSegments = 3, MelBands = 16, PoolingStatistics = PoolingStatistics.Mean | PoolingStatistics.Std | PoolingStatistics.Max };
        Assert.Equal(new AudioFrontEnd(options).FeaturizeFile(wav), file.Values);
    }

    [Fact]
    public void Decode_WritesMonoSamples()
    {
        var wav = _folder.Tone("tone.wav", sampleRate: 16_000, seconds: 0.25);
        var npy = _folder.Combine("samples.npy");

        var result = Qkan.Succeed("decode", wav, "--out", npy);

        var file = NpyFile.Read(npy);
        Assert.Equal([4000], file.Shape);
        Assert.Equal(WavDecoder.Decode(wav).Mono, file.Values);
        Assert.Contains("16000 Hz", result.Output);
    }

    [Fact]
    public void Decode_KeepChannels_WritesChannelsBySamples()
    {
        var wav = _folder.Stereo("stereo.wav", frames: 3000);
        var npy = _folder.Combine("stereo.npy");

        Qkan.Succeed("decode", wav, "--out", npy, "--keep-channels");

        var file = NpyFile.Read(npy);
        Assert.Equal([2, 3000], file.Shape);
        var clip = WavDecoder.Decode(wav, WavDecodeOptions.Default with { Channels = ChannelPolicy.KeepChannels });
        Assert.Equal(clip.Channels[0], file.Values[..3000]);
        Assert.All(file.Values[3000..], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Decode_Resamples()
    {
        var wav = _folder.Tone("tone.wav", sampleRate: 44_100, seconds: 0.5);
        var npy = _folder.Combine("resampled.npy");

        Qkan.Succeed("decode", wav, "--out", npy, "--sample-rate", "16000");

        var file = NpyFile.Read(npy);
        var expected = SincResampler.Get(44_100, 16_000).Resample(WavDecoder.Decode(wav).Mono);
        Assert.Equal([expected.Length], file.Shape);
        Assert.Equal(expected, file.Values);
    }
}
