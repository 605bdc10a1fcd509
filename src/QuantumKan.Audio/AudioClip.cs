namespace QuantumKan.Audio;

/// <summary>
/// A decoded clip: float samples in [−1, 1] per channel at one sample rate. Immutable by convention: the arrays are
/// shared, not copied, so callers must not write into them.
/// </summary>
public sealed class AudioClip
{
    private float[]? _mono;

    /// <summary>Creates a clip from one array per channel; every channel must have the same length.</summary>
    /// <param name="sampleRate">Sample rate in Hz, positive.</param>
    /// <param name="channels">Samples per channel, <c>[channel][frame]</c>; at least one channel.</param>
    /// <param name="isTruncated">Whether the source file ended before its declared data length (see <see cref="Wav.WavDecodeOptions.Truncation"/>).</param>
    public AudioClip(int sampleRate, float[][] channels, bool isTruncated = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sampleRate, 0);
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Length == 0)
            throw new ArgumentException("A clip needs at least one channel.", nameof(channels));
        int frames = channels[0]?.Length ?? throw new ArgumentException("Channel 0 is null.", nameof(channels));
        for (int c = 1; c < channels.Length; c++)
            if (channels[c] is null || channels[c].Length != frames)
                throw new ArgumentException($"Channel {c} is null or its length differs from channel 0 ({frames}).", nameof(channels));
        SampleRate = sampleRate;
        Channels = channels;
        IsTruncated = isTruncated;
    }

    /// <summary>Creates a mono clip.</summary>
    /// <param name="sampleRate">Sample rate in Hz, positive.</param>
    /// <param name="samples">The samples.</param>
    public AudioClip(int sampleRate, float[] samples) : this(sampleRate, [samples])
    {
    }

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>Samples per channel, <c>[channel][frame]</c>.</summary>
    public IReadOnlyList<float[]> Channels { get; }

    /// <summary>Number of channels (1 after a mono mixdown).</summary>
    public int ChannelCount => Channels.Count;

    /// <summary>Number of samples per channel.</summary>
    public int FrameCount => Channels[0].Length;

    /// <summary>Duration in seconds.</summary>
    public double DurationSeconds => (double)FrameCount / SampleRate;

    /// <summary>
    /// True when the file ended before the length its data chunk declared and the decoder was told to keep what was
    /// there (<see cref="Wav.TruncationPolicy.ReadAvailable"/>): the clip holds only the complete frames present.
    /// </summary>
    public bool IsTruncated { get; }

    /// <summary>The mono signal: the clip itself when it has one channel, otherwise the mean of the channels (computed once).</summary>
    public float[] Mono => _mono ??= ChannelCount == 1 ? Channels[0] : MixDown(Channels);

    /// <summary>The mean of the channels, frame by frame.</summary>
    /// <param name="channels">Equal-length channels.</param>
    /// <returns>A new array (or channel 0 itself when there is one channel).</returns>
    public static float[] MixDown(IReadOnlyList<float[]> channels)
    {
        if (channels.Count == 1)
            return channels[0];
        int frames = channels[0].Length;
        var mono = new float[frames];
        foreach (var ch in channels)
            for (int i = 0; i < frames; i++)
                mono[i] += ch[i];
        float scale = 1f / channels.Count;
        for (int i = 0; i < frames; i++)
            mono[i] *= scale;
        return mono;
    }
}
