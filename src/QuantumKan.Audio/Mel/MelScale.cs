namespace QuantumKan.Audio.Mel;

/// <summary>The Hz ↔ mel mapping.</summary>
public enum MelScale
{
    /// <summary>HTK: mel = 2595·log10(1 + f/700). torchaudio's default.</summary>
    Htk,

    /// <summary>Slaney (Auditory Toolbox): linear below 1 kHz (f / (200/3)), logarithmic above. librosa's default.</summary>
    Slaney,
}

/// <summary>Normalization of the triangular mel filters.</summary>
public enum MelNorm
{
    /// <summary>No normalization: every triangle peaks at 1. torchaudio's default.</summary>
    None,

    /// <summary>Slaney: each triangle is divided by its width in Hz (× 2), so each band has equal area. librosa's default.</summary>
    Slaney,
}

/// <summary>Hz ↔ mel conversions, as torchaudio 0.13 <c>_hz_to_mel</c> / <c>_mel_to_hz</c> compute them.</summary>
public static class MelScaleConversion
{
    private const double SlaneyLinearStep = 200.0 / 3;     // Hz per mel below 1 kHz
    private const double SlaneyLogStartHz = 1000.0;
    private const double SlaneyLogStartMel = SlaneyLogStartHz / SlaneyLinearStep; // 15
    private static readonly double SlaneyLogStep = Math.Log(6.4) / 27.0;

    /// <summary>Converts a frequency to mels.</summary>
    /// <param name="hz">Frequency in Hz.</param>
    /// <param name="scale">The mel scale.</param>
    /// <returns>Mels.</returns>
    public static double HzToMel(double hz, MelScale scale) => scale switch
    {
        MelScale.Htk => 2595.0 * Math.Log10(1.0 + hz / 700.0),
        _ => hz >= SlaneyLogStartHz
            ? SlaneyLogStartMel + Math.Log(hz / SlaneyLogStartHz) / SlaneyLogStep
            : hz / SlaneyLinearStep,
    };

    /// <summary>Converts mels to a frequency.</summary>
    /// <param name="mel">Mels.</param>
    /// <param name="scale">The mel scale.</param>
    /// <returns>Frequency in Hz.</returns>
    public static double MelToHz(double mel, MelScale scale) => scale switch
    {
        MelScale.Htk => 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0),
        _ => mel >= SlaneyLogStartMel
            ? SlaneyLogStartHz * Math.Exp(SlaneyLogStep * (mel - SlaneyLogStartMel))
            : SlaneyLinearStep * mel,
    };
}
