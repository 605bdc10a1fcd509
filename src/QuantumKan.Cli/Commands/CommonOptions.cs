using System.CommandLine;
using QuantumKan.Cli.Options;
using QuantumKan.Audio.Mel;

namespace QuantumKan.Cli.Commands;

/// <summary>Options several commands share, defined once so they read the same everywhere.</summary>
internal static class CommonOptions
{
    /// <summary>The full path of an audio file the user named, or a <see cref="FileNotFoundException"/> naming it (exit 1).</summary>
    public static string RequireAudioFile(string path)
    {
        var full = Path.GetFullPath(path);
        return File.Exists(full) ? full : throw new FileNotFoundException($"Audio file '{full}' does not exist.", full);
    }

    public static Option<string> Model() => new("--model", "-m")
    {
        Description = "The model zip written by 'qkan train' (or any ML.NET zip with LoadAudio → MelSpectrogram → QuantumKan classifier), or an .onnx file written by 'qkan export'.",
        HelpName = "model.zip",
        Required = true,
    };

    public static Option<int> Top(int defaultValue) => new Option<int>("--top", "-k")
    {
        Description = "How many results to show.",
        DefaultValueFactory = _ => defaultValue,
    }.InRange(1, 100_000);

    public static Argument<string> Wav(string description) => new("wav") { Description = description };

    /// <summary>
    /// The front end a classifier trains on by default: 64 log-mel bands at 16 kHz, mean and standard deviation per band
    /// over 4 equal time segments (512 values per clip). The segments keep coarse temporal order, which is what tells
    /// a rising chirp from a falling one; whole-clip pooling cannot.
    /// </summary>
    public static LogMelOptions ClassifierFrontEnd { get; } = new() { Layout = FeatureLayout.Pooled, PoolingSegments = 4 };
}
