using QuantumKan.Audio;
using QuantumKan.Audio.Wav;

namespace QuantumKan.ML.Audio;

/// <summary>What <c>LoadAudio</c> does with a clip that cannot be decoded.</summary>
public enum BadClipPolicy
{
    /// <summary>Throw the <see cref="AudioFormatException"/> (or <see cref="IOException"/>) naming the file. The default.</summary>
    Throw,

    /// <summary>
    /// Leave the row out of the transformed data and report it (the <see cref="LoadAudioOptions.BadClipReported"/>
    /// callback and a warning on the ML.NET channel). Applies to <c>Transform</c> over a data view; a single-row
    /// PredictionEngine has no row to skip and still throws.
    /// </summary>
    SkipRow,
}

/// <summary>A clip left out by <see cref="BadClipPolicy.SkipRow"/>.</summary>
/// <param name="Row">Row index in the input data view.</param>
/// <param name="Source">The file path, or a description of the bytes' row and column.</param>
/// <param name="Error">The decoding error.</param>
public sealed record BadClip(long Row, string Source, Exception Error);

/// <summary>Options of <c>mlContext.Transforms.LoadAudio</c>.</summary>
public sealed record LoadAudioOptions
{
    /// <summary>Name of the output column: a variable-length vector of Single samples in [−1, 1]. Default "Audio".</summary>
    public string OutputColumnName { get; init; } = "Audio";

    /// <summary>Name of the input column: Text (a file path) or a vector of Byte (a whole WAV file). Default "Path".</summary>
    public string InputColumnName { get; init; } = "Path";

    /// <summary>Sample rate in Hz of the output; clips at other rates are resampled (Hann-windowed sinc, torchaudio's default). Default 16000.</summary>
    public int SampleRate { get; init; } = 16_000;


    /// <summary>Folder that relative paths are resolved against; null means the current directory. Default null.</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>
    /// Channel and decoder limits (channel mix or selection, truncated files, largest file): the same record the rest
    /// of the audio front end takes. Default <see cref="SignalOptions.Default"/>.
    /// </summary>
    public SignalOptions Signal { get; init; } = SignalOptions.Default;

    /// <summary>What to do with a clip that cannot be decoded (or has no samples). Default <see cref="BadClipPolicy.Throw"/>.</summary>
    public BadClipPolicy OnBadClip { get; init; } = BadClipPolicy.Throw;

    /// <summary>Called for each row skipped under <see cref="BadClipPolicy.SkipRow"/>; may be null. Not saved with the model.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Action<BadClip>? BadClipReported { get; init; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(OutputColumnName, nameof(OutputColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(InputColumnName, nameof(InputColumnName));
        if (SampleRate is < 1 or > 768_000)
            throw new ArgumentOutOfRangeException(nameof(SampleRate), SampleRate, "LoadAudioOptions.SampleRate must be in 1–768000 Hz.");
        ArgumentNullException.ThrowIfNull(Signal, nameof(Signal));
        Signal.Validate();
        if (!Enum.IsDefined(OnBadClip))
            throw new ArgumentOutOfRangeException(nameof(OnBadClip), OnBadClip, "Unknown bad-clip policy.");
    }

    /// <summary>The options as version 1 of the LoadAudio state saved them (flat channel and decoder fields), for models saved before <see cref="Signal"/>.</summary>
    internal sealed record Version1(string OutputColumnName, string InputColumnName, int SampleRate, int Channel, string? BaseDirectory,
        TruncationPolicy Truncation, long MaxFileBytes, BadClipPolicy OnBadClip)
    {
        public LoadAudioOptions Upgrade() => new()
        {
            OutputColumnName = OutputColumnName, InputColumnName = InputColumnName, SampleRate = SampleRate, BaseDirectory = BaseDirectory,
            OnBadClip = OnBadClip, Signal = new SignalOptions { Channel = Channel, Truncation = Truncation, MaxFileBytes = MaxFileBytes },
        };
    }
}
