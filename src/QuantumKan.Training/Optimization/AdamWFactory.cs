using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Training.Optimization;

/// <summary>
/// Builds TorchSharp's AdamW (decoupled weight decay, bias-corrected moments) over a module's trainable parameters.
/// Weight decay applies to matrices and higher-rank weights only: biases, gains and other vectors are left undecayed,
/// as is standard, because shrinking them towards zero only shifts activations and does not limit capacity.
/// </summary>
public static class AdamWFactory
{
    /// <summary>Creates AdamW with two parameter groups (decayed: rank ≥ 2; undecayed: rank ≤ 1).</summary>
    /// <param name="module">The module whose parameters with <c>requires_grad</c> are optimized.</param>
    /// <param name="learningRate">The base learning rate (the schedule multiplies it).</param>
    /// <param name="weightDecay">Decoupled weight decay λ: each step scales decayed weights by (1 − lr·λ).</param>
    /// <param name="beta1">First-moment decay; default 0.9.</param>
    /// <param name="beta2">Second-moment decay; default 0.999.</param>
    /// <param name="epsilon">Denominator term; default 1e-8.</param>
    public static AdamW Create(nn.Module module, double learningRate, double weightDecay, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(module);
        var trainable = module.parameters().Where(p => p.requires_grad).ToList();
        if (trainable.Count == 0)
            throw new ArgumentException("The model has no trainable parameters.", nameof(module));
        var decayed = trainable.Where(p => p.ndim >= 2).ToList();
        var undecayed = trainable.Where(p => p.ndim < 2).ToList();
        var groups = new List<AdamW.ParamGroup>();
        // Group order is part of the optimizer state's layout: keep it fixed (decayed first) for checkpoints.
        if (decayed.Count > 0)
            groups.Add(new AdamW.ParamGroup(decayed, learningRate, beta1, beta2, epsilon, weightDecay));
        if (undecayed.Count > 0)
            groups.Add(new AdamW.ParamGroup(undecayed, learningRate, beta1, beta2, epsilon, weight_decay: 0));
        return optim.AdamW(groups, learningRate, beta1, beta2, epsilon, weightDecay);
    }
}
