using QuantumKan.Audio;
using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using QuantumKan.Audio.Mel;
using QuantumKan.Bench.Audio;
using QuantumKan.Bench.Compare;
using QuantumKan.ML.Classification;
using QuantumKan.Training.Data;

namespace QuantumKan.Bench.Inference;

/// <summary>
/// Single-clip inference: ML.NET's <c>PredictionEngine</c> over LoadAudio(16 kHz) → MelSpectrogram (the bench's
/// pooled log-mel) → the default QuantumKan classifier, from a WAV path to scores; and its two halves, the featurization
/// of the file and the classifier on ready features. Clip: 2.5 s at 44.1 kHz (the bench set's mean length), so the
/// path includes resampling. The classifier is trained for one epoch on random features (speed does not depend on the
/// weights).
/// </summary>
[MemoryDiagnoser]
public class PredictionEngineBenchmarks
{
    private const int Classes = 8;
    private MLContext _ml = null!;
    private QuantumKanClassifierTransformer _classifier = null!;
    private PredictionEngine<InferencePhase.ClipInput, InferencePhase.ClipScores> _engine = null!;
    private readonly AudioFrontEnd _featurizer = new(BenchSettings.Mel);
    private readonly InferencePhase.ClipInput _input = new();
    private float[] _features = [];

    [GlobalSetup]
    public void Setup()
    {
        _input.Path = BenchClips.Ensure("clip_2500ms_44k.wav", 44100, 2.5);
        _features = _featurizer.FeaturizeFile(_input.Path);
        int d = _features.Length, rows = 64;
        var random = new Random(1);
        var x = Enumerable.Range(0, rows * d).Select(_ => (float)random.NextDouble()).ToArray();
        var y = Enumerable.Range(0, rows * Classes).Select(i => i % 3 == 0 ? 1f : 0f).ToArray();
        _ml = new MLContext(seed: 1);
        var options = new QuantumKanClassifierOptions { Training = new QuantumKanClassifierOptions().Training with { Epochs = 1, ValidateEveryEpochs = 0 } };
        _classifier = _ml.MultiLabelClassification().Trainers.QuantumKan(options)
            .Fit(new InMemoryFeatureSource(x, [d], y, Classes), null, Enumerable.Range(0, Classes).Select(i => $"class{i}").ToArray());
        _engine = InferencePhase.CreateEngine(_ml, _classifier);
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();

    [Benchmark(Baseline = true, Description = "PredictionEngine: WAV path → scores")]
    public float[] Engine() => _engine.Predict(_input).Score;

    [Benchmark(Description = "featurize the file (decode, resample, log-mel, pool)")]
    public float[] Featurize() => _featurizer.FeaturizeFile(_input.Path);

    [Benchmark(Description = "classifier on ready features (Predict)")]
    public float[] Classify() => _classifier.Predict(_features).Scores;
}
