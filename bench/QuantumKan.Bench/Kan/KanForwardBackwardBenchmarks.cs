using BenchmarkDotNet.Attributes;
using QuantumKan.Core;
using QuantumKan.Nn.Kan;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Bench.Kan;

/// <summary>
/// Forward + backward of one batch (256 × 256 → 128 → 64, CPU) for every KAN basis against an MLP (Linear + SiLU)
/// with the same parameter count; the Ratio column is KAN time / MLP time. Issue targets: B-spline ≤ 3×, others ≤ 2×.
/// Run: <c>dotnet run -c Release --project bench/QuantumKan.Bench -- --filter '*KanForwardBackward*'</c>.
/// </summary>
[Config(typeof(KanBenchmarkConfig))]
public class KanForwardBackwardBenchmarks
{
    private nn.Module<Tensor, Tensor> _mlp = null!;
    private KanNetwork _kan = null!;
    private Tensor _input = null!;

    [ParamsAllValues]
    public KanBasis Basis { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.SetIntraOpThreads(Threads);
        manual_seed(1);
        _kan = KanBenchmarkModels.Kan(Basis);
        _mlp = KanBenchmarkModels.MatchedMlp(KanBenchmarkModels.ParameterCount(_kan));
        _input = randn(KanBenchmarkModels.BatchSize, KanBenchmarkModels.Widths[0]);
    }

    [Benchmark(Baseline = true, Description = "MLP, same parameters")]
    public void Mlp() => KanBenchmarkModels.ForwardBackward(_mlp, _input);

    [Benchmark(Description = "KAN")]
    public void Kan() => KanBenchmarkModels.ForwardBackward(_kan, _input);

    [GlobalCleanup]
    public void Cleanup()
    {
        _kan.Dispose();
        _mlp.Dispose();
        _input.Dispose();
    }
}
