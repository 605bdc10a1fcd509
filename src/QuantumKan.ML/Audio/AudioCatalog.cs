using QuantumKan.Audio.Mel;
using QuantumKan.ML.Persistence;
using QuantumKan.ML.Audio;

// ML.NET's convention: catalog extensions live in Microsoft.ML, so `using Microsoft.ML;` finds them.
namespace Microsoft.ML;

/// <summary>Audio transforms on <c>mlContext.Transforms</c>: <c>LoadAudio</c> and <c>MelSpectrogram</c>.</summary>
public static class AudioCatalog
{
    /// <summary>Decodes WAV files (from a path or a bytes column) into mono samples at one sample rate.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">Output column: variable-length Single vector of samples in [−1, 1].</param>
    /// <param name="inputColumnName">Input column: Text (a WAV path) or vector of Byte (WAV file bytes). Default "Path".</param>
    /// <param name="sampleRate">Output sample rate in Hz; other rates are resampled. Default 16000.</param>
    /// <param name="onBadClip">Throw on an undecodable clip (default) or skip its row and report it.</param>
    /// <returns>The estimator.</returns>
    public static LoadAudioEstimator LoadAudio(this TransformsCatalog catalog, string outputColumnName = "Audio", string inputColumnName = "Path",
        int sampleRate = 16_000, BadClipPolicy onBadClip = BadClipPolicy.Throw) =>
        catalog.LoadAudio(new LoadAudioOptions
        {
            OutputColumnName = outputColumnName, InputColumnName = inputColumnName, SampleRate = sampleRate, OnBadClip = onBadClip,
        });

    /// <summary>Decodes WAV files into mono samples, with every option.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">Column names, sample rate, channel, truncation and bad-clip policies.</param>
    /// <returns>The estimator.</returns>
    public static LoadAudioEstimator LoadAudio(this TransformsCatalog catalog, LoadAudioOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        var env = MlNetInternals.Environment(catalog);
        ModelPersistence.Register(env);
        return new LoadAudioEstimator(env, options);
    }

    /// <summary>Log-mel features of a column of mono samples.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">Output column: Single vector (known size for pooled, fixed-frame or fixed-patch-count layouts). Default "Features", what the trainers read.</param>
    /// <param name="inputColumnName">Input column of mono samples (Single vector) at the options' sample rate. Default "Audio".</param>
    /// <param name="options">Front-end parameters; null means <see cref="LogMelOptions"/>' defaults (16 kHz, n_fft 512, hop 160, 64 htk mels, ln(x + 1e-6), every frame).</param>
    /// <returns>The estimator.</returns>
    public static MelSpectrogramEstimator MelSpectrogram(this TransformsCatalog catalog, string outputColumnName = "Features", string inputColumnName = "Audio",
        LogMelOptions? options = null) =>
        catalog.MelSpectrogram(new MelSpectrogramOptions(options ?? new LogMelOptions())
        {
            OutputColumnName = outputColumnName, InputColumnName = inputColumnName,
        });

    /// <summary>Log-mel features of a column of mono samples, with every option.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">Column names and front-end parameters.</param>
    /// <returns>The estimator.</returns>
    public static MelSpectrogramEstimator MelSpectrogram(this TransformsCatalog catalog, MelSpectrogramOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        var env = MlNetInternals.Environment(catalog);
        ModelPersistence.Register(env);
        return new MelSpectrogramEstimator(env, options);
    }
}
