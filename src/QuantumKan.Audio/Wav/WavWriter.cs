using System.Buffers.Binary;

namespace QuantumKan.Audio.Wav;

/// <summary>
/// Writes canonical RIFF/WAVE files (one 16-byte <c>fmt </c> chunk, one <c>data</c> chunk). Used by the synthetic data sets,
/// the tests and the CLI. Written by hand because no audio library is served here.
/// </summary>
public static class WavWriter
{
    /// <summary>Writes a mono clip.</summary>
    /// <param name="path">Destination file.</param>
    /// <param name="samples">Samples in [−1, 1]; values outside are clipped for integer formats.</param>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <param name="format">Sample encoding. Default 16-bit PCM.</param>
    public static void Write(string path, ReadOnlySpan<float> samples, int sampleRate, WavSampleFormat format = WavSampleFormat.Pcm16)
    {
        using var fs = File.Create(path);
        Write(fs, [samples.ToArray()], sampleRate, format);
    }

    /// <summary>Writes interleaved channels; every channel must have the same length.</summary>
    /// <param name="stream">Destination stream (left open).</param>
    /// <param name="channels">One array per channel, samples in [−1, 1].</param>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <param name="format">Sample encoding.</param>
    public static void Write(Stream stream, IReadOnlyList<float[]> channels, int sampleRate, WavSampleFormat format = WavSampleFormat.Pcm16)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (channels.Count == 0)
            throw new ArgumentException("At least one channel is required.", nameof(channels));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sampleRate, 0);
        int frames = channels[0].Length;
        if (channels.Any(c => c.Length != frames))
            throw new ArgumentException("All channels must have the same length.", nameof(channels));

        int bytesPerSample = BytesPerSample(format);
        int blockAlign = bytesPerSample * channels.Count;
        long dataBytes = (long)frames * blockAlign;
        if (dataBytes + 36 > uint.MaxValue)
            throw new ArgumentException("The clip is too long for a RIFF file (4 GiB).", nameof(channels));

        Span<byte> header = stackalloc byte[44];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(36 + dataBytes + (dataBytes & 1)));
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], FormatTag(format));
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)channels.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)(sampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], (ushort)(bytesPerSample * 8));
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], (uint)dataBytes);
        stream.Write(header);

        var frame = new byte[blockAlign];
        for (int i = 0; i < frames; i++)
        {
            for (int c = 0; c < channels.Count; c++)
                Encode(channels[c][i], format, frame.AsSpan(c * bytesPerSample, bytesPerSample));
            stream.Write(frame);
        }
        if ((dataBytes & 1) == 1)
            stream.WriteByte(0); // RIFF chunks are padded to an even size
    }

    /// <summary>Bytes per sample of a format.</summary>
    public static int BytesPerSample(WavSampleFormat format) => format switch
    {
        WavSampleFormat.Pcm8 or WavSampleFormat.ALaw or WavSampleFormat.MuLaw => 1,
        WavSampleFormat.Pcm16 => 2,
        WavSampleFormat.Pcm24 => 3,
        WavSampleFormat.Pcm32 => 4,
        WavSampleFormat.Float32 => 4,
        WavSampleFormat.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>The <c>fmt </c> format tag of a (non-extensible) format: 1 PCM, 3 IEEE float, 6 A-law, 7 µ-law.</summary>
    public static ushort FormatTag(WavSampleFormat format) => format switch
    {
        WavSampleFormat.Float32 or WavSampleFormat.Float64 => 3,
        WavSampleFormat.ALaw => 6,
        WavSampleFormat.MuLaw => 7,
        _ => 1,
    };

    private static void Encode(float x, WavSampleFormat format, Span<byte> dst)
    {
        if (float.IsNaN(x))
            throw new ArgumentException("Samples must not be NaN.");
        double c = Math.Clamp(x, -1.0, 1.0);
        switch (format)
        {
            case WavSampleFormat.Pcm8:
                dst[0] = (byte)Math.Clamp(Math.Round(c * 128.0) + 128, 0, 255);
                break;
            case WavSampleFormat.Pcm16:
                BinaryPrimitives.WriteInt16LittleEndian(dst, (short)Math.Clamp(Math.Round(c * 32768.0), short.MinValue, short.MaxValue));
                break;
            case WavSampleFormat.Pcm24:
            {
                int v = (int)Math.Clamp(Math.Round(c * 8388608.0), -8388608, 8388607);
                dst[0] = (byte)v;
                dst[1] = (byte)(v >> 8);
                dst[2] = (byte)(v >> 16);
                break;
            }
            case WavSampleFormat.Pcm32:
                BinaryPrimitives.WriteInt32LittleEndian(dst, (int)Math.Clamp(Math.Round(c * 2147483648.0), int.MinValue, int.MaxValue));
                break;
            case WavSampleFormat.Float32:
                BinaryPrimitives.WriteSingleLittleEndian(dst, x);
                break;
            case WavSampleFormat.Float64:
                BinaryPrimitives.WriteDoubleLittleEndian(dst, x);
                break;
            case WavSampleFormat.ALaw:
                dst[0] = G711.EncodeALaw((short)Math.Clamp(Math.Round(c * 32768.0), short.MinValue, short.MaxValue));
                break;
            case WavSampleFormat.MuLaw:
                dst[0] = G711.EncodeMuLaw((short)Math.Clamp(Math.Round(c * 32768.0), short.MinValue, short.MaxValue));
                break;
        }
    }
}
