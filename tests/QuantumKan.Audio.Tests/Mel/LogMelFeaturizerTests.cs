using QuantumKan.Audio;
using QuantumKan.Audio.Mel;
using QuantumKan.Audio.Resampling;
using QuantumKan.Audio.Wav;

namespace QuantumKan.Audio.Tests.Mel;

public class LogMelFeaturizerTests
{
    [Fact]
    public void Featurize_ClipAtAnotherRateIsMixedAndResampledFirst()
    {
        var f = new AudioFrontEnd();
        var left = FeatureLayoutTests.Chirp(44100, 200, 5000, rate: 44100);
        var right = left.Select(v => v * 0.5f).ToArray();
        var clip = new AudioClip(44100, [left, right]);

        var expected = f.Featurize(SincResampler.Resample(AudioClip.MixDown([left, right]), 44100, 16000));

        Assert.Equal(expected, f.Featurize(clip));
    }

    [Fact]
    public void Featurize_IsThreadSafe_ParallelCallsGiveTheSequentialResults()
    {
        var f = new AudioFrontEnd(new LogMelOptions { Layout = FeatureLayout.Pooled, PoolingSegments = 3 });
        var clips = Enumerable.Range(0, 32).Select(i => FeatureLayoutTests.Chirp(4000 + 300 * i, 100 + 50 * i, 7000 - 100 * i)).ToArray();
        var sequential = clips.Select(c => f.Featurize(c)).ToArray();
        var parallel = new float[clips.Length][];
        Parallel.For(0, clips.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = f.Featurize(clips[i]));
        for (int i = 0; i < clips.Length; i++)
            Assert.Equal(sequential[i], parallel[i]);
    }

    [Fact]
    public void FeaturizeFiles_ReturnsFeaturesInOrder_AndReportsBadFilesByIndex()
    {
        using var dir = new TempFolder("qk-batch-");
        var paths = new List<string>();
        for (int i = 0; i < 6; i++)
        {
            var path = dir.Combine($"clip{i}.wav");
            WavWriter.Write(path, FeatureLayoutTests.Chirp(8000 + 1000 * i, 300, 3000 + 500 * i, rate: 22050), 22050);
            paths.Add(path);
        }
        File.WriteAllBytes(paths[2], "not a wav file at all"u8.ToArray());
        paths.Add(dir.Combine("missing.wav"));
        var f = new AudioFrontEnd(new LogMelOptions { Layout = FeatureLayout.Pooled });

        var errors = new System.Collections.Concurrent.ConcurrentDictionary<int, Exception>();
        var results = f.FeaturizeFiles(paths, (i, ex) => errors[i] = ex);

        Assert.Equal([2, 6], errors.Keys.Order());
        Assert.IsType<AudioFormatException>(errors[2]);
        Assert.Equal(paths[2], ((AudioFormatException)errors[2]).FileName);
        Assert.IsType<FileNotFoundException>(errors[6]);
        Assert.Null(results[2]);
        Assert.Equal(f.FeaturizeFile(paths[4]), results[4]);

        var thrown = Assert.Throws<AudioFormatException>(() => f.FeaturizeFiles(paths[..3]));
        Assert.Equal(paths[2], thrown.FileName);
    }

    [Fact]
    public void Featurize_TooShortForOneFrameIsATypedErrorForFiles()
    {
        using var temp = new TempFolder("qk-short-");
        var path = temp.Combine("short.wav");
        WavWriter.Write(path, new float[100], 16000);
        var f = new AudioFrontEnd(new LogMelOptions { Center = false });
        var ex = Assert.Throws<AudioFormatException>(() => f.FeaturizeFile(path));
        Assert.Contains("100 samples", ex.Reason);
        Assert.Throws<ArgumentException>(() => new LogMelFeaturizer().Featurize(ReadOnlySpan<float>.Empty));
        Assert.Throws<AudioFormatException>(() => new AudioFrontEnd().Featurize(ReadOnlySpan<float>.Empty));
    }

    [Fact]
    public void Options_ValidateNamesTheBadField()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new AudioFrontEnd(new LogMelOptions { Power = 3 }));
        Assert.Equal("Power", ex.ParamName);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => new AudioFrontEnd(new LogMelOptions { FMax = 9000 }));
        Assert.Equal("FMax", ex.ParamName);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => new AudioFrontEnd(new LogMelOptions { WindowLength = 1024 }));
        Assert.Equal("WindowLength", ex.ParamName);
    }
}
