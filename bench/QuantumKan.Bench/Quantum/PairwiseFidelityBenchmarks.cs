using BenchmarkDotNet.Attributes;
using QuantumKan.Nn.Quantum;
using static TorchSharp.torch;

namespace QuantumKan.Bench.Quantum;

/// <summary>
/// The B×B pairwise fidelity matrix of a batch of M-mode states: closed form (O(B²·M)) against the grid definition
/// (O(B²·M·N), N = 1024), with and without the cost of sampling the wavefunctions first. float32, CPU.
/// </summary>
// Run in-process as a short job (see bench/results/quantum.md): the out-of-process toolchain rebuilds the project
// without the libtorch backend wiring.
public class PairwiseFidelityBenchmarks
{
    private static readonly WavefunctionGrid Grid = new();
    private Tensor _alpha = null!, _beta = null!, _gamma = null!;
    private SampledWavefunction _states;

    [Params(32, 256)]
    public int Batch { get; set; }

    [Params(16)]
    public int Modes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        manual_seed(1);
        _alpha = ((rand(Batch, Modes) * 2 - 1) * Grid.MaxCenter).DetachFromDisposeScope();
        _beta = ((rand(Batch, Modes) * 2 - 1) * 2).DetachFromDisposeScope();
        _gamma = ((rand(Batch, Modes) * 2 - 1) * Math.PI).DetachFromDisposeScope();
        _states = Wavefunction.Sample(_alpha, _beta, _gamma, Grid);
        _states.Real.DetachFromDisposeScope();
        _states.Imag.DetachFromDisposeScope();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var t in new[] { _alpha, _beta, _gamma, _states.Real, _states.Imag })
            t.Dispose();
    }

    [Benchmark(Baseline = true)]
    public float ClosedForm()
    {
        using var scope = NewDisposeScope();
        return BornFidelity.ClosedFormPairwise(_alpha, _beta, Grid.Sigma)[0, 1].item<float>();
    }

    [Benchmark]
    public float GridFromSampledStates()
    {
        using var scope = NewDisposeScope();
        return BornFidelity.GridPairwise(_states, Grid.Spacing)[0, 1].item<float>();
    }

    [Benchmark]
    public float GridIncludingSampling()
    {
        using var scope = NewDisposeScope();
        var states = Wavefunction.Sample(_alpha, _beta, _gamma, Grid);
        return BornFidelity.GridPairwise(states, Grid.Spacing)[0, 1].item<float>();
    }
}
