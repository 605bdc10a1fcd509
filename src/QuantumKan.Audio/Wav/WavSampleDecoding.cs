using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace QuantumKan.Audio.Wav;

/// <summary>
/// Converts interleaved sample bytes to float. Each encoding is a struct reader so the JIT specializes the frame loops
/// per format (no per-sample branching); 16-bit mono, by far the most common case, has a SIMD path.
/// </summary>
internal static class WavSampleDecoding
{
    /// <summary>The mean of all channels: <c>[frame]</c>.</summary>
    public static float[] DecodeMono(ReadOnlySpan<byte> data, WavInfo info) => info.SampleFormat switch
    {
        WavSampleFormat.Pcm16 when info.ChannelCount == 1 && info.BlockAlign == 2 => DecodePcm16Mono(data),
        WavSampleFormat.Pcm8 => Mono<Pcm8Reader>(data, info),
        WavSampleFormat.Pcm16 => Mono<Pcm16Reader>(data, info),
        WavSampleFormat.Pcm24 => Mono<Pcm24Reader>(data, info),
        WavSampleFormat.Pcm32 => Mono<Pcm32Reader>(data, info),
        WavSampleFormat.Float32 => Mono<Float32Reader>(data, info),
        WavSampleFormat.Float64 => Mono<Float64Reader>(data, info),
        WavSampleFormat.ALaw => Mono<ALawReader>(data, info),
        WavSampleFormat.MuLaw => Mono<MuLawReader>(data, info),
        _ => throw new ArgumentOutOfRangeException(nameof(info), info.SampleFormat, "unknown sample format"),
    };

    /// <summary>Every channel: <c>[channel][frame]</c>.</summary>
    public static float[][] DecodeChannels(ReadOnlySpan<byte> data, WavInfo info) => info.SampleFormat switch
    {
        WavSampleFormat.Pcm8 => Channels<Pcm8Reader>(data, info),
        WavSampleFormat.Pcm16 => Channels<Pcm16Reader>(data, info),
        WavSampleFormat.Pcm24 => Channels<Pcm24Reader>(data, info),
        WavSampleFormat.Pcm32 => Channels<Pcm32Reader>(data, info),
        WavSampleFormat.Float32 => Channels<Float32Reader>(data, info),
        WavSampleFormat.Float64 => Channels<Float64Reader>(data, info),
        WavSampleFormat.ALaw => Channels<ALawReader>(data, info),
        WavSampleFormat.MuLaw => Channels<MuLawReader>(data, info),
        _ => throw new ArgumentOutOfRangeException(nameof(info), info.SampleFormat, "unknown sample format"),
    };

    private static float[] Mono<TReader>(ReadOnlySpan<byte> data, WavInfo info) where TReader : struct, ISampleReader
    {
        int frames = checked((int)(data.Length / info.BlockAlign));
        int channels = info.ChannelCount, align = info.BlockAlign, width = TReader.Bytes;
        var mono = new float[frames];
        float scale = 1f / channels;
        for (int f = 0; f < frames; f++)
        {
            var frame = data.Slice(f * align, align);
            float sum = 0;
            for (int c = 0; c < channels; c++)
                sum += TReader.Read(frame[(c * width)..]);
            mono[f] = channels == 1 ? sum : sum * scale;
        }
        return mono;
    }

    private static float[][] Channels<TReader>(ReadOnlySpan<byte> data, WavInfo info) where TReader : struct, ISampleReader
    {
        int frames = checked((int)(data.Length / info.BlockAlign));
        int channels = info.ChannelCount, align = info.BlockAlign, width = TReader.Bytes;
        var result = new float[channels][];
        for (int c = 0; c < channels; c++)
            result[c] = frames == 0 ? [] : new float[frames];
        for (int f = 0; f < frames; f++)
        {
            var frame = data.Slice(f * align, align);
            for (int c = 0; c < channels; c++)
                result[c][f] = TReader.Read(frame[(c * width)..]);
        }
        return result;
    }

    private static float[] DecodePcm16Mono(ReadOnlySpan<byte> data)
    {
        var src = MemoryMarshal.Cast<byte, short>(data[..(data.Length & ~1)]);
        var dst = new float[src.Length];
        const float Scale = 1f / 32768f;
        int i = 0;
        if (Vector256.IsHardwareAccelerated && BitConverter.IsLittleEndian)
        {
            var scale = Vector256.Create(Scale);
            for (; i <= src.Length - Vector256<short>.Count; i += Vector256<short>.Count)
            {
                var (lo, hi) = Vector256.Widen(Vector256.Create<short>(src.Slice(i, Vector256<short>.Count)));
                (Vector256.ConvertToSingle(lo) * scale).CopyTo(dst, i);
                (Vector256.ConvertToSingle(hi) * scale).CopyTo(dst, i + Vector256<int>.Count);
            }
        }
        for (; i < src.Length; i++)
            dst[i] = BinaryPrimitives.ReadInt16LittleEndian(MemoryMarshal.AsBytes(src.Slice(i, 1))) * Scale;
        return dst;
    }

