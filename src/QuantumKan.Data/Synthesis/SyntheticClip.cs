namespace QuantumKan.Data.Synthesis;

/// <summary>Where one event sits in a synthetic clip.</summary>
/// <param name="Type">The event's sound type.</param>
/// <param name="OnsetSample">The first sample of the event in the clip.</param>
/// <param name="LengthSamples">The event's length in samples; the event lies wholly inside the clip.</param>
/// <param name="GainDb">The event's peak level before the clip's final scaling, dB relative to full scale.</param>
public sealed record SoundEventPlacement(SyntheticSoundType Type, int OnsetSample, int LengthSamples, double GainDb);

/// <summary>One generated clip: mono samples in [−1, 1], its events, and its labels.</summary>
/// <param name="Index">The clip's index in its set (its seed is derived from it).</param>
/// <param name="Samples">Mono samples in [−1, 1].</param>
/// <param name="SampleRate">Sample rate in Hz.</param>
/// <param name="Events">The events mixed into the clip, in onset order.</param>
/// <param name="Scale">
/// The factor the mix was multiplied by so its peak stays below full scale (1 when no scaling was needed).
/// </param>
public sealed record SyntheticClip(long Index, float[] Samples, int SampleRate, IReadOnlyList<SoundEventPlacement> Events, double Scale)
{
    /// <summary>The clip's length in seconds.</summary>
    public double DurationSeconds => (double)Samples.Length / SampleRate;

    /// <summary>The distinct types present, in the order of the set's vocabulary (<paramref name="vocabulary"/>).</summary>
    public IReadOnlyList<SyntheticSoundType> LabelsIn(IReadOnlyList<SyntheticSoundType> vocabulary) =>
        vocabulary.Where(t => Events.Any(e => e.Type == t)).ToArray();
}
