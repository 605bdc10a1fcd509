namespace QuantumKan.Data.Synthesis;

/// <summary>Options of <see cref="SyntheticSoundGenerator"/>. Every clip is a function of these and its index.</summary>
public sealed record SyntheticSoundSetOptions
{
    /// <summary>The seed every clip's randomness is derived from. Default 1.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Sample rate in Hz, at least 16000. Default 44100 (FSD50K's rate).</summary>
    public int SampleRate { get; init; } = 44100;

    /// <summary>The sound types, in vocabulary order. Default <see cref="SyntheticSoundVocabulary.DefaultTypes"/> (8).</summary>
    public IReadOnlyList<SyntheticSoundType> Types { get; init; } = SyntheticSoundVocabulary.DefaultTypes;

    /// <summary>
    /// Whether each clip holds exactly one event (multiclass). Types then cycle through <see cref="Types"/> by clip
    /// index, so classes are balanced. Default false (multi-label).
    /// </summary>
    public bool SingleLabel { get; init; }

    /// <summary>The fewest events in a multi-label clip. Default 1.</summary>
    public int MinEventsPerClip { get; init; } = 1;

    /// <summary>The most events in a multi-label clip; each event has a distinct type. Default 3.</summary>
    public int MaxEventsPerClip { get; init; } = 3;

    /// <summary>The shortest clip, in seconds; at least the longest event (0.7 s). Default 1.</summary>
    public double MinClipSeconds { get; init; } = 1.0;

    /// <summary>The longest clip, in seconds. Default 4.</summary>
    public double MaxClipSeconds { get; init; } = 4.0;

    /// <summary>The quietest event peak, in dB relative to full scale. Default −12.</summary>
    public double MinEventGainDb { get; init; } = -12;

    /// <summary>The loudest event peak, in dB relative to full scale. Default −3.</summary>
    public double MaxEventGainDb { get; init; } = -3;

    /// <summary>The RMS level of the white background noise, in dB relative to full scale; null for silence. Default −50.</summary>
    public double? NoiseLevelDb { get; init; } = -50;

    /// <summary>Checks the options; throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (SampleRate < SoundEventRenderer.MinSampleRate)
            throw new ArgumentException($"SampleRate must be at least {SoundEventRenderer.MinSampleRate} Hz (got {SampleRate}).", nameof(SampleRate));
        if (Types is null || Types.Count == 0)
            throw new ArgumentException("Types must name at least one sound type.", nameof(Types));
        if (Types.Distinct().Count() != Types.Count)
            throw new ArgumentException("Types must not repeat a type.", nameof(Types));
        if (Types.Any(t => !Enum.IsDefined(t)))
            throw new ArgumentException("Types holds an undefined sound type.", nameof(Types));
        if (MinEventsPerClip < 1 || MaxEventsPerClip < MinEventsPerClip)
            throw new ArgumentException($"Need 1 ≤ MinEventsPerClip ≤ MaxEventsPerClip (got {MinEventsPerClip}, {MaxEventsPerClip}).", nameof(MinEventsPerClip));
        if (!SingleLabel && MaxEventsPerClip > Types.Count)
            throw new ArgumentException($"MaxEventsPerClip ({MaxEventsPerClip}) exceeds the number of types ({Types.Count}); events in a clip have distinct types.", nameof(MaxEventsPerClip));
        if (!(MinClipSeconds >= SoundEventRenderer.MaxEventSeconds) || !(MaxClipSeconds >= MinClipSeconds) || MaxClipSeconds > 600)
            throw new ArgumentException($"Need {SoundEventRenderer.MaxEventSeconds} ≤ MinClipSeconds ≤ MaxClipSeconds ≤ 600 (got {MinClipSeconds}, {MaxClipSeconds}).", nameof(MinClipSeconds));
        if (!(MinEventGainDb <= MaxEventGainDb) || MaxEventGainDb > 0)
            throw new ArgumentException($"Need MinEventGainDb ≤ MaxEventGainDb ≤ 0 (got {MinEventGainDb}, {MaxEventGainDb}).", nameof(MinEventGainDb));
        if (NoiseLevelDb is { } noise && !(noise <= 0))
            throw new ArgumentException($"NoiseLevelDb must be ≤ 0 dB (got {noise}).", nameof(NoiseLevelDb));
    }
}
