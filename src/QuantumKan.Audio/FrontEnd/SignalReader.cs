using QuantumKan.Audio.Resampling;
using QuantumKan.Audio.Wav;

namespace QuantumKan.Audio;

/// <summary>
/// The first stage of the audio front end: a WAV file (or its bytes) → decode → mono mix or one channel → resample to
/// <see cref="SampleRate"/>. The only code that turns files into signals for featurization; <see cref="AudioFrontEnd"/>
/// and <c>LoadAudio</c> both read through it. Thread-safe.
/// </summary>
public sealed class SignalReader
{
    /// <summary>Creates a reader; validates the options.</summary>
    /// <param name="sampleRate">Output rate in Hz; clips at other rates are resampled (Hann-windowed sinc, torchaudio's default).</param>
    /// <param name="options">Channel and decoder limits; null means <see cref="SignalOptions.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The rate or an option is out of range.</exception>
    public SignalReader(int sampleRate, SignalOptions? options = null)
    {
        if (sampleRate is < 1 or > 768_000)
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The sample rate must be in 1–768000 Hz.");
        Options = options ?? SignalOptions.Default;
        Options.Validate();
        SampleRate = sampleRate;
        DecodeOptions = Options.DecodeOptions;
    }

    /// <summary>The output sample rate in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>The channel and decoder options.</summary>
    public SignalOptions Options { get; }

    internal WavDecodeOptions DecodeOptions { get; }

    /// <summary>
    /// The mono signal of a file at <see cref="SampleRate"/>. A mono mix is decoded and resampled a chunk at a time
    /// (only the output is held whole); a selected channel is decoded whole.
    /// </summary>
    /// <param name="path">The file; it names the file in errors.</param>
    /// <returns>The samples, at least one.</returns>
    /// <exception cref="AudioFormatException">The file cannot be decoded, lacks the channel, or holds no samples.</exception>
    public float[] Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Options.Channel >= 0)
            return Select(WavDecoder.Decode(path, DecodeOptions), path);
        var samples = WavDecoder.DecodeMono(path, SampleRate, DecodeOptions);
        return samples.Length > 0 ? samples : throw new AudioFormatException(path, "the file holds no samples");
    }

    /// <summary>The mono signal of a whole WAV file held in memory, as <see cref="Read(string)"/>.</summary>
    /// <param name="file">The file's bytes.</param>
    /// <param name="source">Names the bytes in errors (e.g. a column and row).</param>
    /// <returns>The samples, at least one.</returns>
    /// <exception cref="AudioFormatException">The bytes cannot be decoded, lack the channel, or hold no samples.</exception>
    public float[] Read(ReadOnlySpan<byte> file, string source) => Select(WavDecoder.Decode(file, source, DecodeOptions), source);

    /// <summary>The mono signal of a decoded clip at <see cref="SampleRate"/>: the selected channel or the mix, resampled.</summary>
    /// <param name="clip">The clip.</param>
    /// <param name="source">Names the clip in errors.</param>
    /// <returns>The samples.</returns>
    /// <exception cref="AudioFormatException">The clip lacks the channel or holds no samples.</exception>
    public float[] Select(AudioClip clip, string source = "<clip>")
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (Options.Channel >= clip.ChannelCount)
            throw new AudioFormatException(source, $"channel {Options.Channel} was requested but the file has {clip.ChannelCount}");
        if (clip.FrameCount == 0)
            throw new AudioFormatException(source, "the file holds no samples");
        var samples = Options.Channel >= 0 ? clip.Channels[Options.Channel] : clip.Mono;
        return clip.SampleRate == SampleRate ? samples : SincResampler.Get(clip.SampleRate, SampleRate).Resample(samples);
    }

    /// <summary>Opens a file for chunked mono reading (a mono mix only), for the streamed front end.</summary>
    internal WavMonoReader OpenMono(string path) => WavMonoReader.Open(path, DecodeOptions);
}
