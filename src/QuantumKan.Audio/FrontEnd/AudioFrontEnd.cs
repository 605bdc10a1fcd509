using System.Text.Json;
using QuantumKan.Audio.Mel;

namespace QuantumKan.Audio;

/// <summary>
/// The audio front end: file → mono signal at the feature rate (<see cref="Signal"/>) → log-mel features
/// (<see cref="Mel"/>). Every route a clip takes is featurized by these two stages: the feature cache that
/// <c>qkan train</c> fills, the ML.NET pipeline (<c>LoadAudio</c> is the first stage, <c>MelSpectrogram</c> the second),
/// and the <c>predict</c>, <c>similar</c> and <c>mel</c> commands. Thread-safe: one instance can serve every worker.
/// </summary>
public sealed class AudioFrontEnd
{
    /// <summary>Creates a front end; validates the options and builds the STFT and filterbank once.</summary>
    /// <param name="mel">Log-mel parameters, including the feature sample rate; null means the defaults.</param>
    /// <param name="signal">Channel and decoder limits; null means <see cref="SignalOptions.Default"/>.</param>
    public AudioFrontEnd(LogMelOptions? mel = null, SignalOptions? signal = null)
        : this(new SignalReader((mel ?? new LogMelOptions()).SampleRate, signal), new LogMelFeaturizer(mel))
    {
    }

    /// <summary>Joins two existing stages (e.g. those of a loaded ML.NET pipeline).</summary>
    /// <param name="signal">The first stage; its rate must be the featurizer's.</param>
    /// <param name="mel">The second stage.</param>
    /// <exception cref="ArgumentException">The stages' sample rates differ.</exception>
    public AudioFrontEnd(SignalReader signal, LogMelFeaturizer mel)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(mel);
        if (signal.SampleRate != mel.Options.SampleRate)
            throw new ArgumentException($"The signal stage reads audio at {signal.SampleRate} Hz but the log-mel stage expects {mel.Options.SampleRate} Hz.", nameof(signal));
        Signal = signal;
        Mel = mel;
        // The options in full, plus the Audio assembly's build identity: a deterministic build changes its MVID only
        // when its code changes, so an algorithm change invalidates cached features just as an options change does.
        Fingerprint = $"logmel;{typeof(AudioFrontEnd).Assembly.ManifestModule.ModuleVersionId};{JsonSerializer.Serialize(mel.Options)};{JsonSerializer.Serialize(signal.Options)}";
    }

    /// <summary>The first stage: file → mono signal at <see cref="LogMelOptions.SampleRate"/>.</summary>
    public SignalReader Signal { get; }

    /// <summary>Clips up to this long (in seconds of the file's audio) are decoded whole before featurizing; longer ones stream.</summary>
    public const int WholeClipSeconds = 60;

    /// <summary>The second stage: signal → log-mel features in the layout of <see cref="LogMelOptions.Layout"/>.</summary>
    public LogMelFeaturizer Mel { get; }

    /// <summary>The log-mel options.</summary>
    public LogMelOptions Options => Mel.Options;

    /// <summary>A string that changes whenever the features of a file could change: both stages' options and the algorithm's build.</summary>
    public string Fingerprint { get; }

    /// <summary>Features of a signal already at the feature rate (the second stage alone).</summary>
    /// <param name="signal">Mono samples at <see cref="LogMelOptions.SampleRate"/>.</param>
    /// <param name="source">Names the signal in errors. Default "&lt;signal&gt;".</param>
    /// <returns>The features.</returns>
    /// <exception cref="AudioFormatException">The signal is too short for one frame, or not finite (the reason says which).</exception>
    public float[] Featurize(ReadOnlySpan<float> signal, string source = "<signal>")
    {
        try
        {
            return Mel.Featurize(signal);
        }
        catch (ArgumentException ex)
        {
            throw new AudioFormatException(source, QuantumKan.Core.ExceptionText.ForUser(ex), ex);
        }
    }

    /// <summary>Features of a decoded clip: its channel or mono mix, resampled, then featurized.</summary>
    /// <param name="clip">The clip.</param>
    /// <param name="source">Names the clip in errors.</param>
    /// <returns>The features.</returns>
    /// <exception cref="AudioFormatException">The clip lacks the channel, is empty or too short, or is not finite.</exception>
    public float[] Featurize(AudioClip clip, string source = "<clip>") => Featurize(Signal.Select(clip, source), source);

    /// <summary>
    /// Features of a file. A mono mix longer than <see cref="WholeClipSeconds"/> is decoded, resampled and featurized a
    /// chunk at a time: peak memory is a few chunks plus the features (and, for a layout computed from the whole clip's
    /// frames, those frames), whatever the clip's length (bench/RESULTS.md, "Memory on long clips"); a shorter one is
    /// read whole first, which is faster. Either way the result equals <c>Mel.Featurize(Signal.Read(path))</c> bit for
    /// bit. A selected channel is decoded whole.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The features.</returns>
    /// <exception cref="AudioFormatException">The file cannot be decoded or featurized (the reason says why).</exception>
    public float[] FeaturizeFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Signal.Options.Channel >= 0)
            return Featurize(Signal.Read(path), path);
        using var reader = Signal.OpenMono(path);
        try
        {
            // A short clip is read whole, then featurized (LoadAudio's path: faster than the chunked STFT); a long one
            // streams. The features are bit-identical either way; the whole signal is at most WholeClipSeconds long.
            if (reader.FrameCount <= (long)WholeClipSeconds * reader.Info.SampleRate)
                return Mel.Featurize(Wav.WavDecoder.ReadMono(reader, Signal.SampleRate, path));
            return StreamedFeaturization.Featurize(Mel, reader);
        }
        catch (ArgumentException ex)
        {
            throw new AudioFormatException(path, QuantumKan.Core.ExceptionText.ForUser(ex), ex);
        }
    }

    /// <summary>Featurizes many files on all cores (one file per work item). Results come back in input order.</summary>
    /// <param name="paths">The files.</param>
    /// <param name="onError">
    /// Called (possibly concurrently) with the index and error of each file that fails to decode or featurize; that
    /// entry of the result is null. When null, the first failure is thrown (an <see cref="AudioFormatException"/> or
    /// <see cref="IOException"/> naming the file) and the remaining work is cancelled.
    /// </param>
    /// <param name="maxDegreeOfParallelism">Worker threads; 0 or less means <see cref="Environment.ProcessorCount"/>.</param>
    /// <param name="cancellationToken">Stops the work; an <see cref="OperationCanceledException"/> is thrown.</param>
    /// <returns>One feature vector per path (null where <paramref name="onError"/> was called).</returns>
    public float[]?[] FeaturizeFiles(IReadOnlyList<string> paths, Action<int, Exception>? onError = null, int maxDegreeOfParallelism = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var results = new float[]?[paths.Count];
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        try
        {
            Parallel.For(0, paths.Count, parallel, i =>
            {
                try
                {
                    results[i] = FeaturizeFile(paths[i]);
                }
                catch (Exception ex) when (onError is not null && ex is AudioFormatException or IOException or UnauthorizedAccessException)
                {
                    onError(i, ex);
                }
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count >= 1)
        {
            // Surface the file's own typed error rather than the aggregate wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
            throw;
        }
        return results;
    }
}
