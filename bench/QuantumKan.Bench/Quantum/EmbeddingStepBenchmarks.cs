using BenchmarkDotNet.Attributes;
using QuantumKan.Nn.Kan;
using QuantumKan.Nn.Losses;
using QuantumKan.Nn.Quantum;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Bench.Quantum;

/// <summary>
/// The two embedding-side changes of bench/RESULTS.md, each against what it replaced, forward + backward:
/// <list type="bullet">
/// <item>Encode with one Chebyshev expansion shared by the α, β, γ extractors, against each extractor on its own;</item>
/// <item>the normalization penalty from |ψ|² (<see cref="Wavefunction.Density"/>) against sampling Re ψ, Im ψ.</item>
/// </list>
/// 512 standardized features, 16 modes (the defaults), batch 32 and 1; the penalty on 4 samples × 16 modes × 1024 points.
/// </summary>
[MemoryDiagnoser]
public class EmbeddingStepBenchmarks
{
    private const int Features = 512;
    private QuantumFieldEmbedding _embedding = null!;
    private KanNetwork[] _extractors = [];
    private NormalizationPenalty _penalty = null!;
    private Tensor _x = null!, _alpha = null!, _beta = null!, _gamma = null!;

    [Params(1, 32)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        manual_seed(1);
        _embedding = new QuantumFieldEmbedding(Features);
        var children = _embedding.named_children().ToDictionary(c => c.name, c => c.module);
        _extractors = [(KanNetwork)children["alpha_extractor"], (KanNetwork)children["beta_extractor"], (KanNetwork)children["gamma_extractor"]];
        _penalty = new NormalizationPenalty(_embedding.Grid.Spacing);
        _x = randn(Batch, Features).DetachFromDisposeScope();
        _alpha = ((rand(4, 16) * 2 - 1) * 4.5).requires_grad_().DetachFromDisposeScope();
        _beta = randn(4, 16).requires_grad_().DetachFromDisposeScope();
        _gamma = randn(4, 16).requires_grad_().DetachFromDisposeScope();
    }

    [GlobalCleanup]
    public void Cleanup() => _embedding.Dispose();

    [Benchmark(Description = "encode, three extractors each expanding the basis")]
    public float SeparateExtractors()
    {
        using var scope = NewDisposeScope();
        var x = _embedding.Standardize(_x);
        var loss = (_extractors[0].call(x).tanh() * _embedding.Grid.MaxCenter).sum()
                   + (_extractors[1].call(x).tanh() * _embedding.Options.BetaMax).sum()
                   + (_extractors[2].call(x).tanh() * Math.PI).sum();
        loss.backward();
        return loss.item<float>();
    }

    [Benchmark(Description = "encode, one shared basis expansion (Encode)")]
    public float SharedBasis()
    {
        using var scope = NewDisposeScope();
        var state = _embedding.Encode(_x);
        var loss = state.Alpha.sum() + state.Beta.sum() + state.Gamma.sum();
        loss.backward();
        return loss.item<float>();
    }

    [Benchmark(Description = "normalization penalty, sampled Re ψ and Im ψ")]
    public float PenaltyFromSamples()
    {
        using var scope = NewDisposeScope();
        var psi = Wavefunction.Sample(_alpha, _beta, _gamma, _embedding.Grid);
        var loss = _penalty.call(psi.Real, psi.Imag);
        loss.backward();
        return loss.item<float>();
    }

    [Benchmark(Description = "normalization penalty, |ψ|² from α (FromDensity)")]
    public float PenaltyFromDensity()
    {
        using var scope = NewDisposeScope();
        var loss = _penalty.FromDensity(Wavefunction.Density(_alpha, _embedding.Grid));
        loss.backward();
        return loss.item<float>();
    }
}
