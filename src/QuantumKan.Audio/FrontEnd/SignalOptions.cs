using QuantumKan.Audio.Wav;

namespace QuantumKan.Audio;

/// <summary>
/// How an audio file becomes the front end's mono signal: which channel, and what the decoder accepts. One record for
/// every route a clip takes (<see cref="AudioFrontEnd"/>, <c>mlContext.Transforms.LoadAudio</c>, the feature cache and
/// the <c>qkan</c> commands); the decoder's own <see cref="WavDecodeOptions"/> are derived from it.
/// </summary>
public sealed record SignalOptions
{
    /// <summary>The defaults: channels averaged, truncated files refused, files up to 1 GiB.</summary>
    public static SignalOptions Default { get; } = new();

    /// <summary>Channel to keep: −1 averages all channels (the default); 0, 1, … select one (a clip with fewer channels is an error naming the file).</summary>
    public int Channel { get; init; } = -1;

    /// <summary>Handling of files cut off before their declared data length. Default <see cref="TruncationPolicy.Refuse"/>.</summary>
    public TruncationPolicy Truncation { get; init; } = TruncationPolicy.Refuse;

    /// <summary>Largest file accepted, in bytes; larger ones are refused before being read. Default 1 GiB.</summary>
    public long MaxFileBytes { get; init; } = 1L << 30;

    /// <summary>Checks every field, naming the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public void Validate()
    {
        if (Channel < -1)
            throw new ArgumentOutOfRangeException(nameof(Channel), Channel, "SignalOptions.Channel must be −1 (mix) or a channel index.");
        if (MaxFileBytes < 12)
            throw new ArgumentOutOfRangeException(nameof(MaxFileBytes), MaxFileBytes, "SignalOptions.MaxFileBytes must be at least 12.");
        if (!Enum.IsDefined(Truncation))
            throw new ArgumentOutOfRangeException(nameof(Truncation), Truncation, "Unknown truncation policy.");
    }

    /// <summary>The decoder's options: a mono mix, or every channel when one is to be selected.</summary>
    internal WavDecodeOptions DecodeOptions => new()
    {
        Channels = Channel < 0 ? ChannelPolicy.MixToMono : ChannelPolicy.KeepChannels,
        Truncation = Truncation,
        MaxFileBytes = MaxFileBytes,
    };
}
