using QuantumKan.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Training.Optimization;

/// <summary>
/// One AdamW step, bit-identical to TorchSharp 0.107's <c>AdamW.step()</c>, that holds every <see cref="Scalar"/> it
/// passes to libtorch until the call has returned.
/// <para>
/// Why: TorchSharp's own step converts six numbers per parameter to implicit Scalars (<c>mul_(beta1)</c>,
/// <c>alpha: 1 − beta1</c>, <c>/ √bc2</c>, <c>add_(eps)</c>, …) that a collection on another thread may finalize while
/// libtorch reads them (README, "Known issues"). This step does the same operations, in the same order, on the same
/// libtorch kernels with Scalars of the same values, reading and updating the optimizer's own state (step count,
/// moments), so checkpoints, <c>load_state_dict</c> and learning-rate schedules work unchanged.
/// </para>
/// </summary>
public static class AdamWUpdate
{
    /// <summary>Applies one update to every parameter of <paramref name="optimizer"/> that has a gradient.</summary>
    /// <param name="optimizer">TorchSharp's AdamW; its parameter groups, options and state are used as they are.</param>
    public static void Step(AdamW optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        // state_dict() lists the per-parameter states group by group, in the order step() visits the parameters.
        var states = optimizer.state_dict().State;
        int index = 0;
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        foreach (var group in optimizer.ParamGroups.Cast<ParamGroup>())
        {
            var options = (AdamW.Options)group.Options;
            foreach (var parameter in group.Parameters)
                Update(parameter, (AdamW.State)states[index++], options);
        }
    }

    // TorchSharp's AdamW.step body for one parameter, line by line, with explicit Scalars.
    private static void Update(Parameter parameter, AdamW.State state, AdamW.Options options)
    {
        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, weightDecay = options.weight_decay!.Value;
        double eps = options.eps!.Value, lr = options.LearningRate!.Value;
        var grad = parameter.grad;
        if (grad is null)
            return;
        if (options.maximize!.Value)
            grad = grad.negative();

        state.step += 1;

        using (var decay = (1 - lr * weightDecay).ToScalar())
            parameter.mul_(decay);

        double biasCorrection1 = 1 - Math.Pow(beta1, state.step);
        double biasCorrection2 = 1 - Math.Pow(beta2, state.step);

        using (var b1 = beta1.ToScalar())
        using (var oneMinusB1 = (1 - beta1).ToScalar())
            state.exp_avg.mul_(b1).add_(grad, oneMinusB1);
        using (var b2 = beta2.ToScalar())
        using (var oneMinusB2 = (1 - beta2).ToScalar())
            state.exp_avg_sq.mul_(b2).addcmul_(grad, grad, oneMinusB2);

        Tensor secondMoment = state.exp_avg_sq;
        if (options.amsgrad!.Value)
        {
            var previous = state.max_exp_avg_sq;
            state.max_exp_avg_sq = torch.maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
            previous.Dispose();
            secondMoment = state.max_exp_avg_sq;
        }
        using var sqrtBias2 = Math.Sqrt(biasCorrection2).ToScalar();
        using var epsilon = eps.ToScalar();
        var denominator = secondMoment.sqrt().div(sqrtBias2).add_(epsilon, ScalarArithmetic.One);

        using var stepSize = (-(lr / biasCorrection1)).ToScalar();
        parameter.addcdiv_(state.exp_avg, denominator, stepSize);
    }
}
