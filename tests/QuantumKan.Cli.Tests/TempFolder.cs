using QuantumKan.Audio.Wav;

namespace QuantumKan.Cli.Tests;

/// <summary>A temporary folder (deleted on dispose) with helpers that write test audio into it.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("qkan-cli-").FullName;

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>A mono 16-bit WAV of a sine tone.</summary>
    public string Tone(string name, int sampleRate = 16_000, double seconds = 0.5, double hz = 440)
    {
        var samples = new float[(int)(sampleRate * seconds)];
        for (int i = 0; i < samples.Length; i++)
            samples[i] = 0.5f * MathF.Sin((float)(2 * Math.PI * hz * i / sampleRate));
        var path = Combine(name);
        WavWriter.Write(path, samples, sampleRate);
        return path;
    }

    /// <summary>A stereo 16-bit WAV: a tone on the left, silence on the right.</summary>
    public string Stereo(string name, int sampleRate = 16_000, int frames = 4000)
    {
        var left = new float[frames];
        for (int i = 0; i < frames; i++)
            left[i] = 0.25f * MathF.Sin(i * 0.1f);
        var path = Combine(name);
        using var file = File.Create(path);
        WavWriter.Write(file, [left, new float[frames]], sampleRate);
        return path;
    }

    /// <summary>A mono float32 WAV of a quiet tone with one sample set to <paramref name="huge"/> (e.g. 1e30).</summary>
    public string HugeFloat(string name, float huge, int sampleIndex = 100, int sampleRate = 16_000, double seconds = 0.5)
    {
        var samples = new float[(int)(sampleRate * seconds)];
        for (int i = 0; i < samples.Length; i++)
            samples[i] = 0.25f * MathF.Sin(i * 0.1f);
        samples[sampleIndex] = huge;
        var path = Combine(name);
        WavWriter.Write(path, samples, sampleRate, WavSampleFormat.Float32);
        return path;
    }

    /// <summary>A file named .wav that is not a WAV file.</summary>
    public string Corrupt(string name)
    {
        var path = Combine(name);
        File.WriteAllText(path, "this is not a RIFF file at all");
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
