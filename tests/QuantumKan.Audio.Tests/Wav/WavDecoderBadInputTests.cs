using QuantumKan.Audio;
using System.Buffers.Binary;
using QuantumKan.Audio.Wav;

namespace QuantumKan.Audio.Tests.Wav;

public class WavDecoderBadInputTests
{
    private static readonly byte[] Pcm16Samples = WavBytes.Samples([WavBytes.Sine(100, 0.05)], WavSampleFormat.Pcm16);

    private static AudioFormatException Refused(byte[] file, string expectedReasonPart, WavDecodeOptions? options = null)
    {
        var ex = Assert.Throws<AudioFormatException>(() => WavDecoder.Decode(file, "clip-42.wav", options));
        Assert.Equal("clip-42.wav", ex.FileName);
        Assert.Contains(expectedReasonPart, ex.Reason);
        Assert.Contains("clip-42.wav", ex.Message);
        AssertStreamedFeaturizationRefuses(file, ex.Reason, options);
        return ex;
    }

    // The streamed path (AudioFrontEnd.FeaturizeFile parses the header from the file and decodes chunk by chunk)
    // must refuse every file the whole-file decoder refuses, for the same reason.
    private static void AssertStreamedFeaturizationRefuses(byte[] file, string reason, WavDecodeOptions? options)
    {
        using var temp = new TempFolder("qk-refused-");
        var path = temp.Combine("refused.wav");
        File.WriteAllBytes(path, file);
        var ex = Assert.Throws<AudioFormatException>(() => new QuantumKan.Audio.AudioFrontEnd(null, new SignalOptions { Truncation = (options ?? WavDecodeOptions.Default).Truncation, MaxFileBytes = (options ?? WavDecodeOptions.Default).MaxFileBytes }).FeaturizeFile(path));
        Assert.Equal(path, ex.FileName);
        Assert.Equal(reason, ex.Reason);
    }

    [Fact]
    public void Decode_RejectsNonRiffFiles()
    {
        Refused("ID3\u0004 this is an mp3 file......"u8.ToArray(), "not a RIFF/WAVE file");
        Refused([], "too short");
        Refused(new WavBytes { Form = "AVI " }.Build(), "not 'WAVE'");
    }

    [Fact]
    public void Decode_RejectsRifxClearly() =>
        Refused(new WavBytes { Riff = "RIFX" }.Fmt(1, 1, 16000, 16).Data(Pcm16Samples).Build(), "big-endian RIFX");

    [Fact]
    public void Decode_RejectsRf64WithoutDs64() =>
        Refused(new WavBytes { Riff = "RF64" }.Fmt(1, 1, 16000, 16).Data(Pcm16Samples, uint.MaxValue).Build(), "ds64");

    [Theory]
    [InlineData((ushort)0x0055, "MP3")]
    [InlineData((ushort)0x0002, "MS ADPCM")]
    [InlineData((ushort)0x0011, "IMA ADPCM")]
    [InlineData((ushort)0x0050, "MPEG")]
    [InlineData((ushort)0x1234, "format tag 0x1234")]
    public void Decode_RejectsCompressedFormats(ushort tag, string name) =>
        Refused(new WavBytes().Fmt(tag, 1, 16000, 4).Data(new byte[64]).Build(), name);

    [Fact]
    public void Decode_RejectsCompressedFormatInsideExtensible() =>
        Refused(new WavBytes().FmtExtensible(0x0055, 1, 16000, 16, 16).Data(Pcm16Samples).Build(), "MP3");

    [Fact]
    public void Decode_RejectsZeroChannelsRateOrBlockAlign()
    {
        Refused(new WavBytes().Fmt(1, 0, 16000, 16, blockAlign: 2).Data(Pcm16Samples).Build(), "zero channels");
        Refused(new WavBytes().Fmt(1, 1, 0, 16).Data(Pcm16Samples).Build(), "sample rate of zero");
        Refused(new WavBytes().Fmt(1, 1, 16000, 16, blockAlign: 0).Data(Pcm16Samples).Build(), "block align of zero");
        Refused(new WavBytes().Fmt(1, 2, 16000, 16, blockAlign: 2).Data(Pcm16Samples).Build(), "smaller than 2 channel(s)");
        Refused(new WavBytes().Fmt(1, 1, 5_000_000, 16).Data(Pcm16Samples).Build(), "outside the supported range");
    }

    [Fact]
    public void Decode_RejectsUnsupportedBitDepths()
    {
        Refused(new WavBytes().Fmt(3, 1, 16000, 16).Data(Pcm16Samples).Build(), "IEEE float with 16 bits");
        Refused(new WavBytes().Fmt(1, 1, 16000, 40).Data(new byte[50]).Build(), "PCM with 40 bits");
        Refused(new WavBytes().Fmt(1, 1, 16000, 0, blockAlign: 2).Data(Pcm16Samples).Build(), "PCM with 0 bits");
        Refused(new WavBytes().Fmt(7, 1, 16000, 16).Data(Pcm16Samples).Build(), "G.711 with 16 bits");
    }

    [Fact]
    public void Decode_RejectsMissingOrShortFmtAndMissingData()
    {
        Refused(new WavBytes().Data(Pcm16Samples).Build(), "no 'fmt ' chunk");
        Refused(new WavBytes().Fmt(1, 1, 16000, 16).Build(), "no 'data' chunk");
        Refused(new WavBytes().Chunk("fmt ", new byte[12]).Data(Pcm16Samples).Build(), "at least 16");
        Refused(new WavBytes().Chunk("fmt ", WavBytes.ExtensibleBody(1, 1, 16000, 16, 16)[..24]).Data(Pcm16Samples).Build(), "40 are required");
    }

