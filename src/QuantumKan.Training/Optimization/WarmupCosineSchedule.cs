using TorchSharp;
using static TorchSharp.torch.optim;

namespace QuantumKan.Training.Optimization;

/// <summary>
/// Linear warmup, then cosine annealing, as a multiplicative factor of the base learning rate indexed by the GLOBAL
/// optimizer step. The factor is a pure function of the step, so a resumed run rebuilds the exact schedule:
/// TorchSharp's schedulers keep no state, and <c>CosineAnnealingLR(…, last_epoch)</c> was measured to resume one step off.
/// </summary>
/// <param name="WarmupSteps">Steps of linear warmup: step s &lt; W uses (s + 1)/W.</param>
/// <param name="TotalSteps">Steps in the whole run; the cosine reaches its floor one step after the last one.</param>
/// <param name="FinalFactor">The factor at the end of the cosine, in [0, 1].</param>
public sealed record WarmupCosineSchedule(long WarmupSteps, long TotalSteps, double FinalFactor)
{
    /// <summary>The learning-rate factor applied to the update of global step <paramref name="step"/> (0-based).</summary>
    public double Factor(long step)
    {
        if (step < WarmupSteps)
            return (step + 1.0) / WarmupSteps;
        long decaySteps = Math.Max(1, TotalSteps - WarmupSteps);
        double progress = Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0, 1);
        return FinalFactor + (1 - FinalFactor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    /// <summary>
    /// A TorchSharp <c>LambdaLR</c> on <paramref name="optimizer"/> whose next update uses <see cref="Factor"/>(<paramref name="completedSteps"/>).
    /// Call its <c>step()</c> once after every optimizer step (skipped steps included, since they advance the global step).
    /// </summary>
    public lr_scheduler.LRScheduler Attach(Optimizer optimizer, long completedSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(completedSteps);
        // LambdaLR's constructor performs one step(): last_epoch = completedSteps − 1 makes it land on completedSteps.
        return lr_scheduler.LambdaLR(optimizer, e => Factor(e), last_epoch: checked((int)completedSteps - 1));
    }
}
