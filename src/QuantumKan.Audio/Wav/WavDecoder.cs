using System.Buffers;
namespace QuantumKan.Audio.Wav;

/// <summary>
/// Decodes RIFF/WAVE and RF64 files into <see cref="AudioClip"/>s: PCM 8 (unsigned), 16, 24, 32 bit; IEEE float 32/64;
/// G.711 A-law and µ-law; plain or <c>WAVE_FORMAT_EXTENSIBLE</c>; any channel count; 1–768 kHz.
/// Written by hand because no audio library is served here.
/// <para>
/// Scaling: int8 (u−128)/128, int16 s/32768, int24 s/2^23, int32 s/2^31, G.711 via 16-bit linear /32768; floats as
/// stored (values beyond ±1 are kept up to ±<see cref="MaxFloatSampleMagnitude"/>; NaN, ±∞ and larger magnitudes are
/// refused, naming the sample and channel). Every failure is an <see cref="AudioFormatException"/> naming the source and the reason. Memory is bounded
/// by the real size of the file: sizes in the header are checked against the bytes present before anything is
/// allocated from them. A file whose data chunk runs past its end is refused unless
/// <see cref="WavDecodeOptions.Truncation"/> says to keep the complete frames present.
/// </para>
/// Thread-safe: the decoder holds no state.
/// </summary>
public static class WavDecoder
{
    /// <summary>
    /// The largest magnitude a float sample may have: 10⁶. Real audio is full scale at ±1 (float files that clip
    /// run a little past it), so this is far above any recording, and it keeps every feature finite: a 10⁶ sample gives
    /// under 10²⁰ in the power spectrum of an 8192-point FFT, far below float32's 3.4·10³⁸. A sample beyond it
    /// (1e30, 3.4e38 — garbage or a wrong format tag) would turn the clip's log-mel features into ∞/NaN, so the file is
    /// refused with an <see cref="AudioFormatException"/> naming it, the sample and the channel.
    /// </summary>
    public const double MaxFloatSampleMagnitude = 1e6;

