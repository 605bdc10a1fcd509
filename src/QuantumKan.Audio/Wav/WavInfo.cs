namespace QuantumKan.Audio.Wav;

/// <summary>What a WAV file's header says, checked against the file's real size.</summary>
/// <param name="SampleFormat">Sample encoding (after unwrapping <c>WAVE_FORMAT_EXTENSIBLE</c>).</param>
/// <param name="ChannelCount">Number of interleaved channels, at least 1.</param>
/// <param name="SampleRate">Sample rate in Hz.</param>
/// <param name="BlockAlign">Bytes per frame (all channels), at least <c>ChannelCount × container bytes</c>.</param>
/// <param name="ContainerBits">Bits each sample occupies in the file (8, 16, 24, 32 or 64).</param>
/// <param name="ValidBits">Meaningful bits per sample (the extensible header's <c>wValidBitsPerSample</c>, else the container size).</param>
/// <param name="IsExtensible">Whether the <c>fmt </c> chunk is <c>WAVE_FORMAT_EXTENSIBLE</c>.</param>
/// <param name="IsRf64">Whether the file is RF64/BW64 (64-bit sizes in a <c>ds64</c> chunk).</param>
/// <param name="DataOffset">Byte offset of the first sample.</param>
/// <param name="DeclaredDataBytes">Data length the header declares, in bytes.</param>
/// <param name="AvailableDataBytes">Data bytes actually present: at most <paramref name="DeclaredDataBytes"/>.</param>
public sealed record WavInfo(
    WavSampleFormat SampleFormat,
    int ChannelCount,
    int SampleRate,
    int BlockAlign,
    int ContainerBits,
    int ValidBits,
    bool IsExtensible,
    bool IsRf64,
    long DataOffset,
    long DeclaredDataBytes,
    long AvailableDataBytes)
{
    /// <summary>Whether the file ends before the declared data length.</summary>
    public bool IsTruncated => AvailableDataBytes < DeclaredDataBytes;

    /// <summary>Complete frames present (a trailing partial frame is ignored).</summary>
    public long FrameCount => AvailableDataBytes / BlockAlign;

    /// <summary>Duration of the frames present, in seconds.</summary>
    public double DurationSeconds => (double)FrameCount / SampleRate;
}
