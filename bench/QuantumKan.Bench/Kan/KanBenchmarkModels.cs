using QuantumKan.Nn.Kan;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Bench.Kan;

/// <summary>The networks the KAN benchmarks compare: a KAN of one basis and an MLP with the same parameter count.</summary>
internal static class KanBenchmarkModels
{
    /// <summary>Widths of the setup: 256 → 128 → 64.</summary>
    public static readonly int[] Widths = [256, 128, 64];

    /// <summary>Batch size of the setup.</summary>
    public const int BatchSize = 256;

    public static KanNetwork Kan(KanBasis basis) => new(Widths, KanLayerOptions.For(basis));

    /// <summary>Linear(256, H) → SiLU → Linear(H, 64), with H chosen so the parameter count matches <paramref name="parameterCount"/>.</summary>
    public static nn.Module<Tensor, Tensor> MatchedMlp(long parameterCount)
    {
        int inputs = Widths[0], outputs = Widths[^1];
        // (in + 1)·H + (H + 1)·out = P  →  H = (P − out) / (in + 1 + out)
        var hidden = (int)Math.Round((parameterCount - outputs) / (double)(inputs + 1 + outputs));
        return nn.Sequential(nn.Linear(inputs, hidden), nn.SiLU(), nn.Linear(hidden, outputs));
    }

    public static long ParameterCount(nn.Module module) => module.parameters().Sum(p => p.numel());

    /// <summary>One training step's work: zero the gradients, forward, mean-square loss, backward.</summary>
    public static void ForwardBackward(nn.Module<Tensor, Tensor> model, Tensor input)
    {
        using var scope = NewDisposeScope();
        model.zero_grad();
        model.forward(input).square().mean().backward();
    }
}