    /// <summary>
    /// Float files can hold NaN, ±∞ or huge finite values (1e30, 3.4e38), which would poison every feature computed from
    /// the clip without an error (their power spectrum overflows float32 to ∞). They are refused here, before any sample
    /// is converted, naming the first bad sample as stored in the file (its frame and channel, whatever the channel
    /// policy): NaN and ±∞ as not finite, magnitudes above <paramref name="maxMagnitude"/> as out of range.
    /// <paramref name="firstFrame"/> is the frame of the file that <paramref name="data"/> starts at (a streamed chunk).
    /// </summary>
    public static void RequireSaneFloats(ReadOnlySpan<byte> data, WavInfo info, string name, double maxMagnitude, long firstFrame = 0)
    {
        if (info.SampleFormat == WavSampleFormat.Float32)
            RequireSane<Float32Raw>(data, info, name, maxMagnitude, firstFrame);
        else if (info.SampleFormat == WavSampleFormat.Float64)
            RequireSane<Float64Raw>(data, info, name, maxMagnitude, firstFrame);
    }

    private static void RequireSane<TReader>(ReadOnlySpan<byte> data, WavInfo info, string name, double maxMagnitude, long firstFrame)
        where TReader : struct, IRawReader
    {
        int frames = checked((int)(data.Length / info.BlockAlign));
        int channels = info.ChannelCount, align = info.BlockAlign, width = TReader.Bytes;
        for (int f = 0; f < frames; f++)
        {
            var frame = data.Slice(f * align, align);
            for (int c = 0; c < channels; c++)
            {
                double x = TReader.Read(frame[(c * width)..]);
                if (Math.Abs(x) <= maxMagnitude)
                    continue; // the common case; NaN fails this comparison and falls through
                var text = double.IsNaN(x) ? "NaN" : double.IsInfinity(x) ? (x > 0 ? "+∞" : "−∞")
                    : x.ToString("G9", System.Globalization.CultureInfo.InvariantCulture);
                throw WavHeaderParser.Error(name, double.IsFinite(x)
                    ? $"sample {firstFrame + f} of channel {c} is {text}; float samples must lie within ±{maxMagnitude.ToString("G", System.Globalization.CultureInfo.InvariantCulture)} (full scale is ±1)"
                    : $"sample {firstFrame + f} of channel {c} is {text}; float samples must be finite");
            }
        }
    }

    private interface IRawReader
    {
        static abstract int Bytes { get; }

        static abstract double Read(ReadOnlySpan<byte> src);
    }

    private struct Float32Raw : IRawReader
    {
        public static int Bytes => 4;
        public static double Read(ReadOnlySpan<byte> src) => BinaryPrimitives.ReadSingleLittleEndian(src);
    }

    private struct Float64Raw : IRawReader
    {
        public static int Bytes => 8;
        public static double Read(ReadOnlySpan<byte> src) => BinaryPrimitives.ReadDoubleLittleEndian(src);
    }

    private interface ISampleReader
    {
        static abstract int Bytes { get; }

        static abstract float Read(ReadOnlySpan<byte> src);
    }

    private struct Pcm8Reader : ISampleReader
    {
        public static int Bytes => 1;
        public static float Read(ReadOnlySpan<byte> src) => (src[0] - 128) * (1f / 128f);
    }

    private struct Pcm16Reader : ISampleReader
    {
        public static int Bytes => 2;
        public static float Read(ReadOnlySpan<byte> src) => BinaryPrimitives.ReadInt16LittleEndian(src) * (1f / 32768f);
    }

    private struct Pcm24Reader : ISampleReader
    {
        public static int Bytes => 3;

        // Sign-extend by placing the 24 bits at the top of an int and shifting back arithmetically.
        public static float Read(ReadOnlySpan<byte> src) =>
            (float)(((src[0] << 8) | (src[1] << 16) | (src[2] << 24)) >> 8) * (1f / 8388608f);
    }

    private struct Pcm32Reader : ISampleReader
    {
        public static int Bytes => 4;
        public static float Read(ReadOnlySpan<byte> src) => (float)(BinaryPrimitives.ReadInt32LittleEndian(src) / 2147483648.0);
    }

    private struct Float32Reader : ISampleReader
    {
        public static int Bytes => 4;
        public static float Read(ReadOnlySpan<byte> src) => BinaryPrimitives.ReadSingleLittleEndian(src);
    }

    private struct Float64Reader : ISampleReader
    {
        public static int Bytes => 8;
        public static float Read(ReadOnlySpan<byte> src) => (float)BinaryPrimitives.ReadDoubleLittleEndian(src);
    }

    private struct ALawReader : ISampleReader
    {
        public static int Bytes => 1;
        public static float Read(ReadOnlySpan<byte> src) => G711.ALawToLinear[src[0]] * (1f / 32768f);
    }

    private struct MuLawReader : ISampleReader
    {
        public static int Bytes => 1;
        public static float Read(ReadOnlySpan<byte> src) => G711.MuLawToLinear[src[0]] * (1f / 32768f);
    }
}
