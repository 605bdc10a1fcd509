namespace QuantumKan.Audio.Wav;

/// <summary>What the decoder does with several channels.</summary>
public enum ChannelPolicy
{
    /// <summary>Average the channels into one (the default): the clip has one channel.</summary>
    MixToMono,

    /// <summary>Keep every channel.</summary>
    KeepChannels,
}

/// <summary>What the decoder does when the file ends before the length its data chunk declares.</summary>
public enum TruncationPolicy
{
    /// <summary>Throw <see cref="AudioFormatException"/> (the default): a cut-off download is never mistaken for a shorter clip.</summary>
    Refuse,

    /// <summary>Decode the complete frames that are present and flag the clip with <see cref="AudioClip.IsTruncated"/>.</summary>
    ReadAvailable,
}

/// <summary>Options of <see cref="WavDecoder"/>.</summary>
public sealed record WavDecodeOptions
{
    /// <summary>The defaults: mono mixdown, truncated files refused, files up to 1 GiB.</summary>
    public static WavDecodeOptions Default { get; } = new();

    /// <summary>Channel handling. Default <see cref="ChannelPolicy.MixToMono"/> (mean of the channels).</summary>
    public ChannelPolicy Channels { get; init; } = ChannelPolicy.MixToMono;

    /// <summary>Handling of a data chunk that runs past the end of the file. Default <see cref="TruncationPolicy.Refuse"/>.</summary>
    public TruncationPolicy Truncation { get; init; } = TruncationPolicy.Refuse;

    /// <summary>Largest file accepted, in bytes; larger ones are refused before being read. Default 1 GiB.</summary>
    public long MaxFileBytes { get; init; } = 1L << 30;
}
