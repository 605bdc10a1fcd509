using System.Buffers.Binary;
using System.Text;

namespace QuantumKan.Audio.Wav;

/// <summary>
/// Walks the chunks of a RIFF/WAVE (or RF64/BW64) file, held in memory or read from a seekable stream (only the chunk
/// headers and the <c>fmt </c>/<c>ds64</c> bodies are read, never the audio), and validates its <c>fmt </c> chunk.
/// <para>
/// Trust rules, so that a lying header can neither crash, hang nor allocate: the RIFF size field is ignored (streaming
/// writers leave it 0 or 0xFFFFFFFF) and chunks are walked to the real end of the file; every step advances by at
/// least 8 bytes; every size is compared with the bytes that remain before it is used. Chunks may come in any order,
/// odd-sized chunks are followed by a pad byte (absent at the very end of the file is tolerated), unknown chunks are
/// skipped, and the first <c>fmt </c> and first <c>data</c> chunk win. Once both are found, a damaged or cut-off chunk
/// after them (trailing metadata) ends the walk without affecting the audio.
/// </para>
/// </summary>
internal static class WavHeaderParser
{
    private const ushort TagPcm = 1, TagFloat = 3, TagALaw = 6, TagMuLaw = 7, TagExtensible = 0xFFFE;
    private const int MinSampleRate = 1_000, MaxSampleRate = 768_000;

    // The KSDATAFORMAT_SUBTYPE_* GUIDs share this tail; their first two bytes are the plain format tag.
    private static ReadOnlySpan<byte> SubFormatGuidTail => [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    public static WavInfo Parse(ReadOnlySpan<byte> file, string name, TruncationPolicy truncation) =>
        Parse(new WavBytes(file), name, truncation);

    /// <summary>Parses the header of a seekable stream holding a whole file (its position is left anywhere).</summary>
    public static WavInfo Parse(Stream file, string name, TruncationPolicy truncation) =>
        Parse(new WavBytes(file), name, truncation);

    private static WavInfo Parse(WavBytes file, string name, TruncationPolicy truncation)
    {
        if (file.Length < 12)
            throw Error(name, $"the file is {file.Length} bytes long, too short for a RIFF/WAVE header (12 bytes)");
        var riff = file.Slice(0, 4);
        bool rf64 = riff.SequenceEqual("RF64"u8) || riff.SequenceEqual("BW64"u8);
        if (riff.SequenceEqual("RIFX"u8))
            throw Error(name, "big-endian RIFX files are not supported");
        if (!riff.SequenceEqual("RIFF"u8) && !rf64)
            throw Error(name, $"not a RIFF/WAVE file (it starts with {Describe(riff)})");
        if (!file.Slice(8, 4).SequenceEqual("WAVE"u8))
            throw Error(name, $"the RIFF form type is {Describe(file.Slice(8, 4))}, not 'WAVE'");

        FmtChunk? fmt = null;
        long? ds64DataBytes = null;
        long dataOffset = -1, declaredData = 0;
        long pos = 12;
        while (pos + 8 <= file.Length)
        {
            var header = file.Slice(pos, 8);
            var id = header[..4];
            long size = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            long body = pos + 8;
            long remaining = file.Length - body;
            bool haveAudio = fmt is not null && dataOffset >= 0;

            if (id.SequenceEqual("data"u8))
            {
                if (rf64 && size == uint.MaxValue)
                    size = ds64DataBytes ?? throw Error(name, "RF64 data chunk defers its size to a 'ds64' chunk that is missing");
                if (dataOffset < 0)
                {
                    dataOffset = body;
                    declaredData = size;
                }
                if (size > remaining)
                    break; // Data runs to the end of the file: nothing can follow it. Truncation is judged below.
            }
            else if (size > remaining)
            {
                if (haveAudio)
                    break; // A cut-off chunk after the audio: trailing metadata, not the audio's problem.
                throw Error(name, $"chunk {Describe(id)} at byte {pos} declares {size} bytes but only {remaining} remain");
            }
            else if (id.SequenceEqual("fmt "u8))
                fmt ??= ParseFmt(file.Slice(body, (int)Math.Min(size, MaxHeaderBodyBytes)), name);
            else if (id.SequenceEqual("ds64"u8) && rf64)
                ds64DataBytes = ParseDs64(file.Slice(body, (int)Math.Min(size, MaxHeaderBodyBytes)), name);
            else if (haveAudio && !IsPrintable(id))
                break; // Garbage after the audio (some writers append junk): stop rather than interpret it.

            pos = body + size + (size & 1);
        }

        if (fmt is null)
            throw Error(name, "the file has no 'fmt ' chunk");
        if (dataOffset < 0)
            throw Error(name, "the file has no 'data' chunk");
        long available = Math.Min(declaredData, file.Length - dataOffset);
        if (available < declaredData && truncation == TruncationPolicy.Refuse)
            throw Error(name, $"the data chunk declares {declaredData} bytes but only {available} remain in the file (truncated file?)");

        var f = fmt.Value;
        return new WavInfo(f.Format, f.Channels, f.SampleRate, f.BlockAlign, f.ContainerBits, f.ValidBits, f.IsExtensible, rf64,
            dataOffset, declaredData, available);
    }

    // ParseFmt and ParseDs64 read at most 40 bytes and only compare the length with 16, 24 and 40: a longer body reads as
    // its first 64 bytes, so a lying size cannot make a stream-backed parse read or allocate more.
    private const int MaxHeaderBodyBytes = 64;

    /// <summary>The bytes of a whole file: a span in memory, or a seekable stream read piece by piece.</summary>
    private readonly ref struct WavBytes
    {
        private readonly ReadOnlySpan<byte> _memory;
        private readonly Stream? _stream;

        public WavBytes(ReadOnlySpan<byte> memory)
        {
            _memory = memory;
            Length = memory.Length;
        }

        public WavBytes(Stream stream)
        {
            _stream = stream;
            Length = stream.Length;
        }

        public long Length { get; }

        public ReadOnlySpan<byte> Slice(long offset, int count)
        {
            if (_stream is null)
                return _memory.Slice((int)offset, count);
            var bytes = new byte[count];
            _stream.Position = offset;
            _stream.ReadExactly(bytes);
            return bytes;
        }
    }

    private readonly record struct FmtChunk(WavSampleFormat Format, int Channels, int SampleRate, int BlockAlign, int ContainerBits, int ValidBits, bool IsExtensible);

    private static FmtChunk ParseFmt(ReadOnlySpan<byte> fmt, string name)
    {
        if (fmt.Length < 16)
            throw Error(name, $"the 'fmt ' chunk is {fmt.Length} bytes; at least 16 are required");
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        int validBits = bits;
        bool extensible = tag == TagExtensible;
        if (extensible)
        {
            if (fmt.Length < 40)
                throw Error(name, $"the WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is {fmt.Length} bytes; 40 are required");
            validBits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[18..]);
            var guid = fmt.Slice(24, 16);
            if (!guid[2..].SequenceEqual(SubFormatGuidTail))
                throw Error(name, $"WAVE_FORMAT_EXTENSIBLE sub-format {new Guid(guid)} is not supported");
            tag = BinaryPrimitives.ReadUInt16LittleEndian(guid);
            if (validBits == 0)
                validBits = bits;
        }

        if (channels == 0)
            throw Error(name, "the header declares zero channels");
        if (rate == 0)
            throw Error(name, "the header declares a sample rate of zero");
        if (rate is < MinSampleRate or > MaxSampleRate)
            throw Error(name, $"the sample rate {rate} Hz is outside the supported range {MinSampleRate}–{MaxSampleRate} Hz");
        if (blockAlign == 0)
            throw Error(name, "the header declares a block align of zero");

        var format = tag switch
        {
            TagPcm => bits switch
            {
                >= 1 and <= 8 => WavSampleFormat.Pcm8,
                >= 9 and <= 16 => WavSampleFormat.Pcm16,
                >= 17 and <= 24 => WavSampleFormat.Pcm24,
                >= 25 and <= 32 => WavSampleFormat.Pcm32,
                _ => throw Error(name, $"PCM with {bits} bits per sample is not supported (1–32)"),
            },
            TagFloat => bits switch
            {
                32 => WavSampleFormat.Float32,
                64 => WavSampleFormat.Float64,
                _ => throw Error(name, $"IEEE float with {bits} bits per sample is not supported (32 or 64)"),
            },
            TagALaw when bits == 8 => WavSampleFormat.ALaw,
            TagMuLaw when bits == 8 => WavSampleFormat.MuLaw,
            TagALaw or TagMuLaw => throw Error(name, $"G.711 with {bits} bits per sample is not supported (8)"),
            _ => throw Error(name, $"{DescribeTag(tag)} is not supported (PCM, IEEE float, A-law and µ-law are)"),
        };
        if (validBits > bits)
            throw Error(name, $"the valid bits per sample ({validBits}) exceed the container size ({bits})");
        int containerBits = WavWriter.BytesPerSample(format) * 8;
        // Extensible PCM/float containers must be whole bytes of exactly the decoded width; plain PCM may round up (12 → 16).
        if (extensible && bits != containerBits)
            throw Error(name, $"WAVE_FORMAT_EXTENSIBLE container of {bits} bits is not supported (8, 16, 24, 32 or 64)");
        long minimumAlign = (long)channels * (containerBits / 8);
        if (blockAlign < minimumAlign)
            throw Error(name, $"the block align ({blockAlign} bytes) is smaller than {channels} channel(s) × {containerBits / 8} bytes");
        return new FmtChunk(format, channels, (int)rate, blockAlign, containerBits, Math.Min(validBits, containerBits), extensible);
    }

