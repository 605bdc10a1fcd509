using QuantumKan.Audio.Resampling;
using QuantumKan.Audio.Spectral;
using QuantumKan.Audio.Wav;

namespace QuantumKan.Audio.Mel;

/// <summary>
/// Turns clips into log-mel features with one set of <see cref="LogMelOptions"/>: mono mixdown → resampling to
/// <see cref="LogMelOptions.SampleRate"/> (cached <see cref="SincResampler"/>) → STFT → mel filterbank (built once) →
/// output scale → layout (frames, pooled, fixed frames or patches). Scaling is applied to the whole clip before the
/// layout, so dB's <c>top_db</c> floor is the clip's and padded frames take that floor.
/// Thread-safe: one instance can serve every thread of a data loader.
/// </summary>
public sealed class LogMelFeaturizer
{
    private readonly StftPlan _stft;

    /// <summary>Creates a featurizer; validates the options and builds the window, FFT tables and filterbank once.</summary>
    /// <param name="options">Front-end parameters; null means the defaults.</param>
    public LogMelFeaturizer(LogMelOptions? options = null)
    {
        Options = options ?? new LogMelOptions();
        Options.Validate();
        _stft = new StftPlan(Options.FftSize, Options.EffectiveWindowLength, Options.HopLength, Options.Center, Options.PadMode, Options.Power);
        Filterbank = MelFilterbank.Get(Options.SampleRate, Options.FftSize, Options.MelBands, Options.FMin, Options.EffectiveFMax, Options.MelScale, Options.MelNorm);
    }

    /// <summary>The options in effect.</summary>
    public LogMelOptions Options { get; }

    /// <summary>The mel filterbank in use.</summary>
    public MelFilterbank Filterbank { get; }

    /// <summary>
    /// The feature length when it does not depend on the clip (pooled, fixed frames, or a fixed patch count); otherwise null.
    /// </summary>
    public int? FixedOutputLength => Options.Layout switch
    {
        FeatureLayout.Pooled => FeaturePooling.OutputLength(Options.MelBands, Options.PoolingStatistics, Options.PoolingSegments),
        FeatureLayout.FixedFrames => Options.FixedFrames * Options.MelBands,
        FeatureLayout.Patches when Options.PatchCount > 0 => Options.PatchCount * Options.PatchFrames * Options.MelBands,
        _ => null,
    };

    /// <summary>Frames the STFT yields for a signal of this many samples at <see cref="LogMelOptions.SampleRate"/> (0 if too short).</summary>
    /// <param name="sampleCount">Samples at the feature rate.</param>
    /// <returns>The frame count.</returns>
    public int FrameCount(int sampleCount) => _stft.FrameCount(sampleCount);

    /// <summary>The feature length for a signal of this many samples at <see cref="LogMelOptions.SampleRate"/>.</summary>
    /// <param name="sampleCount">Samples at the feature rate.</param>
    /// <returns>The number of values <see cref="Featurize(ReadOnlySpan{float})"/> returns.</returns>
    public int OutputLength(int sampleCount)
    {
        if (FixedOutputLength is { } fixedLength)
            return fixedLength;
        int frames = FrameCount(sampleCount);
        return Options.Layout == FeatureLayout.Patches
            ? FrameFitting.PatchCountFor(frames, Options.PatchFrames, Options.PatchHopFrames) * Options.PatchFrames * Options.MelBands
            : frames * Options.MelBands;
    }

    /// <summary>The scaled frames × mels of a mono signal already at the feature rate (the base of every layout).</summary>
    /// <param name="signal">Samples at <see cref="LogMelOptions.SampleRate"/>.</param>
    /// <returns>Scaled frames and the scaled value of silence.</returns>
    public (MelFrames Frames, float Silence) ComputeFrames(ReadOnlySpan<float> signal)
    {
        var frames = MelSpectrogram.Compute(signal, _stft, Filterbank);
        float silence = MelSpectrogram.ApplyScale(frames.Values, Options);
        return (frames, silence);
    }

