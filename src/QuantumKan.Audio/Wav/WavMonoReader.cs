namespace QuantumKan.Audio.Wav;

/// <summary>
/// Reads a WAV file's samples, mixed to mono, a chunk at a time: the streaming form of
/// <see cref="WavDecoder.Decode(string, WavDecodeOptions?)"/> with <see cref="ChannelPolicy.MixToMono"/>, for clips too
/// long to hold whole. The header is parsed from the file without reading its audio; each chunk is checked for
/// non-finite or out-of-range floats (naming the sample by its frame in the file) and converted exactly as the whole
/// file would be, so the concatenated chunks equal the decoded clip bit for bit. Memory: one chunk of bytes and samples.
/// </summary>
internal sealed class WavMonoReader : IDisposable
{
    private readonly FileStream _file;
    private readonly string _name;
    private readonly byte[] _bytes;
    private readonly int _chunkFrames;
    private long _framesRead;

    private WavMonoReader(FileStream file, string name, WavInfo info, int chunkFrames)
    {
        _file = file;
        _name = name;
        Info = info;
        _chunkFrames = chunkFrames;
        _bytes = new byte[checked(chunkFrames * info.BlockAlign)];
    }

    /// <summary>The header, checked against the file's real size.</summary>
    public WavInfo Info { get; }

    /// <summary>Mono samples the file holds (its complete frames).</summary>
    public long FrameCount => Info.FrameCount;

    /// <summary>Opens a file; the same checks and errors as <see cref="WavDecoder.Decode(string, WavDecodeOptions?)"/>.</summary>
    /// <param name="path">The file; it names the file in errors.</param>
    /// <param name="options">Truncation policy and size limit (the channel policy is mono).</param>
    /// <param name="chunkFrames">Frames per chunk; default 16384 (64 KiB of 16-bit mono).</param>
    public static WavMonoReader Open(string path, WavDecodeOptions? options = null, int chunkFrames = 16384)
    {
        options ??= WavDecodeOptions.Default;
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkFrames, 1);
        var file = WavDecoder.OpenRegularFile(path, bufferSize: 4096);
        try
        {
            if (file.Length > options.MaxFileBytes)
                throw WavHeaderParser.Error(path, $"the file is {file.Length} bytes, above the {options.MaxFileBytes}-byte limit");
            var info = WavHeaderParser.Parse(file, path, options.Truncation);
            return new WavMonoReader(file, path, info, chunkFrames);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The next chunk of mono samples (at most the chunk size); empty once every frame has been read.</summary>
    /// <exception cref="AudioFormatException">A float sample is not finite or out of range, or the file shrank while being read.</exception>
    public float[] ReadChunk()
    {
        int frames = (int)Math.Min(_chunkFrames, FrameCount - _framesRead);
        if (frames <= 0)
            return [];
        int bytes = frames * Info.BlockAlign;
        _file.Position = Info.DataOffset + _framesRead * Info.BlockAlign;
        int read = _file.ReadAtLeast(_bytes.AsSpan(0, bytes), bytes, throwOnEndOfStream: false);
        if (read < bytes)
            throw WavHeaderParser.Error(_name, $"the file ended at byte {_file.Position} while its samples were read (it shrank?)");
        var data = _bytes.AsSpan(0, bytes);
        WavSampleDecoding.RequireSaneFloats(data, Info, _name, WavDecoder.MaxFloatSampleMagnitude, _framesRead);
        _framesRead += frames;
        return WavSampleDecoding.DecodeMono(data, Info);
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
