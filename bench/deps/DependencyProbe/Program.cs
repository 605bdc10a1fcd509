// What NWaves 0.9.6 and NAudio 3.3.0 would give the front end, measured against QuantumKan.Audio on the same input.
// Every number README's "Dependencies" section quotes is printed here; nothing is hard-coded.
using System.Diagnostics;
using NAudio.Wave;
using NWaves.FeatureExtractors;
using NWaves.FeatureExtractors.Options;
using NWaves.Filters.Fda;
using NWaves.Operations;
using NWaves.Signals;
using NWaves.Windows;
using QuantumKan.Audio;
using QuantumKan.Audio.Mel;
using QuantumKan.Audio.Resampling;
using QuantumKan.Audio.Wav;

const int Rounds = 5;

// 1. The analysis window. torchaudio (and LogMelFeaturizer) use the periodic Hann window, 0.5 - 0.5 cos(2πn/N);
//    NWaves' WindowType.Hann is the symmetric one, 0.5 - 0.5 cos(2πn/(N-1)), and it has no periodic variant.
var nwavesHann = Window.OfType(WindowType.Hann, 512);
double windowGap = Enumerable.Range(0, 512).Max(n => Math.Abs(nwavesHann[n] - (0.5 - 0.5 * Math.Cos(2 * Math.PI * n / 512))));
Console.WriteLine($"window: NWaves WindowType values: {string.Join(", ", Enum.GetNames<WindowType>())}");
Console.WriteLine($"window: max |NWaves Hann(512) - periodic Hann(512)| = {windowGap:E2}");

// 2. Log-mel of 60 s at 16 kHz: 64 HTK mel bands, n_fft 512, hop 160, natural log, one thread each.
var random = new Random(1);
var signal = new float[60 * 16_000];
for (int i = 0; i < signal.Length; i++)
    signal[i] = (float)(0.3 * Math.Sin(2 * Math.PI * 440 * i / 16_000.0) + 0.1 * (random.NextDouble() * 2 - 1));
var ours = new LogMelFeaturizer(new LogMelOptions { SampleRate = 16_000, FftSize = 512, HopLength = 160, MelBands = 64 });
var nwaves = new FilterbankExtractor(new FilterbankOptions
{
    SamplingRate = 16_000, FrameSize = 512, HopSize = 160, FftSize = 512, Window = WindowType.Hann,
    FilterBank = FilterBanks.Triangular(512, 16_000, FilterBanks.MelBands(64, 16_000, 0, 8_000)),
    SpectrumType = NWaves.FeatureExtractors.Options.SpectrumType.Power, NonLinearity = NWaves.FeatureExtractors.Options.NonLinearityType.LogE,
    LogFloor = 1e-6f,
});
double oursMs = Median(() => ours.Featurize(signal));
double nwavesMs = Median(() => nwaves.ComputeFrom(signal));
Console.WriteLine($"log-mel 60 s: QuantumKan {oursMs:F1} ms, NWaves {nwavesMs:F1} ms, NWaves/QuantumKan {nwavesMs / oursMs:F1}x");

// 3. Resampling 10 s of three tones from 44.1 kHz to 16 kHz; the reference is the same tones computed at 16 kHz. The
//    tones stay below 6 kHz, out of both low-pass filters' transition bands, and each output is compared at the lag
//    (within ±100 samples) that suits it best, so neither filter's delay counts as error.
double[] tones = [440, 1_000, 5_000];
float[] Tones(int rate, int count) => Enumerable.Range(0, count).Select(i => (float)tones.Sum(f => 0.3 * Math.Sin(2 * Math.PI * f * i / rate))).ToArray();
var source = Tones(44_100, 441_000);
var reference = Tones(16_000, 160_000);
var sinc = SincResampler.Get(44_100, 16_000);
float[] oursOut = sinc.Resample(source);
float[] nwavesOut = new Resampler().Resample(new DiscreteSignal(44_100, source), 16_000).Samples;
double oursResampleMs = Median(() => sinc.Resample(source));
double nwavesResampleMs = Median(() => new Resampler().Resample(new DiscreteSignal(44_100, source), 16_000));
Console.WriteLine($"resample 10 s 44.1->16 kHz: QuantumKan {oursResampleMs:F1} ms, SNR {Snr(oursOut):F1} dB; NWaves {nwavesResampleMs:F1} ms, SNR {Snr(nwavesOut):F1} dB; NWaves/QuantumKan time {nwavesResampleMs / oursResampleMs:F0}x");

// 4. A truncated WAV: the header promises 1 s (16000 PCM16 samples), the file holds 5000.
var dir = Directory.CreateTempSubdirectory("qkan-deps-");
var full = Path.Combine(dir.FullName, "full.wav");
WavWriter.Write(full, Tones(16_000, 16_000), 16_000);
var bytes = File.ReadAllBytes(full);
var truncated = Path.Combine(dir.FullName, "truncated.wav");
File.WriteAllBytes(truncated, bytes[..(44 + 10_000)]);
string naudio;
try
{
    using var reader = new WaveFileReader(truncated);
    var buffer = new byte[bytes.Length];
    int read = 0, n;
    while ((n = reader.Read(buffer, read, buffer.Length - read)) > 0)
        read += n;
    naudio = $"returned {read / 2} samples of the 16000 the header declares, no exception";
}
catch (Exception ex)
{
    naudio = $"{ex.GetType().Name}: {ex.Message}";
}
string quantumKan;
try
{
    quantumKan = $"returned {WavDecoder.Decode(truncated).Channels[0].Length} samples, no exception";
}
catch (Exception ex)
{
    quantumKan = $"{ex.GetType().Name}: {ex.Message}";
}
Console.WriteLine($"truncated WAV: NAudio WaveFileReader {naudio}");
Console.WriteLine($"truncated WAV: QuantumKan WavDecoder {quantumKan}");
dir.Delete(recursive: true);

double Snr(float[] output)
{
    double best = double.NegativeInfinity;
    for (int lag = -100; lag <= 100; lag++)
    {
        // Skip 0.1 s at each end, where both resamplers see the zero padding beyond the signal.
        double signalPower = 0, noisePower = 0;
        for (int i = 1_600; i < Math.Min(output.Length, reference.Length) - 1_600; i++)
        {
            double e = output[i + lag] - reference[i];
            signalPower += reference[i] * (double)reference[i];
            noisePower += e * e;
        }
        best = Math.Max(best, 10 * Math.Log10(signalPower / noisePower));
    }
    return best;
}

static double Median(Action run)
{
    run(); // warm-up
    var times = new double[Rounds];
    for (int r = 0; r < Rounds; r++)
    {
        var clock = Stopwatch.StartNew();
        run();
        times[r] = clock.Elapsed.TotalMilliseconds;
    }
    Array.Sort(times);
    return times[Rounds / 2];
}