    private static long ParseDs64(ReadOnlySpan<byte> ds64, string name)
    {
        if (ds64.Length < 24)
            throw Error(name, $"the 'ds64' chunk is {ds64.Length} bytes; at least 24 are required");
        ulong dataBytes = BinaryPrimitives.ReadUInt64LittleEndian(ds64[8..]);
        // Sizes above long.MaxValue can only be lies; clamping keeps them comparable with the real file size.
        return dataBytes > long.MaxValue ? long.MaxValue : (long)dataBytes;
    }

    private static string DescribeTag(ushort tag) => tag switch
    {
        0x0002 => "compressed format MS ADPCM (tag 0x0002)",
        0x0011 => "compressed format IMA ADPCM (tag 0x0011)",
        0x0031 => "compressed format GSM 6.10 (tag 0x0031)",
        0x0050 => "compressed format MPEG (tag 0x0050)",
        0x0055 => "compressed format MP3 (tag 0x0055)",
        0x00FF or 0x1610 => $"compressed format AAC (tag 0x{tag:X4})",
        0x2000 => "compressed format AC-3 (tag 0x2000)",
        0xF1AC => "compressed format FLAC (tag 0xF1AC)",
        0x0000 => "format tag 0 (unknown)",
        _ => $"format tag 0x{tag:X4}",
    };

    private static bool IsPrintable(ReadOnlySpan<byte> id)
    {
        foreach (var b in id)
            if (b is < 0x20 or > 0x7E)
                return false;
        return true;
    }

    private static string Describe(ReadOnlySpan<byte> id) =>
        IsPrintable(id) ? $"'{Encoding.ASCII.GetString(id)}'" : "0x" + Convert.ToHexString(id);

    internal static AudioFormatException Error(string name, string reason) => new(name, reason);
}
