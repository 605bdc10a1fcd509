using QuantumKan.Audio.Wav;

namespace QuantumKan.Bench.Audio;

/// <summary>
/// The benchmark clips, written once to a folder shared with bench/reference/featurize.py, which writes the same
/// content (same formula, 16-bit PCM mono) when it runs first: 1 s at 16 kHz and 10 s at 44.1 kHz.
/// </summary>
internal static class BenchClips
{
    public static string Folder => Environment.GetEnvironmentVariable("QKAN_BENCH_AUDIO") ?? Path.Combine(Path.GetTempPath(), "qkan-bench-audio");

    public static string Short => Ensure("clip_1s_16k.wav", 16000, 1.0);

    public static string Long => Ensure("clip_10s_44k.wav", 44100, 10.0);

    public static string Ensure(string name, int rate, double seconds)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name);
        if (!File.Exists(path))
            WavWriter.Write(path, Signal(rate, seconds), rate);
        return path;
    }

    // Two tones, a chirp and a pseudo-random hiss: x = 0.3 sin(2π 440 t) + 0.2 sin(2π 3150 t) + 0.2 chirp + 0.05 noise.
    public static float[] Signal(int rate, double seconds)
    {
        int n = (int)Math.Round(rate * seconds);
        var x = new float[n];
        uint state = 12345;
        for (int i = 0; i < n; i++)
        {
            double t = (double)i / rate;
            state = state * 1664525 + 1013904223;
            double noise = (state >> 8) / (double)(1 << 24) * 2 - 1;
            x[i] = (float)(0.3 * Math.Sin(2 * Math.PI * 440 * t) + 0.2 * Math.Sin(2 * Math.PI * 3150 * t)
                + 0.2 * Math.Sin(2 * Math.PI * (100 * t + (0.45 * rate - 100) * t * t / (2 * seconds))) + 0.05 * noise);
        }
        return x;
    }
}
