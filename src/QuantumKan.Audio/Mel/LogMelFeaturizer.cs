using QuantumKan.Audio.Spectral;

namespace QuantumKan.Audio.Mel;

/// <summary>
/// The second stage of the audio front end (<see cref="AudioFrontEnd"/>): a mono signal at
/// <see cref="LogMelOptions.SampleRate"/> → STFT → mel filterbank (built once) → output scale → layout (frames, pooled,
/// fixed frames or patches), with one set of <see cref="LogMelOptions"/>. Files and decoded clips go through
/// <see cref="AudioFrontEnd"/>, which reads them into that signal first. Scaling is applied to the whole clip before the
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
}
