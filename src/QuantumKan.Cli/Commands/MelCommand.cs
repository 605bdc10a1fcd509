using System.CommandLine;
using QuantumKan.Audio;
using QuantumKan.Audio.Mel;
using QuantumKan.Audio.Resampling;
using QuantumKan.Audio.Wav;
using QuantumKan.Cli.Options;
using QuantumKan.Data;

namespace QuantumKan.Cli.Commands;

/// <summary><c>qkan mel</c> and <c>qkan decode</c>: a clip's log-mel features or samples as NumPy .npy float32.</summary>
internal static class MelCommand
{
    public static Command CreateMel(CliConsole console)
    {
        var wav = CommonOptions.Wav("The WAV file.");
        var output = Out();
        var frontEnd = new MelOptionSet(new LogMelOptions(), fixedSizeOnly: false);
        var command = new Command("mel", "Write a clip's log-mel features as .npy float32 (frames × mels, or the shape of the chosen layout).") { wav, output };
        frontEnd.AddTo(command);
        command.SetAction(parse =>
        {
            var options = frontEnd.Read(parse.CommandResult);
            var path = CommonOptions.RequireAudioFile(parse.GetValue(wav)!);
            var features = new AudioFrontEnd(options).FeaturizeFile(path);
            int[] shape = ShapeOf(options, features.Length);
            Save(console, parse.GetValue(output)!, features, shape, $"log-mel ({options.Layout}, {options.MelBands} mels at {options.SampleRate} Hz)");
            return CliApp.Success;
        });
        return command;
    }

    public static Command CreateDecode(CliConsole console)
    {
        var wav = CommonOptions.Wav("The WAV file.");
        var output = Out();
        var rate = new Option<int?>("--sample-rate") { Description = "Resample to this rate in Hz. Default: the file's own rate." };
        var keep = new Option<bool>("--keep-channels") { Description = "Keep the channels apart (shape channels × samples) instead of mixing to mono." };
        var command = new Command("decode", "Write a clip's samples in [−1, 1] as .npy float32 (mono mix by default).") { wav, output, rate, keep };
        command.Validators.Add(r =>
        {
            if (r.GetValue(rate) is { } hz && hz is < 1 or > 768_000)
                r.AddError($"--sample-rate must be between 1 and 768000 Hz, got {hz}.");
        });
        command.SetAction(parse =>
        {
            var path = CommonOptions.RequireAudioFile(parse.GetValue(wav)!);
            bool keepChannels = parse.GetValue(keep);
            var clip = WavDecoder.Decode(path, WavDecodeOptions.Default with { Channels = keepChannels ? ChannelPolicy.KeepChannels : ChannelPolicy.MixToMono });
            int targetRate = parse.GetValue(rate) ?? clip.SampleRate;
            var channels = clip.Channels
                .Select(c => targetRate == clip.SampleRate ? c : SincResampler.Get(clip.SampleRate, targetRate).Resample(c))
                .ToArray();
            var samples = channels.SelectMany(c => c).ToArray();
            int[] shape = keepChannels ? [channels.Length, channels[0].Length] : [channels[0].Length];
            Save(console, parse.GetValue(output)!, samples, shape, $"samples at {targetRate} Hz ({clip.DurationSeconds:F3} s, {clip.ChannelCount} channel(s) in the file)");
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>The array shape of featurized output: the layout's patch shape, with the leading count derived from the length.</summary>
    internal static int[] ShapeOf(LogMelOptions o, int length) => o.Layout switch
    {
        FeatureLayout.Pooled => [o.PoolingSegments, o.StatisticCount, o.MelBands],
        FeatureLayout.FixedFrames => [o.FixedFrames, o.MelBands],
        FeatureLayout.Patches => [length / (o.PatchFrames * o.MelBands), o.PatchFrames, o.MelBands],
        _ => [length / o.MelBands, o.MelBands],
    };

    private static Option<string> Out() => new("--out", "-o") { Description = "The .npy file to write.", HelpName = "file.npy", Required = true };

    private static void Save(CliConsole console, string path, float[] values, int[] shape, string what)
    {
        var full = Path.GetFullPath(path);
        NpyWriter.Write(full, values, shape);
        console.Out.WriteLine($"Wrote {what}, shape ({string.Join(", ", shape)}), float32, to {full}");
    }
}
