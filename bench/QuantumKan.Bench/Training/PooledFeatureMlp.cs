using QuantumKan.Training.Data;
using QuantumKan.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Bench.Training;

/// <summary>
/// A ~430k-parameter MLP over pooled features (128 → 512 → 512 → 200), the size of the PyTorch reference network, so
/// the loop's own overhead (batching, loss bookkeeping, clipping, scheduling) can be measured apart from KAN costs.
/// </summary>
internal sealed class PooledFeatureMlp : nn.Module, ITrainableModel
{
    private readonly nn.Module<Tensor, Tensor> _layers;

    public PooledFeatureMlp(int inputs, int classes) : base(nameof(PooledFeatureMlp))
    {
        _layers = nn.Sequential(nn.Linear(inputs, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, classes));
        RegisterComponents();
    }

    public nn.Module Module => this;

    public ModelOutput Forward(TrainingBatch batch) => new(_layers.call(batch.Features));
}
