using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.Audio;
using QuantumKan.Audio.Mel;
using QuantumKan.Audio.Wav;
using QuantumKan.ML.Audio;

namespace QuantumKan.ML.Tests.Audio;

public sealed class ClipPath
{
    public string Path { get; set; } = "";
}

public sealed class ClipBytes
{
    public byte[] Bytes { get; set; } = [];
}

public sealed class PooledMel
{
    [VectorType(2 * 2 * 32)]
    public float[] Mel { get; set; } = [];
}

public sealed class AudioTransformsTests : IDisposable
{
    private static readonly LogMelOptions Pooled = new()
    {
        SampleRate = 16000, MelBands = 32, Layout = FeatureLayout.Pooled, PoolingSegments = 2,
        PoolingStatistics = PoolingStatistics.Mean | PoolingStatistics.Max,
    };

    private readonly TempFolder _dir = new("qk-ml-audio-");

    public void Dispose() => _dir.Dispose();

    private string WriteClip(string name, int rate, double hz, double seconds = 0.5, int channels = 1)
    {
        int n = (int)(rate * seconds);
        var data = Enumerable.Range(0, channels)
            .Select(c => Enumerable.Range(0, n).Select(i => (float)(0.4 * Math.Sin(2 * Math.PI * hz * (c + 1) * i / rate))).ToArray()).ToArray();
        var path = Path.Combine(_dir.Path, name);
        using (var fs = File.Create(path))
            WavWriter.Write(fs, data, rate, WavSampleFormat.Pcm16);
        return path;
    }

    private static MLContext NewContext() => new(seed: 1);

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void Pipeline_with_signal_options_equals_the_front_end_with_the_same_options(int channel)
    {
        // One front end: LoadAudio → MelSpectrogram with SignalOptions gives the features AudioFrontEnd (the cache's and
        // qkan's path) gives with the same options, for a stereo clip at another rate; channel 1 is not the mix.
        var ml = NewContext();
        var path = WriteClip("stereo.wav", 44100, 500, seconds: 0.7, channels: 2);
        var signal = new SignalOptions { Channel = channel };
        var data = ml.Data.LoadFromEnumerable(new[] { new ClipPath { Path = path } });
        var pipeline = ml.Transforms.LoadAudio(new LoadAudioOptions { SampleRate = 16000, Signal = signal })
            .Append(ml.Transforms.MelSpectrogram("Mel", "Audio", Pooled));
        var row = pipeline.Fit(data).Transform(data).GetColumn<float[]>("Mel").Single();

        Assert.Equal(new AudioFrontEnd(Pooled, signal).FeaturizeFile(path), row);
        var mix = new AudioFrontEnd(Pooled).FeaturizeFile(path);
        if (channel >= 0)
            Assert.NotEqual(mix, row);
        else
            Assert.Equal(mix, row);
    }

