using QuantumKan.Audio;
using System.Buffers.Binary;
using QuantumKan.Audio.Mel;
using QuantumKan.Audio.Resampling;
using QuantumKan.Audio.Wav;

namespace QuantumKan.Audio.Tests.Mel;

/// <summary>
/// FeaturizeFile streams (decode → resample → STFT → mel a chunk at a time); its features must equal the whole-clip
/// path's, <c>Featurize(WavDecoder.Decode(path))</c>, bit for bit: over rates that need resampling up and down, formats,
/// channel counts, odd lengths, every layout and scale, and chunk sizes that put boundaries everywhere.
/// </summary>
public sealed class StreamedFeaturizationTests : IDisposable
{
    // The WAV files each test writes; a new folder for every test (and every theory case).
    private readonly TempFolder _temp = new("qk-stream-");

    public void Dispose() => _temp.Dispose();

    public static TheoryData<int> Seeds => new(Enumerable.Range(0, 24));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Streamed_EqualsWholeClip_BitForBit(int seed)
    {
        var random = new Random(seed);
        int rate = Pick(random, 16000, 16000, 44100, 22050, 48000, 8000, 11025);
        int channels = random.Next(1, 3);
        var format = Pick(random, WavSampleFormat.Pcm16, WavSampleFormat.Pcm24, WavSampleFormat.Float32, WavSampleFormat.Pcm8);
        // Odd lengths: shorter than a window, a little over one, and a few seconds.
        int length = Pick(random, 1, 7, 255, 513, 1601, 12_345, 40_001 + random.Next(20_000));
        var options = Pick(random, OptionVariants);
        var path = WriteClip(random, rate, channels, format, length);
        var featurizer = new AudioFrontEnd(options);
        float[]? whole;
        try
        {
            whole = featurizer.Featurize(WavDecoder.Decode(path));
        }
        catch (AudioFormatException)
        {
            whole = null; // too short for one frame: the streamed path must refuse it too
        }
        foreach (int chunkFrames in new[] { 1, 97, 1000, 16384 })
            foreach (int resampledChunk in new[] { 1, 333, 8192 })
            {
                if (chunkFrames == 1 && length > 2000 || resampledChunk == 1 && length > 2000)
                    continue; // one sample at a time is slow; the short clips cover it
                using var reader = WavMonoReader.Open(path, chunkFrames: chunkFrames);
                if (whole is null)
                {
                    Assert.Throws<ArgumentException>(() => StreamedFeaturization.Featurize(featurizer.Mel, reader, resampledChunk));
                    continue;
                }
                var streamed = StreamedFeaturization.Featurize(featurizer.Mel, reader, resampledChunk);
                AssertBitIdentical(whole, streamed, $"{rate} Hz, {channels} ch, {format}, {length} frames, {Describe(options)}, chunks {chunkFrames}/{resampledChunk}");
            }
        // LoadAudio's streamed decode: the mono mix at the feature rate, as decoding and resampling whole gives it.
        var clip = WavDecoder.Decode(path);
        AssertBitIdentical(SincResampler.Resample(clip.Mono, clip.SampleRate, options.SampleRate), WavDecoder.DecodeMono(path, options.SampleRate), "DecodeMono");
        if (whole is not null)
            AssertBitIdentical(whole, featurizer.FeaturizeFile(path), "FeaturizeFile");
        else
            Assert.Throws<AudioFormatException>(() => featurizer.FeaturizeFile(path));
    }

    [Fact]
    public void ResamplerStream_EqualsWholeResampling_AtEveryChunkSize()
    {
        var random = new Random(3);
        foreach (var (from, to) in new[] { (44100, 16000), (16000, 44100), (48000, 22050), (8000, 16000) })
            foreach (int length in new[] { 1, 2, 440, 4411, 9999 })
            {
                var input = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
                var kernel = SincResampler.Get(from, to);
                var whole = kernel.Resample(input);
                foreach (int chunk in new[] { 1, 13, 441, 5000 })
                {
                    var stream = kernel.CreateStream(length);
                    var output = new List<float>();
                    var buffer = new float[37];
                    for (int start = 0; start < length; start += chunk)
                    {
                        stream.Append(input.AsSpan(start, Math.Min(chunk, length - start)));
                        int n;
                        while ((n = stream.Drain(buffer)) > 0)
                            output.AddRange(buffer.AsSpan(0, n).ToArray());
                    }
                    Assert.True(stream.IsFinished);
                    AssertBitIdentical(whole, output.ToArray(), $"{from}→{to}, {length} samples, chunk {chunk}");
                }
            }
    }