    [Fact]
    public void Decode_RejectsDataChunkLongerThanFile()
    {
        var file = new WavBytes().Fmt(1, 1, 16000, 16).Data(Pcm16Samples, declaredSize: (uint)Pcm16Samples.Length + 1000).Build();
        Refused(file, "declares 1200 bytes but only 200 remain");
    }

    [Fact]
    public void Decode_RejectsHeaderClaimingGigabytes_WithoutAllocatingThem()
    {
        var file = new WavBytes { RiffSize = uint.MaxValue }.Fmt(1, 1, 16000, 16).Data(Pcm16Samples, declaredSize: 0xFFFF_FFF0).Build();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Refused(file, "declares 4294967280 bytes");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "a lying header must not cause a large allocation");
    }

    [Fact]
    public void Decode_RejectsChunkBeforeTheAudioThatRunsPastTheEnd() =>
        Refused(new WavBytes().Chunk("LIST", new byte[8], declaredSize: 1 << 30).Fmt(1, 1, 16000, 16).Data(Pcm16Samples).Build(), "chunk 'LIST'");

    [Fact]
    public void Decode_RejectsNonFiniteFloatSamples()
    {
        var data = new byte[12];
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4), float.NaN);
        Refused(new WavBytes().Fmt(3, 1, 16000, 32).Data(data).Build(), "sample 1 of channel 0 is NaN; float samples must be finite");
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(8), float.PositiveInfinity);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4), 0.5f);
        Refused(new WavBytes().Fmt(3, 1, 16000, 32).Data(data).Build(), "sample 2 of channel 0 is +∞; float samples must be finite");
    }

    [Theory]
    [InlineData(1e30)]
    [InlineData(3.4e38)]
    [InlineData(-3.4e38)]
    [InlineData(1e6 * 1.001)]
    public void Decode_RejectsHugeFiniteFloat32Samples(double value)
    {
        // Frame 2, right channel: the error names the sample as stored, whether the clip is mixed down or not.
        var data = new byte[4 * 2 * 4];
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(2 * 8 + 4), (float)value);
        var file = new WavBytes().Fmt(3, 2, 16000, 32).Data(data).Build();
        Refused(file, "sample 2 of channel 1 is ");
        var ex = Refused(file, "float samples must lie within ±1000000", new WavDecodeOptions { Channels = ChannelPolicy.KeepChannels });
        Assert.Contains("sample 2 of channel 1", ex.Reason);
    }

    [Fact]
    public void Decode_RejectsHugeFloat64Samples_ThatFloat32WouldTurnIntoInfinity()
    {
        var data = new byte[3 * 8];
        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8), 1e300);
        Refused(new WavBytes().Fmt(3, 1, 16000, 64).Data(data).Build(), "sample 1 of channel 0 is 1E+300; float samples must lie within");
    }

    [Fact]
    public void Decode_KeepsLoudButSaneFloatSamples_AndTheFeaturesStayFinite()
    {
        var samples = new float[4000];
        for (int i = 0; i < samples.Length; i++)
            samples[i] = (i % 2 == 0 ? 1000f : -1000f) * MathF.Sin(i * 0.05f);
        samples[7] = (float)WavDecoder.MaxFloatSampleMagnitude;
        var bytes = new byte[samples.Length * 4];
        for (int i = 0; i < samples.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), samples[i]);

        var clip = WavDecoder.Decode(new WavBytes().Fmt(3, 1, 16000, 32).Data(bytes).Build());

        Assert.Equal(samples, clip.Channels[0]);
        var features = new QuantumKan.Audio.AudioFrontEnd().Featurize(clip);
        Assert.All(features, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Decode_RejectsFilesAboveTheSizeLimit() =>
        Refused(WavBytes.Canonical([WavBytes.Sine(1000, 0.01)], 16000, WavSampleFormat.Pcm16), "above the 1000-byte limit",
            new WavDecodeOptions { MaxFileBytes = 1000 });

    [Fact]
    public void Decode_MissingFileRaisesFileNotFoundNamingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), "qk-does-not-exist.wav");
        var ex = Assert.Throws<FileNotFoundException>(() => WavDecoder.Decode(path));
        Assert.Contains("qk-does-not-exist.wav", ex.Message);
    }

    // Truncation policy: refused by default; ReadAvailable keeps the complete frames present and flags the clip.
    [Fact]
    public void Decode_TruncatedFile_IsRefusedByDefault_AndReadWithAFlagOnRequest()
    {
        var stereo = WavBytes.Samples([WavBytes.Sine(100, 0.05), WavBytes.Sine(100, 0.03)], WavSampleFormat.Pcm24);
        var full = new WavBytes().Fmt(1, 2, 16000, 24).Data(stereo).Build();
        var cut = full[..(full.Length - 100)]; // 100 bytes = 16 frames of 6 bytes + 4 bytes of a partial frame

        Refused(cut, "truncated file?");
        var clip = WavDecoder.Decode(cut, options: new WavDecodeOptions { Truncation = TruncationPolicy.ReadAvailable, Channels = ChannelPolicy.KeepChannels });
        var whole = WavDecoder.Decode(full, options: new WavDecodeOptions { Channels = ChannelPolicy.KeepChannels });

        Assert.True(clip.IsTruncated);
        Assert.False(whole.IsTruncated);
        Assert.Equal(100 - 17, clip.FrameCount);
        Assert.Equal(whole.Channels[1][..83], clip.Channels[1]);
    }

    [Fact]
    public void Decode_ToleratesACutOffMetadataChunkAfterTheAudio()
    {
        var file = new WavBytes().Fmt(1, 1, 16000, 16).Data(Pcm16Samples).Chunk("LIST", new byte[10], declaredSize: 5000).Build();
        Assert.Equal(100, WavDecoder.Decode(file).FrameCount);
    }
}
