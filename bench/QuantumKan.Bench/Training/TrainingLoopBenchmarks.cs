using BenchmarkDotNet.Attributes;
using QuantumKan.Training.Data;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;

namespace QuantumKan.Bench.Training;

/// <summary>
/// Training throughput of the loop at batch 32 on precomputed pooled features: one epoch of 2048 clips per operation,
/// so clips/s = 2048 / mean time. Multi-label (200 classes, FSD50K-sized head), no validation, checkpoints in memory.
/// </summary>
[MemoryDiagnoser]
public class TrainingLoopBenchmarks
{
    private const int Clips = 2048;
    private const int Features = 128;
    private const int Classes = 200;
    private InMemoryFeatureSource _train = null!;
    private PooledFeatureMlp _model = null!;

    [Params(1, 4)]
    public int AccumulationSteps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var x = Enumerable.Range(0, Clips * Features).Select(_ => (float)random.NextDouble()).ToArray();
        var y = Enumerable.Range(0, Clips * Classes).Select(_ => random.Next(100) < 2 ? 1f : 0f).ToArray();
        _train = new InMemoryFeatureSource(x, [Features], y, Classes);
        _model = new PooledFeatureMlp(Features, Classes);
    }

    [Benchmark(Description = "one epoch, 2048 clips, batch 32")]
    public long OneEpoch()
    {
        var options = new TrainerOptions { Epochs = 1, BatchSize = 32, AccumulationSteps = AccumulationSteps };
        return new Trainer(_model, ClassificationTask.MultiLabel, options).Fit(_train).State.GlobalStep;
    }
}
