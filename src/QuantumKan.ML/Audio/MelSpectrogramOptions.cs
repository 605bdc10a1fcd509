using QuantumKan.Audio.Mel;

namespace QuantumKan.ML.Audio;

/// <summary>
/// Options of <c>mlContext.Transforms.MelSpectrogram</c>: the column names plus every <see cref="LogMelOptions"/>
/// field (sample rate, FFT, mel scale, output scale, layout), flat.
/// </summary>
public sealed record MelSpectrogramOptions : LogMelOptions
{
    /// <summary>Name of the output column: a Single vector laid out per <see cref="LogMelOptions.Layout"/>. Default "Features", what the trainers read.</summary>
    public string OutputColumnName { get; init; } = "Features";

    /// <summary>Name of the input column: a Single vector of mono samples at <see cref="LogMelOptions.SampleRate"/>. Default "Audio".</summary>
    public string InputColumnName { get; init; } = "Audio";

    /// <summary>Options with the defaults of <see cref="LogMelOptions"/>.</summary>
    public MelSpectrogramOptions()
    {
    }

    /// <summary>Options copying every front-end field of <paramref name="frontEnd"/>.</summary>
    /// <param name="frontEnd">The front-end parameters.</param>
    public MelSpectrogramOptions(LogMelOptions frontEnd) : base(frontEnd)
    {
    }
}
