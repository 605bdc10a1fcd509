namespace QuantumKan.Data.Synthesis;

/// <summary>
/// Generates the synthetic sound-event sets: each clip mixes 1–3 events of distinct types at random onsets and gains
/// over light white noise (or exactly one event, for the multiclass variant). Clip <c>i</c> depends only on the options
/// and <c>i</c>, so clips can be made in any order or in parallel. Thread-safe.
/// </summary>
public sealed class SyntheticSoundGenerator
{
    private const float PeakCeiling = 0.98f; // headroom so 16-bit PCM never clips

    private readonly SyntheticSoundSetOptions _options;
    private readonly SyntheticSoundType[] _types;

    /// <summary>Creates a generator; the options are validated and copied.</summary>
    public SyntheticSoundGenerator(SyntheticSoundSetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = new SyntheticSoundSetOptions
        {
            Seed = options.Seed, SampleRate = options.SampleRate, Types = options.Types.ToArray(),
            SingleLabel = options.SingleLabel, MinEventsPerClip = options.MinEventsPerClip,
            MaxEventsPerClip = options.MaxEventsPerClip, MinClipSeconds = options.MinClipSeconds,
            MaxClipSeconds = options.MaxClipSeconds, MinEventGainDb = options.MinEventGainDb,
            MaxEventGainDb = options.MaxEventGainDb, NoiseLevelDb = options.NoiseLevelDb,
        };
        _types = _options.Types.ToArray();
    }

    /// <summary>The sound types, in vocabulary (label index) order.</summary>
    public IReadOnlyList<SyntheticSoundType> Types => _types;

    /// <summary>The vocabulary: one label per type, in index order.</summary>
    public IReadOnlyList<SyntheticSoundLabel> Vocabulary => SyntheticSoundVocabulary.For(_types);

    /// <summary>Sample rate of every clip, in Hz.</summary>
    public int SampleRate => _options.SampleRate;

    /// <summary>The clip's labels as ascending vocabulary indices (positions in <see cref="Types"/>).</summary>
    public int[] LabelIndicesOf(SyntheticClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        return clip.Events.Select(e => Array.IndexOf(_types, e.Type)).Distinct().Order().ToArray();
    }

    /// <summary>Generates clip <paramref name="index"/>.</summary>
    public SyntheticClip Generate(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var rng = new DeterministicRandom(DeterministicRandom.Derive(_options.Seed, index));
        int sr = _options.SampleRate;
        int length = (int)Math.Round(rng.Uniform(_options.MinClipSeconds, _options.MaxClipSeconds) * sr);
        var mix = new float[length];

        var events = new List<SoundEventPlacement>();
        foreach (var type in ChooseTypes(index, rng))
        {
            float[] sound = SoundEventRenderer.Render(type, sr, rng);
            int onset = rng.NextInt(length - sound.Length + 1);
            double gainDb = rng.Uniform(_options.MinEventGainDb, _options.MaxEventGainDb);
            float gain = (float)Math.Pow(10, gainDb / 20);
            for (int i = 0; i < sound.Length; i++)
                mix[onset + i] += gain * sound[i];
            events.Add(new SoundEventPlacement(type, onset, sound.Length, gainDb));
        }

        if (_options.NoiseLevelDb is { } noiseDb)
        {
            double rms = Math.Pow(10, noiseDb / 20);
            for (int i = 0; i < length; i++)
                mix[i] += (float)(rms * rng.NextGaussian());
        }

        double scale = ScaleBelowCeiling(mix);
        events.Sort((a, b) => a.OnsetSample.CompareTo(b.OnsetSample));
        return new SyntheticClip(index, mix, sr, events, scale);
    }

    private SyntheticSoundType[] ChooseTypes(long index, DeterministicRandom rng)
    {
        if (_options.SingleLabel)
            return [_types[(int)(index % _types.Length)]];
        int count = rng.NextIntInclusive(_options.MinEventsPerClip, _options.MaxEventsPerClip);
        // A partial Fisher–Yates shuffle picks `count` distinct types.
        var pool = (SyntheticSoundType[])_types.Clone();
        for (int i = 0; i < count; i++)
        {
            int j = i + rng.NextInt(pool.Length - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool[..count];
    }

    private static double ScaleBelowCeiling(float[] mix)
    {
        float peak = 0;
        foreach (float v in mix)
            peak = Math.Max(peak, Math.Abs(v));
        if (peak <= PeakCeiling)
            return 1;
        float scale = PeakCeiling / peak;
        for (int i = 0; i < mix.Length; i++)
            mix[i] *= scale;
        return scale;
    }
}
