using QuantumKan.Audio.Wav;

namespace QuantumKan.Tests.Shared;

/// <summary>Test audio written into a <see cref="TempFolder"/>: tones, stereo, extreme values, corrupt files, silence.</summary>
internal static class TestWavs
{
    /// <summary>A mono 16-bit WAV of a sine tone.</summary>
    public static string Tone(this TempFolder folder, string name, int sampleRate = 16_000, double seconds = 0.5, double hz = 440)
    {
        var samples = new float[(int)(sampleRate * seconds)];
        for (int i = 0; i < samples.Length; i++)
            samples[i] = 0.5f * MathF.Sin((float)(2 * Math.PI * hz * i / sampleRate));
        var path = folder.File(name);
        WavWriter.Write(path, samples, sampleRate);
        return path;
    }

    /// <summary>A stereo 16-bit WAV: a tone on the left, silence on the right.</summary>
    public static string Stereo(this TempFolder folder, string name, int sampleRate = 16_000, int frames = 4000)
    {
        var left = new float[frames];
        for (int i = 0; i < frames; i++)
            left[i] = 0.25f * MathF.Sin(i * 0.1f);
        var path = folder.File(name);
        using var file = System.IO.File.Create(path);
        WavWriter.Write(file, [left, new float[frames]], sampleRate);
        return path;
    }

    /// <summary>A mono float32 WAV of a quiet tone with one sample set to <paramref name="huge"/> (e.g. 1e30).</summary>
    public static string HugeFloat(this TempFolder folder, string name, float huge, int sampleIndex = 100, int sampleRate = 16_000, double seconds = 0.5)
    {
        var samples = new float[(int)(sampleRate * seconds)];
        for (int i = 0; i < samples.Length; i++)
            samples[i] = 0.25f * MathF.Sin(i * 0.1f);
        samples[sampleIndex] = huge;
        var path = folder.File(name);
        WavWriter.Write(path, samples, sampleRate, WavSampleFormat.Float32);
        return path;
    }

    /// <summary>A file named .wav that is not a WAV file.</summary>
    public static string Corrupt(this TempFolder folder, string name) => folder.File(name, "this is not a RIFF file at all");

    /// <summary>A short silent mono 16-bit WAV (160 samples at 16 kHz) at <paramref name="path"/>.</summary>
    public static void Silence(string path) => WavWriter.Write(path, new float[160], 16000);
}
