namespace QuantumKan.Data.Synthesis;

/// <summary>A class of a synthetic data set: its type, an FSD50K-style label name and a fake ontology id.</summary>
/// <param name="Type">The sound type.</param>
/// <param name="Label">The label name, FSD50K style (capitalised, underscores), e.g. <c>Rising_chirp</c>.</param>
/// <param name="Mid">A fake AudioSet-style machine id, e.g. <c>/m/qk001</c>; unique per type.</param>
public sealed record SyntheticSoundLabel(SyntheticSoundType Type, string Label, string Mid);

/// <summary>Label names, ids and the standard type sets of the synthetic data sets.</summary>
public static class SyntheticSoundVocabulary
{
    /// <summary>
    /// The default eight types: two pairs that differ only in temporal order (chirps, two-tone chimes) and four that
    /// differ spectrally.
    /// </summary>
    public static IReadOnlyList<SyntheticSoundType> DefaultTypes { get; } =
    [
        SyntheticSoundType.RisingChirp, SyntheticSoundType.FallingChirp,
        SyntheticSoundType.DingDong, SyntheticSoundType.DongDing,
        SyntheticSoundType.LowNoiseBurst, SyntheticSoundType.HighNoiseBurst,
        SyntheticSoundType.HarmonicTone, SyntheticSoundType.ClickTrain,
    ];

    /// <summary>Every type, in enum order (three temporal-order pairs and five spectral types).</summary>
    public static IReadOnlyList<SyntheticSoundType> AllTypes { get; } = Enum.GetValues<SyntheticSoundType>();

    /// <summary>The label of one type.</summary>
    public static SyntheticSoundLabel For(SyntheticSoundType type) => new(type, LabelName(type), $"/m/qk{(int)type + 1:D3}");

    /// <summary>The labels of a type list, in the list's order (which is the vocabulary's index order).</summary>
    public static IReadOnlyList<SyntheticSoundLabel> For(IEnumerable<SyntheticSoundType> types) => types.Select(For).ToArray();

    /// <summary>Whether two types are time reversals of each other.</summary>
    public static bool AreTimeReversals(SyntheticSoundType a, SyntheticSoundType b) =>
        TimeReversalOf(a) is { } r && r == b;

    /// <summary>The type that is this type's exact time reversal, or null for the spectral types.</summary>
    public static SyntheticSoundType? TimeReversalOf(SyntheticSoundType type) => type switch
    {
        SyntheticSoundType.RisingChirp => SyntheticSoundType.FallingChirp,
        SyntheticSoundType.FallingChirp => SyntheticSoundType.RisingChirp,
        SyntheticSoundType.DingDong => SyntheticSoundType.DongDing,
        SyntheticSoundType.DongDing => SyntheticSoundType.DingDong,
        SyntheticSoundType.ShortLongBurst => SyntheticSoundType.LongShortBurst,
        SyntheticSoundType.LongShortBurst => SyntheticSoundType.ShortLongBurst,
        _ => null,
    };

    private static string LabelName(SyntheticSoundType type) => type switch
    {
        SyntheticSoundType.RisingChirp => "Rising_chirp",
        SyntheticSoundType.FallingChirp => "Falling_chirp",
        SyntheticSoundType.DingDong => "Ding_dong",
        SyntheticSoundType.DongDing => "Dong_ding",
        SyntheticSoundType.ShortLongBurst => "Short_long_burst",
        SyntheticSoundType.LongShortBurst => "Long_short_burst",
        SyntheticSoundType.LowNoiseBurst => "Low_noise_burst",
        SyntheticSoundType.HighNoiseBurst => "High_noise_burst",
        SyntheticSoundType.HarmonicTone => "Harmonic_tone",
        SyntheticSoundType.ClickTrain => "Click_train",
        SyntheticSoundType.AmTone => "Am_tone",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown synthetic sound type."),
    };
}
