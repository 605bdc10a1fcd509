using System.Buffers.Binary;
using System.Text.Json;
using QuantumKan.Audio.Wav;

namespace QuantumKan.Audio.Tests.Wav;

public class WavDecoderFormatTests
{
    public static TheoryData<WavSampleFormat, int, int> FormatMatrix()
    {
        var data = new TheoryData<WavSampleFormat, int, int>();
        foreach (var format in Enum.GetValues<WavSampleFormat>())
            foreach (var (channels, rate) in new[] { (1, 8000), (2, 44100), (3, 192000), (6, 16000) })
                data.Add(format, channels, rate);
        return data;
    }

    // Quantization step of each format, which bounds the write → decode round-trip error.
    private static double Tolerance(WavSampleFormat f) => f switch
    {
        WavSampleFormat.Pcm8 => 1.0 / 128,
        WavSampleFormat.Pcm16 => 1.0 / 32768,
        WavSampleFormat.Pcm24 => 1.0 / 8388608,
        WavSampleFormat.Pcm32 => 1e-7,
        WavSampleFormat.ALaw or WavSampleFormat.MuLaw => 0.035, // G.711: 8-bit logarithmic, ~3% step at full scale
        _ => 0,
    };

    [Theory]
    [MemberData(nameof(FormatMatrix))]
    public void Decode_RoundTripsEveryFormatChannelCountAndRate(WavSampleFormat format, int channelCount, int rate)
    {
        var channels = Enumerable.Range(0, channelCount).Select(c => WavBytes.Sine(300, 0.01 * (c + 1), 0.9, c)).ToArray();
        var bytes = WavBytes.Canonical(channels, rate, format);

        var clip = WavDecoder.Decode(bytes, options: new WavDecodeOptions { Channels = ChannelPolicy.KeepChannels });

        Assert.Equal(rate, clip.SampleRate);
        Assert.Equal(channelCount, clip.ChannelCount);
        Assert.Equal(300, clip.FrameCount);
        for (int c = 0; c < channelCount; c++)
            for (int i = 0; i < 300; i++)
                Assert.True(Math.Abs(clip.Channels[c][i] - channels[c][i]) <= Tolerance(format) + 1e-9,
                    $"{format} ch{c}[{i}]: {clip.Channels[c][i]} vs {channels[c][i]}");
    }

    [Fact]
    public void Decode_ScalesIntegersByTheUsualDivisors()
    {
        var pcm8 = new byte[] { 0, 128, 255, 192 };
        Assert.Equal([-1f, 0f, 127f / 128, 0.5f], DecodeRaw(1, 8, pcm8));

        var pcm16 = Le16(short.MinValue, 0, short.MaxValue, 16384);
        Assert.Equal([-1f, 0f, 32767f / 32768, 0.5f], DecodeRaw(1, 16, pcm16));

        var pcm24 = new byte[] { 0x00, 0x00, 0x80, 0xFF, 0xFF, 0x7F, 0x00, 0x00, 0x40, 0xFF, 0xFF, 0xFF };
        Assert.Equal([-1f, (float)(8388607 / 8388608.0), 0.5f, -1f / 8388608], DecodeRaw(1, 24, pcm24));

        var pcm32 = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(pcm32, int.MinValue);
        BinaryPrimitives.WriteInt32LittleEndian(pcm32.AsSpan(4), 1 << 30);
        BinaryPrimitives.WriteInt32LittleEndian(pcm32.AsSpan(8), -(1 << 29));
        BinaryPrimitives.WriteInt32LittleEndian(pcm32.AsSpan(12), 0);
        Assert.Equal([-1f, 0.5f, -0.25f, 0f], DecodeRaw(1, 32, pcm32));
    }

