namespace QuantumKan.Data.Synthesis;

/// <summary>
/// The sound-event types of the synthetic data sets. Three pairs differ ONLY in temporal order: the second of each
/// pair is the exact time reversal of the first, so any feature pooled over time (mean, std, a long-term spectrum)
/// cannot tell them apart. The others differ spectrally. All energy stays below 6.5 kHz, so 16 kHz audio holds it.
/// </summary>
public enum SyntheticSoundType
{
    /// <summary>Exponential sine sweep up from ~0.35 kHz to ~3.2 kHz, 0.35–0.7 s.</summary>
    RisingChirp,

    /// <summary>The time reversal of <see cref="RisingChirp"/>: a sweep down.</summary>
    FallingChirp,

    /// <summary>Two tones, high (~1.2 kHz) then low (a major third below), 0.4–0.7 s.</summary>
    DingDong,

    /// <summary>The time reversal of <see cref="DingDong"/>: low then high.</summary>
    DongDing,

    /// <summary>A short 1–2 kHz noise burst, a gap, then a long one; 0.4–0.6 s.</summary>
    ShortLongBurst,

    /// <summary>The time reversal of <see cref="ShortLongBurst"/>: long then short.</summary>
    LongShortBurst,

    /// <summary>Noise band-limited to 150–450 Hz, 0.2–0.6 s.</summary>
    LowNoiseBurst,

    /// <summary>Noise band-limited to 3.5–5 kHz, 0.2–0.6 s.</summary>
    HighNoiseBurst,

    /// <summary>A harmonic tone, f0 150–250 Hz with six harmonics falling as 1/k, 0.3–0.7 s.</summary>
    HarmonicTone,

    /// <summary>A train of broadband clicks at 10–16 per second, 0.3–0.6 s.</summary>
    ClickTrain,

    /// <summary>A 2.0–2.6 kHz tone fully amplitude-modulated at 12–25 Hz, 0.3–0.7 s.</summary>
    AmTone,
}