    [Fact]
    public void Streamed_NamesABadFloatSampleInALaterChunk_AsTheWholeFileDecoderDoes()
    {
        var samples = new float[50_000];
        for (int i = 0; i < samples.Length; i++)
            samples[i] = MathF.Sin(i * 0.01f) * 0.5f;
        var path = _temp.Combine("nan.wav");
        WavWriter.Write(path, samples, 16000, WavSampleFormat.Float32);
        // Poison frame 40,000 (far past the first chunk) in place.
        var info = WavDecoder.ReadInfo(path);
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.Position = info.DataOffset + 40_000 * 4;
            var nan = new byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(nan, float.NaN);
            file.Write(nan);
        }
        var whole = Assert.Throws<AudioFormatException>(() => WavDecoder.Decode(path));
        var streamed = Assert.Throws<AudioFormatException>(() => new AudioFrontEnd().FeaturizeFile(path));
        Assert.Equal(whole.Reason, streamed.Reason);
        Assert.Contains("sample 40000 of channel 0 is NaN", streamed.Reason);
    }

    private static readonly LogMelOptions[] OptionVariants =
    [
        new(),
        new() { Layout = FeatureLayout.Pooled, PoolingStatistics = PoolingStatistics.Mean | PoolingStatistics.Std | PoolingStatistics.Max, PoolingSegments = 3 },
        new() { Layout = FeatureLayout.Pooled, MelBands = 13 },                                        // blocks of 8 frames
        new() { Layout = FeatureLayout.Pooled, OutputScale = MelOutputScale.Decibels, TopDb = null, MelBands = 20 },
        new() { Layout = FeatureLayout.Pooled, OutputScale = MelOutputScale.Decibels, PoolingSegments = 2 }, // top_db: the whole clip's frames
        new() { OutputScale = MelOutputScale.Decibels, Power = 1, Center = false, WindowLength = 400, HopLength = 123 },
        new() { Layout = FeatureLayout.FixedFrames, FixedFrames = 37, PadMode = PadMode.Constant },
        new() { Layout = FeatureLayout.Patches, PatchSeconds = 0.5, SampleRate = 22050, FftSize = 1024, HopLength = 256, MelBands = 40 },
        new() { OutputScale = MelOutputScale.Power, SampleRate = 8000, FftSize = 256, HopLength = 80, MelBands = 24 },
    ];

    private static string Describe(LogMelOptions o) =>
        $"{o.Layout} {o.OutputScale} top_db {o.TopDb} {o.SampleRate} Hz n_fft {o.FftSize} hop {o.HopLength} mels {o.MelBands} center {o.Center} {o.PadMode}";

    [Theory]
    [InlineData(AudioFrontEnd.WholeClipSeconds - 1)]
    [InlineData(AudioFrontEnd.WholeClipSeconds + 1)]
    public void FeaturizeFile_ReadsShortClipsWhole_AndStreamsLongOnes_WithTheSameFeatures(int seconds)
    {
        // Either side of the threshold: FeaturizeFile (whole below it, streamed above) equals featurizing the decoded
        // signal, and equals the streamed path run directly.
        const int rate = 8000;
        var path = WriteClip(new Random(seconds), rate, 2, WavSampleFormat.Pcm16, seconds * rate);
        var frontEnd = new AudioFrontEnd(new LogMelOptions { Layout = FeatureLayout.Pooled, PoolingSegments = 3 });
        var expected = frontEnd.Mel.Featurize(frontEnd.Signal.Read(path));
        AssertBitIdentical(expected, frontEnd.FeaturizeFile(path), $"{seconds} s");
        using var reader = WavMonoReader.Open(path);
        AssertBitIdentical(expected, StreamedFeaturization.Featurize(frontEnd.Mel, reader), $"{seconds} s, streamed");
    }

    private string WriteClip(Random random, int rate, int channels, WavSampleFormat format, int length)
    {
        var data = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            data[c] = new float[length];
            double f = 200 + random.NextDouble() * 3000;
            for (int i = 0; i < length; i++)
                data[c][i] = (float)(0.4 * Math.Sin(2 * Math.PI * f * i / rate) + 0.2 * (random.NextDouble() * 2 - 1));
        }
        var path = _temp.Combine($"clip-{Guid.NewGuid():N}.wav");
        using var file = File.Create(path);
        WavWriter.Write(file, data, rate, format);
        return path;
    }

    private static T Pick<T>(Random random, params T[] choices) => choices[random.Next(choices.Length)];

    private static void AssertBitIdentical(float[] expected, float[] actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}: value {i} is {actual[i]:R}, expected {expected[i]:R}");
    }
}