    [Fact]
    public void Decode_G711MatchesPythonAudioopTables()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ReferenceFiles.Path("manifest.json")));
        var codes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        foreach (var (name, tag) in new[] { ("ulaw", (ushort)7), ("alaw", (ushort)6) })
        {
            var expected = doc.RootElement.GetProperty("g711").GetProperty(name).EnumerateArray().Select(e => e.GetInt32() / 32768f).ToArray();
            var bytes = new WavBytes().Fmt(tag, 1, 8000, 8).Data(codes).Build();
            Assert.Equal(expected, WavDecoder.Decode(bytes).Mono);
        }
    }

    [Theory]
    [InlineData((ushort)1, 16, 16, WavSampleFormat.Pcm16)]
    [InlineData((ushort)1, 24, 24, WavSampleFormat.Pcm24)]
    [InlineData((ushort)1, 32, 24, WavSampleFormat.Pcm32)] // 24 valid bits left-justified in 32-bit containers
    [InlineData((ushort)3, 32, 32, WavSampleFormat.Float32)]
    [InlineData((ushort)3, 64, 64, WavSampleFormat.Float64)]
    [InlineData((ushort)7, 8, 8, WavSampleFormat.MuLaw)]
    public void Decode_UnwrapsWaveFormatExtensible(ushort subTag, int containerBits, int validBits, WavSampleFormat expected)
    {
        var channels = new[] { WavBytes.Sine(64, 0.05), WavBytes.Sine(64, 0.02) };
        var bytes = new WavBytes().FmtExtensible(subTag, 2, 48000, containerBits, validBits).Data(WavBytes.Samples(channels, expected)).Build();
        var plain = WavBytes.Canonical(channels, 48000, expected);

        var info = WavDecoder.ReadInfo(bytes);
        Assert.True(info.IsExtensible);
        Assert.Equal(expected, info.SampleFormat);
        Assert.Equal(validBits, info.ValidBits);
        Assert.Equal(WavDecoder.Decode(plain).Mono, WavDecoder.Decode(bytes).Mono);
    }

    [Fact]
    public void Decode_FindsChunksInAnyOrderWithOddSizesAndPadBytes()
    {
        var samples = WavBytes.Samples([WavBytes.Sine(101, 0.03)], WavSampleFormat.Pcm8); // 101 bytes: odd, padded
        var expected = WavDecoder.Decode(WavBytes.Canonical([WavBytes.Sine(101, 0.03)], 22050, WavSampleFormat.Pcm8)).Mono;
        byte[] list = [.. "INFOISFT"u8, 5, 0, 0, 0, .. "qkan"u8, 0, 0];
        var fmt = WavBytes.FmtBody(1, 1, 22050, 8);

        var orders = new[]
        {
            new WavBytes().Chunk("LIST", list).Chunk("fact", [1, 2, 3, 4]).Chunk("fmt ", fmt).Chunk("junk", [9]).Data(samples).Chunk("cue ", [0, 0, 0, 0]),
            new WavBytes().Data(samples).Chunk("odd!", [1, 2, 3]).Chunk("fmt ", fmt).Chunk("LIST", list),
            new WavBytes().Chunk("fmt ", fmt).Chunk("data", samples).Chunk("data", [1, 2]), // the first data chunk wins
        };
        foreach (var order in orders)
            Assert.Equal(expected, WavDecoder.Decode(order.Build()).Mono);
    }

    [Fact]
    public void Decode_MixesChannelsToTheirMeanByDefault_AndKeepsThemOnRequest()
    {
        var left = WavBytes.Sine(50, 0.1, 0.5);
        var right = WavBytes.Sine(50, 0.07, 0.25);
        var bytes = WavBytes.Canonical([left, right], 16000, WavSampleFormat.Float32);

        var mono = WavDecoder.Decode(bytes);
        var both = WavDecoder.Decode(bytes, options: new WavDecodeOptions { Channels = ChannelPolicy.KeepChannels });

        Assert.Equal(1, mono.ChannelCount);
        Assert.Equal(2, both.ChannelCount);
        for (int i = 0; i < 50; i++)
            Assert.Equal((left[i] + right[i]) / 2, mono.Mono[i], 6);
        Assert.Equal(left, both.Channels[0]);
        Assert.Equal(right, both.Channels[1]);
        Assert.Equal(mono.Mono, both.Mono);
    }

    [Fact]
    public void Decode_ReadsPathStreamAndBytesAlike()
    {
        var bytes = WavBytes.Canonical([WavBytes.Sine(400, 0.01)], 16000, WavSampleFormat.Pcm24);
        using var temp = new TempFolder("qk-wav-");
        var path = temp.Combine("clip.wav");
        File.WriteAllBytes(path, bytes);
        var fromBytes = WavDecoder.Decode(bytes).Mono;
        Assert.Equal(fromBytes, WavDecoder.Decode(path).Mono);
        Assert.Equal(fromBytes, WavDecoder.Decode(new MemoryStream(bytes)).Mono);
        Assert.Equal(fromBytes, WavDecoder.Decode(new NonSeekableStream(bytes)).Mono);
    }

    [Fact]
    public void Decode_SupportsRf64WithDs64Sizes()
    {
        var samples = WavBytes.Samples([WavBytes.Sine(80, 0.02)], WavSampleFormat.Pcm16);
        var ds64 = new byte[28];
        BinaryPrimitives.WriteUInt64LittleEndian(ds64.AsSpan(8), (ulong)samples.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(ds64.AsSpan(16), 80);
        var bytes = new WavBytes { Riff = "RF64", RiffSize = uint.MaxValue }
            .Chunk("ds64", ds64).Fmt(1, 1, 16000, 16).Data(samples, declaredSize: uint.MaxValue).Build();

        var clip = WavDecoder.Decode(bytes);

        Assert.True(WavDecoder.ReadInfo(bytes).IsRf64);
        Assert.Equal(WavDecoder.Decode(WavBytes.Canonical([WavBytes.Sine(80, 0.02)], 16000, WavSampleFormat.Pcm16)).Mono, clip.Mono);
    }

    [Fact]
    public void Decode_IgnoresTheRiffSizeField_AndATrailingPartialFrame()
    {
        var samples = WavBytes.Samples([WavBytes.Sine(20, 0.1), WavBytes.Sine(20, 0.2)], WavSampleFormat.Pcm16);
        var bytes = new WavBytes { RiffSize = 0 }.Fmt(1, 2, 16000, 16).Data([.. samples, 7, 7]).Build();

        var clip = WavDecoder.Decode(bytes);

        Assert.Equal(20, clip.FrameCount);
    }

    private static float[] DecodeRaw(int channels, int bits, byte[] data) =>
        WavDecoder.Decode(new WavBytes().Fmt(1, channels, 16000, bits).Data(data).Build()).Mono;

    private static byte[] Le16(params short[] values)
    {
        var b = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(2 * i), values[i]);
        return b;
    }
}

internal sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
{
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
}

internal static class ReferenceFiles
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Reference", name);

    public static float[] ReadFloats(string name)
    {
        var bytes = File.ReadAllBytes(Path(name));
        var values = new float[bytes.Length / 4];
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i));
        return values;
    }
}
