namespace QuantumKan.Audio.Wav;

/// <summary>Sample encodings <see cref="WavWriter"/> writes and <see cref="WavDecoder"/> reads.</summary>
public enum WavSampleFormat
{
    /// <summary>8-bit unsigned PCM, (u − 128)/128.</summary>
    Pcm8,

    /// <summary>16-bit signed PCM, s/32768. FSD50K's format.</summary>
    Pcm16,

    /// <summary>24-bit signed PCM, s/2^23.</summary>
    Pcm24,

    /// <summary>32-bit signed PCM, s/2^31.</summary>
    Pcm32,

    /// <summary>32-bit IEEE float.</summary>
    Float32,

    /// <summary>64-bit IEEE float.</summary>
    Float64,

    /// <summary>8-bit G.711 A-law (format tag 6), decoded to 16-bit linear, s/32768.</summary>
    ALaw,

    /// <summary>8-bit G.711 µ-law (format tag 7), decoded to 16-bit linear, s/32768.</summary>
    MuLaw,
}