    [Fact]
    public void Loaded_classifier_front_end_is_made_of_the_pipelines_own_stages()
    {
        var ml = NewContext();
        var folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "SavedModels");
        var model = AudioClassifier.Load(ml, Path.Combine(folder, "m-temporal-cheb.zip"));
        Assert.Same(model.Loader.Reader, model.FrontEnd.Signal);
        Assert.Same(model.Mel.Featurizer, model.FrontEnd.Mel);
        // A clip featurized by the front end (as the cache and qkan similar do) equals the pipeline's Features column.
        var clip = Path.Combine(folder, "clip-b.wav");
        var features = model.Chain.Transform(ml.Data.LoadFromEnumerable(new[] { new AudioPathInput { Path = clip } }))
            .GetColumn<float[]>(AudioClassifier.FeatureColumn).Single();
        Assert.Equal(model.FrontEnd.FeaturizeFile(clip), features);
    }

    [Fact]
    public void Pipeline_LoadsResamplesAndFeaturizes_LikeTheFunctionalCore()
    {
        var ml = NewContext();
        var paths = new[] { WriteClip("a.wav", 44100, 440), WriteClip("b.wav", 22050, 1000, channels: 2), WriteClip("c.wav", 16000, 3000) };
        var data = ml.Data.LoadFromEnumerable(paths.Select(p => new ClipPath { Path = p }));
        var pipeline = ml.Transforms.LoadAudio("Audio", "Path", sampleRate: 16000).Append(ml.Transforms.MelSpectrogram("Mel", "Audio", Pooled));

        var model = pipeline.Fit(data);
        var output = model.Transform(data);

        var melColumn = output.Schema["Mel"];
        Assert.Equal(128, ((VectorDataViewType)melColumn.Type).Size);
        var rows = output.GetColumn<float[]>("Mel").ToArray();
        var featurizer = new AudioFrontEnd(Pooled);
        for (int i = 0; i < paths.Length; i++)
            Assert.Equal(featurizer.FeaturizeFile(paths[i]), rows[i]);
        Assert.False(((VectorDataViewType)output.Schema["Audio"].Type).IsKnownSize);
    }

    [Fact]
    public void LoadAudio_ReadsABytesColumn()
    {
        var ml = NewContext();
        var path = WriteClip("bytes.wav", 16000, 500);
        var data = ml.Data.LoadFromEnumerable([new ClipBytes { Bytes = File.ReadAllBytes(path) }]);

        var output = ml.Transforms.LoadAudio("Audio", "Bytes").Fit(data).Transform(data);

        Assert.Equal(WavDecoder.Decode(path).Mono, output.GetColumn<float[]>("Audio").Single());
    }

    [Fact]
    public void PredictionEngine_FeaturizesOneClip_AndSaveLoadPredictsTheSame()
    {
        var ml = NewContext();
        var path = WriteClip("one.wav", 48000, 700);
        var data = ml.Data.LoadFromEnumerable([new ClipPath { Path = path }]);
        var model = ml.Transforms.LoadAudio("Audio", "Path", sampleRate: 16000).Append(ml.Transforms.MelSpectrogram("Mel", "Audio", Pooled)).Fit(data);
        var before = ml.Model.CreatePredictionEngine<ClipPath, PooledMel>(model).Predict(new ClipPath { Path = path }).Mel;

        var zip = Path.Combine(_dir.Path, "model.zip");
        ml.Model.Save(model, data.Schema, zip);
        var fresh = NewContext().RegisterQuantumKan();
        var loaded = fresh.Model.Load(zip, out var schema);
        var after = fresh.Model.CreatePredictionEngine<ClipPath, PooledMel>(loaded, inputSchema: schema).Predict(new ClipPath { Path = path }).Mel;

        Assert.Equal(new AudioFrontEnd(Pooled).FeaturizeFile(path), before);
        Assert.Equal(before, after);
    }

    [Fact]
    public void Transform_BadClipThrowsTheTypedErrorNamingTheFile()
    {
        var ml = NewContext();
        var good = WriteClip("good.wav", 16000, 440);
        var bad = Path.Combine(_dir.Path, "bad.wav");
        File.WriteAllBytes(bad, "RIFF\0\0\0\0WAVEjunk"u8.ToArray());
        var data = ml.Data.LoadFromEnumerable(new[] { good, bad }.Select(p => new ClipPath { Path = p }));

        var output = ml.Transforms.LoadAudio().Fit(data).Transform(data);

        var ex = Assert.Throws<AudioFormatException>(() => output.GetColumn<float[]>("Audio").ToArray());
        Assert.Equal(bad, ex.FileName);
    }

    [Fact]
    public void Transform_SkipRowLeavesBadClipsOutAndReportsThem()
    {
        var ml = NewContext();
        var paths = new[]
        {
            WriteClip("ok1.wav", 16000, 440),
            Path.Combine(_dir.Path, "missing.wav"),
            WriteClip("ok2.wav", 22050, 880),
            Path.Combine(_dir.Path, "text.wav"),
        };
        File.WriteAllText(paths[3], "hello");
        var data = ml.Data.LoadFromEnumerable(paths.Select(p => new ClipPath { Path = p }));
        var reported = new List<BadClip>();
        var pipeline = ml.Transforms.LoadAudio(new LoadAudioOptions { OnBadClip = BadClipPolicy.SkipRow, BadClipReported = reported.Add })
            .Append(ml.Transforms.MelSpectrogram("Mel", "Audio", Pooled));

        var output = pipeline.Fit(data).Transform(data);
        var keptPaths = output.GetColumn<string>("Path").ToArray();
        var mel = output.GetColumn<float[]>("Mel").ToArray();

        Assert.Equal([paths[0], paths[2]], keptPaths);
        Assert.Equal(2, mel.Length);
        Assert.All(mel, m => Assert.Contains(m, v => v != 0));
        Assert.Equal([1L, 3L, 1L, 3L], reported.Select(r => r.Row)); // two cursors, same rows each time
        Assert.Equal(paths[3], reported[1].Source);
        Assert.IsType<FileNotFoundException>(reported[0].Error);
    }

    [Fact]
    public void Fit_FailsEarlyNamingTheColumnAndExpectedType()
    {
        var ml = NewContext();
        var data = ml.Data.LoadFromEnumerable([new PooledMel { Mel = new float[128] }]);

        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.LoadAudio("Audio", "Path").Fit(data));
        Assert.Contains("'Path'", missing.Message);
        var wrongType = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.LoadAudio("Audio", "Mel").Fit(data));
        Assert.Contains("'Mel'", wrongType.Message);
        Assert.Contains("Text", wrongType.Message);

        var shape = new SchemaShape(data.Schema.Select(c => SchemaShapes.ToShape(c.Type, c.Name)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.MelSpectrogram("X", "Nope").GetOutputSchema(shape));
        var outShape = ml.Transforms.MelSpectrogram("Pooled", "Mel", Pooled).GetOutputSchema(shape);
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, outShape.Single(c => c.Name == "Pooled").Kind);
        Assert.Equal(SchemaShape.Column.VectorKind.VariableVector,
            ml.Transforms.MelSpectrogram("Frames", "Mel").GetOutputSchema(shape).Single(c => c.Name == "Frames").Kind);
    }

    [Fact]
    public void MelSpectrogram_RefusesAudioAtAnotherSampleRate()
    {
        var ml = NewContext();
        var data = ml.Data.LoadFromEnumerable([new ClipPath { Path = WriteClip("r.wav", 16000, 440) }]);
        var pipeline = ml.Transforms.LoadAudio("Audio", "Path", sampleRate: 22050).Append(ml.Transforms.MelSpectrogram("Mel", "Audio", Pooled));

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.Fit(data));
        Assert.Contains("22050 Hz", ex.Message);
    }

    [Fact]
    public void MelSpectrogram_InvalidOptionsFailWhenTheEstimatorIsBuilt()
    {
        var ml = NewContext();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.MelSpectrogram("Mel", "Audio", new LogMelOptions { MelBands = 0 }));
        Assert.Equal("MelBands", ex.ParamName);
    }
}
