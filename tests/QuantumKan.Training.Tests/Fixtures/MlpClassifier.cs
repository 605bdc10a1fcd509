using QuantumKan.Training.Data;
using QuantumKan.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Training.Tests.Fixtures;

/// <summary>
/// A small real network for the loop tests: Linear → ReLU → Dropout → Linear. Its weights are drawn from a dedicated,
/// seeded torch.Generator so tests running in parallel cannot disturb each other's initialization.
/// Optional hooks let tests inject NaN outputs, an auxiliary loss, or read how often Forward ran.
/// </summary>
internal sealed class MlpClassifier : nn.Module, ITrainableModel
{
    private readonly nn.Module<Tensor, Tensor> _hidden;
    private readonly nn.Module<Tensor, Tensor> _dropout;
    private readonly nn.Module<Tensor, Tensor> _head;
    private readonly ScalarType _dtype;

    public MlpClassifier(int inputs, int hidden, int classes, long seed, double dropout = 0.0, ScalarType dtype = ScalarType.Float32)
        : base(nameof(MlpClassifier))
    {
        _hidden = nn.Linear(inputs, hidden);
        _dropout = nn.Dropout(dropout);
        _head = nn.Linear(hidden, classes);
        RegisterComponents();
        _dtype = dtype;
        this.to(dtype);
        using var generator = new torch.Generator((ulong)seed);
        using var noGrad = torch.no_grad();
        foreach (var p in parameters())
        {
            double scale = 1.0 / Math.Sqrt(p.ndim == 2 ? p.shape[1] : 4);
            p.copy_(torch.randn(p.shape, dtype, generator: generator) * scale);
        }
    }

    public nn.Module Module => this;

    /// <summary>Forward calls so far (training and validation).</summary>
    public int ForwardCalls { get; private set; }

    /// <summary>When it returns true for the current forward call index, the logits become NaN.</summary>
    public Func<int, bool>? PoisonForward { get; set; }

    /// <summary>An auxiliary loss to add to the output, computed from the logits.</summary>
    public Func<Tensor, IReadOnlyDictionary<string, Tensor>>? Auxiliary { get; set; }

    public ModelOutput Forward(TrainingBatch batch)
    {
        int call = ForwardCalls++;
        var x = batch.Features.flatten(1).to_type(_dtype);
        var logits = _head.call(_dropout.call(nn.functional.relu(_hidden.call(x))));
        if (PoisonForward?.Invoke(call) == true)
            logits = logits * float.NaN;
        return new ModelOutput(logits, Auxiliary?.Invoke(logits));
    }

    /// <summary>A copy of every parameter's values, in order, as float64.</summary>
    public double[][] Snapshot() => parameters().Select(p => p.detach().cpu().to_type(ScalarType.Float64).data<double>().ToArray()).ToArray();
}
