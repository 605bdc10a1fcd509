using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using QuantumKan.Audio;
using QuantumKan.Audio.Mel;
using QuantumKan.Audio.Wav;
using QuantumKan.Bench.Compare;

namespace QuantumKan.Bench.Audio;

/// <summary>
/// Peak RSS against clip length (reliability issue, item 4): writes 16-bit mono WAV clips of growing length, then
/// featurizes each in a fresh child process, streamed (<see cref="LogMelFeaturizer.FeaturizeFile"/>) and whole
/// (<c>Featurize(WavDecoder.Decode(path))</c>, the path before streaming), with the frame layout (output: frames × 64
/// mels) and the pooled one (output: 128 values), and prints one markdown row per clip with each child's VmHWM.
/// </summary>
internal static class LongClipMemoryRun
{
    private static readonly string[] Modes = ["baseline", "streamed-frames", "streamed-pooled", "whole-frames", "whole-pooled"];

    public static Command Command()
    {
        var dir = new Option<string>("--dir") { Description = "Folder for the generated clips (deleted clip by clip).", DefaultValueFactory = _ => Path.GetTempPath() };
        var minutes = new Option<string>("--minutes") { Description = "Clip lengths in minutes, comma-separated.", DefaultValueFactory = _ => "1,5,15,30,60,120,200" };
        var rate = new Option<int>("--rate") { Description = "Sample rate of the clips (resampled to 16 kHz).", DefaultValueFactory = _ => 44_100 };
        var wholeUpTo = new Option<double>("--whole-up-to") { Description = "Longest clip (minutes) also featurized whole; longer ones would need GBs.", DefaultValueFactory = _ => 60 };
        var command = new Command("long-clip-memory", "Peak RSS of featurizing one long WAV clip, streamed and whole, against its length (fresh process each).")
        {
            dir, minutes, rate, wholeUpTo,
        };
        command.SetAction(p => Execute(p.GetValue(dir)!, p.GetValue(minutes)!, p.GetValue(rate), p.GetValue(wholeUpTo)));
        var path = new Option<string>("--path") { Required = true };
        var mode = new Option<string>("--mode") { Required = true };
        var child = new Command("long-clip-memory-child", "One measurement of long-clip-memory (runs in its own process).") { path, mode };
        child.SetAction(p => Measure(p.GetValue(path)!, p.GetValue(mode)!));
        command.Subcommands.Add(child);
        return command;
    }

    private static int Execute(string dir, string minutesList, int rate, double wholeUpTo)
    {
        var lengths = minutesList.Split(',').Select(m => double.Parse(m, CultureInfo.InvariantCulture)).ToArray();
        Console.WriteLine($"# long-clip-memory: 16-bit mono {rate} Hz clips → 16 kHz log-mel (n_fft 512, hop 160, 64 mels); peak RSS (VmHWM) in MB of a fresh process each");
        Console.WriteLine("| clip | file MB | baseline | streamed, frames | streamed, pooled | whole, frames | whole, pooled | frames output MB |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (double minutes in lengths)
        {
            var path = Path.Combine(dir, $"qkan-long-{minutes.ToString(CultureInfo.InvariantCulture)}min.wav");
            long frames = (long)(minutes * 60 * rate);
            WriteClip(path, frames, rate);
            try
            {
                var cells = new List<string>();
                string? outputMb = null;
                foreach (var mode in Modes)
                {
                    if (mode.StartsWith("whole", StringComparison.Ordinal) && minutes > wholeUpTo)
                    {
                        cells.Add("–");
                        continue;
                    }
                    var (peak, values, seconds) = RunChild(path, mode);
                    cells.Add($"{peak:F0} ({seconds:F1} s)");
                    if (mode == "streamed-frames")
                        outputMb = (values * 4 / 1e6).ToString("F0", CultureInfo.InvariantCulture);
                }
                Console.WriteLine($"| {minutes} min | {new FileInfo(path).Length / 1e6:F0} | {string.Join(" | ", cells)} | {outputMb} |");
            }
            finally
            {
                File.Delete(path);
            }
        }
        return 0;
    }

    private static (double PeakMb, long Values, double Seconds) RunChild(string path, string mode)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        start.ArgumentList.Add(typeof(LongClipMemoryRun).Assembly.Location);
        foreach (var a in new[] { "long-clip-memory", "long-clip-memory-child", "--path", path, "--mode", mode })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("peak_rss_mb=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{mode} on {path} printed no result (exit {process.ExitCode}): {output}");
        var fields = line.Split(' ').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1]);
        return (double.Parse(fields["peak_rss_mb"], CultureInfo.InvariantCulture), long.Parse(fields["values"], CultureInfo.InvariantCulture),
            double.Parse(fields["seconds"], CultureInfo.InvariantCulture));
    }

    private static int Measure(string path, string mode)
    {
        var layout = mode.EndsWith("pooled", StringComparison.Ordinal) ? FeatureLayout.Pooled : FeatureLayout.Frames;
        var featurizer = new AudioFrontEnd(new LogMelOptions { Layout = layout });
        var clock = Stopwatch.StartNew();
        float[] features = mode switch
        {
            "baseline" => [],
            "streamed-frames" or "streamed-pooled" => featurizer.FeaturizeFile(path),
            _ => featurizer.Featurize(WavDecoder.Decode(path)),
        };
        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(FormattableString.Invariant($"peak_rss_mb={ProcessMemory.PeakRssMb():F1} values={features.LongLength} seconds={seconds:F2}"));
        return 0;
    }

    // A 16-bit mono clip written in blocks (a tone sweeping over the band, plus noise), so the writer needs no memory.
    private static void WriteClip(string path, long frames, int rate)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new BinaryWriter(file);
        long dataBytes = frames * 2;
        writer.Write("RIFF"u8);
        writer.Write((uint)Math.Min(uint.MaxValue, 36 + dataBytes));
        writer.Write("WAVEfmt "u8);
        writer.Write(16u);
        writer.Write((ushort)1);
        writer.Write((ushort)1);
        writer.Write(rate);
        writer.Write(rate * 2);
        writer.Write((ushort)2);
        writer.Write((ushort)16);
        writer.Write("data"u8);
        writer.Write((uint)dataBytes);
        var random = new Random(1);
        var block = new byte[1 << 16];
        double phase = 0;
        for (long i = 0; i < frames;)
        {
            int n = (int)Math.Min(block.Length / 2, frames - i);
            for (int k = 0; k < n; k++, i++)
            {
                double frequency = 200 + 3000 * (0.5 + 0.5 * Math.Sin(i * 2e-6));
                phase += 2 * Math.PI * frequency / rate;
                double value = 0.3 * Math.Sin(phase) + 0.05 * (random.NextDouble() * 2 - 1);
                short sample = (short)Math.Round(value * 32767);
                block[2 * k] = (byte)sample;
                block[2 * k + 1] = (byte)(sample >> 8);
            }
            file.Write(block, 0, 2 * n);
        }
    }
}
