using BenchmarkDotNet.Attributes;
using QuantumKan.ML.Classification;
using QuantumKan.Nn.Network;
using QuantumKan.Training.Data;
using QuantumKan.Training.Model;
using QuantumKan.Training.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Bench.Network;

/// <summary>
/// One training step of the default QuantumKan network at batch 32 (the trainer's step, with public parts: forward
/// through <see cref="QuantumKanModel"/>, the classifier's default multi-task loss, backward, clipping at norm 1,
/// AdamW) and its pieces, on the bench's 512 pooled features or FSD50K's 1 s patch (101 frames × 96 mels = 9696), with
/// 8 classes (the synthetic set) or 200 (FSD50K's head). Random standardized features and ~3 labels per clip; the cost
/// does not depend on the values.
/// </summary>
[MemoryDiagnoser]
public class QuantumKanStepBenchmarks
{
    private const int Batch = 32;
    private QuantumKanModel _model = null!;
    private MultiTaskLoss _loss = null!;
    private AdamW _optimizer = null!;
    private Parameter[] _parameters = [];
    private Tensor _x = null!, _y = null!;
    private TrainingBatch _batch = null!;

    [Params(512, 9696)]
    public int Features { get; set; }

    [Params(8, 200)]
    public int Classes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        manual_seed(1);
        _model = new QuantumKanModel(new QuantumKanNetwork(Features, Classes));
        _model.Network.train();
        _loss = new MultiTaskLoss(ClassificationTask.MultiLabel, new LossWeights());
        _optimizer = AdamWFactory.Create(_model.Network, 3e-3, 1e-2);
        _parameters = _model.Network.parameters().Where(p => p.requires_grad).ToArray();
        _x = randn(Batch, Features).DetachFromDisposeScope();
        _y = (rand(Batch, Classes) < 3.0 / Classes).to(ScalarType.Float32).DetachFromDisposeScope();
        _batch = new TrainingBatch(_x, _y, Enumerable.Range(0, Batch).ToArray());
        ForwardBackward(); // gradients for the clip-and-step case, which does not zero them
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _optimizer.Dispose();
        _model.Network.Dispose();
        _x.Dispose();
        _y.Dispose();
    }

    [Benchmark(Description = "forward (logits only)")]
    public float Forward()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return _model.Network.call(_x)[0, 0].item<float>();
    }

    [Benchmark(Description = "forward + multi-task loss + backward")]
    public float ForwardBackward()
    {
        using var scope = NewDisposeScope();
        _optimizer.zero_grad();
        var total = _loss.Compute(_model.Forward(_batch), _batch, _parameters).Total;
        total.backward();
        return total.item<float>();
    }

    [Benchmark(Description = "clip_grad_norm_ + AdamW step")]
    public double ClipAndStep()
    {
        using var scope = NewDisposeScope();
        double norm = nn.utils.clip_grad_norm_(_parameters, 1.0);
        _optimizer.step();
        return norm;
    }

    [Benchmark(Baseline = true, Description = "one training step")]
    public double Step()
    {
        using var scope = NewDisposeScope();
        _optimizer.zero_grad();
        var breakdown = _loss.Compute(_model.Forward(_batch), _batch, _parameters);
        foreach (var component in breakdown.Components.Values)
            component.ToDouble(); // the trainer reads every component for its per-step report
        breakdown.Total.backward();
        double norm = nn.utils.clip_grad_norm_(_parameters, 1.0);
        _optimizer.step();
        return norm;
    }
}