    /// <summary>Decodes a WAV file.</summary>
    /// <param name="path">The file path; it names the file in errors.</param>
    /// <param name="options">Decoding options; default <see cref="WavDecodeOptions.Default"/> (mono mixdown, refuse truncated files).</param>
    /// <returns>The decoded clip.</returns>
    /// <exception cref="AudioFormatException">The file is not a WAV file this decoder supports, or its header contradicts its size.</exception>
    /// <exception cref="IOException">The file cannot be read (missing, permissions).</exception>
    public static AudioClip Decode(string path, WavDecodeOptions? options = null)
    {
        options ??= WavDecodeOptions.Default;
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var fs = OpenRegularFile(path);
        if (!fs.CanSeek || fs.Length > options.MaxFileBytes || fs.Length > Array.MaxLength)
            return Decode(ReadStream(fs, path, options.MaxFileBytes), path, options);
        // The file's bytes only live until its samples are decoded: a pooled buffer spares a large-object-heap array per
        // clip (hundreds of kB), which over a data set is what grows the process's peak memory (see bench/RESULTS.md).
        var buffer = ArrayPool<byte>.Shared.Rent((int)fs.Length);
        try
        {
            int read = 0;
            while (read < (int)fs.Length)
            {
                int n = fs.Read(buffer, read, (int)fs.Length - read);
                if (n == 0)
                    break; // The file shrank while being read: decode what it delivered.
                read += n;
            }
            return Decode(buffer.AsSpan(0, read), path, options);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Decodes a WAV file to mono at <paramref name="sampleRate"/>, a chunk at a time: the result equals
    /// <c>SincResampler.Resample(Decode(path).Mono, rate, sampleRate)</c> bit for bit, but the file's bytes, its decoded
    /// samples and the resampler's padded copy never exist whole, so memory is the result plus a few chunks.
    /// </summary>
    /// <param name="path">The file path; it names the file in errors.</param>
    /// <param name="sampleRate">The output rate in Hz.</param>
    /// <param name="options">Truncation policy and size limit (the channel policy is mono); default <see cref="WavDecodeOptions.Default"/>.</param>
    /// <returns>The mono samples at <paramref name="sampleRate"/> (empty for a file without samples).</returns>
    /// <exception cref="AudioFormatException">As <see cref="Decode(string, WavDecodeOptions?)"/>.</exception>
    public static float[] DecodeMono(string path, int sampleRate, WavDecodeOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sampleRate, 0);
        using var reader = WavMonoReader.Open(path, options);
        return ReadMono(reader, sampleRate, path);
    }

    /// <summary>Reads the rest of an opened file as <see cref="DecodeMono"/> does.</summary>
    internal static float[] ReadMono(WavMonoReader reader, int sampleRate, string path)
    {
        var resampler = reader.Info.SampleRate == sampleRate
            ? null
            : Resampling.SincResampler.Get(reader.Info.SampleRate, sampleRate).CreateStream(reader.FrameCount);
        long length = resampler?.OutputLength ?? reader.FrameCount;
        if (length > Array.MaxLength)
            throw WavHeaderParser.Error(path, $"the clip gives {length} samples at {sampleRate} Hz, more than one array can hold");
        var output = new float[length];
        int written = 0;
        float[] chunk;
        while ((chunk = reader.ReadChunk()).Length > 0)
        {
            if (resampler is null)
            {
                chunk.CopyTo(output, written);
                written += chunk.Length;
                continue;
            }
            resampler.Append(chunk);
            written += resampler.Drain(output.AsSpan(written));
        }
        return output;
    }

    /// <summary>Decodes a WAV file from a stream, read from its current position to its end.</summary>
    /// <param name="stream">The source; it is left open.</param>
    /// <param name="name">A name for the source used in error messages (a file name or URL). Default <c>&lt;stream&gt;</c>.</param>
    /// <param name="options">Decoding options; default <see cref="WavDecodeOptions.Default"/>.</param>
    /// <returns>The decoded clip.</returns>
    public static AudioClip Decode(Stream stream, string name = "<stream>", WavDecodeOptions? options = null)
    {
        options ??= WavDecodeOptions.Default;
        return Decode(ReadStream(stream, name, options.MaxFileBytes), name, options);
    }

    /// <summary>Decodes a whole WAV file held in memory.</summary>
    /// <param name="file">The file's bytes.</param>
    /// <param name="name">A name for the source used in error messages. Default <c>&lt;bytes&gt;</c>.</param>
    /// <param name="options">Decoding options; default <see cref="WavDecodeOptions.Default"/>.</param>
    /// <returns>The decoded clip.</returns>
    public static AudioClip Decode(ReadOnlySpan<byte> file, string name = "<bytes>", WavDecodeOptions? options = null)
    {
        options ??= WavDecodeOptions.Default;
        if (file.Length > options.MaxFileBytes)
            throw WavHeaderParser.Error(name, $"the file is {file.Length} bytes, above the {options.MaxFileBytes}-byte limit");
        var info = WavHeaderParser.Parse(file, name, options.Truncation);
        var data = file.Slice((int)info.DataOffset, (int)info.AvailableDataBytes);
        WavSampleDecoding.RequireSaneFloats(data, info, name, MaxFloatSampleMagnitude);
        var channels = options.Channels == ChannelPolicy.MixToMono
            ? [WavSampleDecoding.DecodeMono(data, info)]
            : WavSampleDecoding.DecodeChannels(data, info);
        return new AudioClip(info.SampleRate, channels, info.IsTruncated);
    }

    /// <summary>Reads and validates a WAV file's header without decoding its samples.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="options">Options (truncation policy and size limit apply); default <see cref="WavDecodeOptions.Default"/>.</param>
    /// <returns>The header, checked against the file's real size.</returns>
    public static WavInfo ReadInfo(string path, WavDecodeOptions? options = null)
    {
        options ??= WavDecodeOptions.Default;
        return ReadInfo(ReadFile(path, options), path, options);
    }

    /// <summary>Reads and validates the header of a WAV file held in memory.</summary>
    /// <param name="file">The file's bytes.</param>
    /// <param name="name">A name for the source used in error messages.</param>
    /// <param name="options">Options; default <see cref="WavDecodeOptions.Default"/>.</param>
    /// <returns>The header, checked against the file's real size.</returns>
    public static WavInfo ReadInfo(ReadOnlySpan<byte> file, string name = "<bytes>", WavDecodeOptions? options = null) =>
        WavHeaderParser.Parse(file, name, (options ?? WavDecodeOptions.Default).Truncation);

    private static byte[] ReadFile(string path, WavDecodeOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var fs = OpenRegularFile(path);
        return ReadStream(fs, path, options.MaxFileBytes);
    }

    // A FIFO would block the open until some writer appears (forever, for a path given by mistake); a device never ends.
    internal static FileStream OpenRegularFile(string path, int bufferSize = 1)
    {
        if (QuantumKan.Core.FileKind.NotARegularFile(path) is { } what)
            throw new AudioFormatException(path, $"it is {what}; give the path of a WAV file");
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize, FileOptions.SequentialScan);
    }

    // Reads the whole stream. A seekable stream's length is checked up front; a non-seekable one is read in chunks, so
    // memory grows only with the bytes actually delivered and stops at the limit.
    private static byte[] ReadStream(Stream stream, string name, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek)
        {
            long length = stream.Length - stream.Position;
            if (length > maxBytes || length > Array.MaxLength)
                throw WavHeaderParser.Error(name, $"the file is {length} bytes, above the {Math.Min(maxBytes, Array.MaxLength)}-byte limit");
            var bytes = new byte[length];
            int read = 0;
            while (read < bytes.Length)
            {
                int n = stream.Read(bytes, read, bytes.Length - read);
                if (n == 0)
                    return bytes[..read]; // The stream shrank while being read: decode what it delivered.
                read += n;
            }
            return bytes;
        }

        using var ms = new MemoryStream();
        var buffer = new byte[81920];
        int got;
        while ((got = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (ms.Length + got > maxBytes)
                throw WavHeaderParser.Error(name, $"the stream is longer than the {maxBytes}-byte limit");
            ms.Write(buffer, 0, got);
        }
        return ms.ToArray();
    }
}