    /// <summary>Features of a mono signal already at <see cref="LogMelOptions.SampleRate"/>.</summary>
    /// <param name="signal">Samples at the feature rate.</param>
    /// <returns>The features in the layout of <see cref="LogMelOptions.Layout"/>.</returns>
    /// <exception cref="ArgumentException">The signal is too short for one frame.</exception>
    public float[] Featurize(ReadOnlySpan<float> signal) => Arrange(MelSpectrogram.Compute(signal, _stft, Filterbank));

    /// <summary>The STFT framing and FFT in use.</summary>
    internal StftPlan Stft => _stft;

    /// <summary>Scales a clip's mel frames (in place) and lays them out as <see cref="LogMelOptions.Layout"/> says.</summary>
    internal float[] Arrange(MelFrames frames)
    {
        float silence = MelSpectrogram.ApplyScale(frames.Values, Options);
        return Options.Layout switch
        {
            FeatureLayout.Pooled => FeaturePooling.Pool(frames, Options.PoolingStatistics, Options.PoolingSegments),
            FeatureLayout.FixedFrames => FrameFitting.Fit(frames, Options.FixedFrames, Options.ShortClipFill, silence),
            FeatureLayout.Patches => FrameFitting.Patches(frames, Options.PatchFrames, Options.PatchHopFrames, Options.PatchCount, Options.ShortClipFill, silence),
            _ => frames.Values,
        };
    }

    /// <summary>Features of a clip: mixed to mono and resampled to <see cref="LogMelOptions.SampleRate"/> when needed.</summary>
    /// <param name="clip">The clip.</param>
    /// <returns>The features.</returns>
    public float[] Featurize(AudioClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var mono = clip.Mono;
        if (clip.SampleRate != Options.SampleRate)
            mono = SincResampler.Get(clip.SampleRate, Options.SampleRate).Resample(mono);
        return Featurize(mono);
    }

    /// <summary>
    /// Decodes a WAV file and featurizes it, streaming: peak memory is a few chunks plus the features (and, for a layout
    /// computed from the whole clip's frames, those frames), whatever the clip's length (bench/RESULTS.md, "Memory on
    /// long clips"). The result equals <see cref="Featurize(AudioClip)"/> of the decoded clip bit for bit.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="decodeOptions">Decoder options; default <see cref="WavDecodeOptions.Default"/>.</param>
    /// <returns>The features.</returns>
    /// <exception cref="AudioFormatException">The file cannot be decoded, or is too short for one frame (the reason says which).</exception>
    public float[] FeaturizeFile(string path, WavDecodeOptions? decodeOptions = null)
    {
        // Streamed: decode, resample and STFT a chunk at a time, so a long clip never exists whole in memory; the
        // features equal Featurize(WavDecoder.Decode(path)) bit for bit (StreamedFeaturization).
        using var reader = WavMonoReader.Open(path, decodeOptions);
        try
        {
            return StreamedFeaturization.Featurize(this, reader);
        }
        catch (ArgumentException ex)
        {
            throw new AudioFormatException(path, QuantumKan.Core.ExceptionText.ForUser(ex), ex);
        }
    }

    /// <summary>
    /// Featurizes many files on all cores (one file per work item). Results come back in input order.
    /// </summary>
    /// <param name="paths">The files.</param>
    /// <param name="onError">
    /// Called (possibly concurrently) with the index and error of each file that fails to decode or featurize; that
    /// entry of the result is null. When null, the first failure is thrown (an <see cref="AudioFormatException"/> or
    /// <see cref="IOException"/> naming the file) and the remaining work is cancelled.
    /// </param>
    /// <param name="maxDegreeOfParallelism">Worker threads; 0 or less means <see cref="Environment.ProcessorCount"/>.</param>
    /// <param name="decodeOptions">Decoder options; default <see cref="WavDecodeOptions.Default"/>.</param>
    /// <returns>One feature vector per path (null where <paramref name="onError"/> was called).</returns>
    public float[]?[] FeaturizeFiles(IReadOnlyList<string> paths, Action<int, Exception>? onError = null, int maxDegreeOfParallelism = 0,
        WavDecodeOptions? decodeOptions = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var results = new float[]?[paths.Count];
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount,
        };
        try
        {
            Parallel.For(0, paths.Count, parallel, i =>
            {
                try
                {
                    results[i] = FeaturizeFile(paths[i], decodeOptions);
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
