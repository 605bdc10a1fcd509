using System.Buffers.Binary;
using System.Text;
using QuantumKan.Audio.Wav;

namespace QuantumKan.Audio.Tests.Wav;

/// <summary>Builds WAV files chunk by chunk, including malformed ones, for the decoder tests.</summary>
internal sealed class WavBytes
{
    private readonly List<(string Id, byte[] Body, uint? DeclaredSize)> _chunks = [];

    public string Riff { get; init; } = "RIFF";
    public string Form { get; init; } = "WAVE";
    public uint? RiffSize { get; init; }

    public WavBytes Chunk(string id, byte[] body, uint? declaredSize = null)
    {
        _chunks.Add((id, body, declaredSize));
        return this;
    }

    public WavBytes Fmt(ushort tag, int channels, int rate, int bits, int? blockAlign = null) =>
        Chunk("fmt ", FmtBody(tag, channels, rate, bits, blockAlign));

    public WavBytes FmtExtensible(ushort subTag, int channels, int rate, int containerBits, int validBits) =>
        Chunk("fmt ", ExtensibleBody(subTag, channels, rate, containerBits, validBits));

    public WavBytes Data(byte[] samples, uint? declaredSize = null) => Chunk("data", samples, declaredSize);

    public byte[] Build()
    {
        using var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write(Encoding.ASCII.GetBytes(Riff));
        w.Write(0u);
        w.Write(Encoding.ASCII.GetBytes(Form));
        foreach (var (id, body, declared) in _chunks)
        {
            w.Write(Encoding.ASCII.GetBytes(id));
            w.Write(declared ?? (uint)body.Length);
            w.Write(body);
            if ((body.Length & 1) == 1)
                w.Write((byte)0);
        }
        var bytes = ms.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), RiffSize ?? (uint)(bytes.Length - 8));
        return bytes;
    }

    public static byte[] FmtBody(ushort tag, int channels, int rate, int bits, int? blockAlign = null)
    {
        var b = new byte[16];
        int align = blockAlign ?? channels * ((bits + 7) / 8);
        BinaryPrimitives.WriteUInt16LittleEndian(b, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), (uint)(rate * align));
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(12), (ushort)align);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(14), (ushort)bits);
        return b;
    }

    public static byte[] ExtensibleBody(ushort subTag, int channels, int rate, int containerBits, int validBits)
    {
        var b = new byte[40];
        FmtBody(0xFFFE, channels, rate, containerBits).CopyTo(b, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(18), (ushort)validBits);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(20), channels == 2 ? 3u : 0u);
        // KSDATAFORMAT_SUBTYPE_xxx = {tag-0000-0010-8000-00AA00389B71}
        var guid = new byte[] { 0, 0, 0, 0, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 };
        BinaryPrimitives.WriteUInt16LittleEndian(guid, subTag);
        guid.CopyTo(b, 24);
        return b;
    }

    /// <summary>The interleaved data bytes WavWriter produces for these channels (header stripped).</summary>
    public static byte[] Samples(float[][] channels, WavSampleFormat format)
    {
        using var ms = new MemoryStream();
        WavWriter.Write(ms, channels, 16000, format);
        var file = ms.ToArray();
        int dataBytes = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(40));
        return file.AsSpan(44, dataBytes).ToArray();
    }

    /// <summary>A whole canonical file from WavWriter.</summary>
    public static byte[] Canonical(float[][] channels, int rate, WavSampleFormat format)
    {
        using var ms = new MemoryStream();
        WavWriter.Write(ms, channels, rate, format);
        return ms.ToArray();
    }

    public static float[] Sine(int n, double cyclesPerSample, double amplitude = 0.5, double phase = 0) =>
        Enumerable.Range(0, n).Select(i => (float)(amplitude * Math.Sin(2 * Math.PI * cyclesPerSample * i + phase))).ToArray();
}
