using System.Runtime.CompilerServices;
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
/// <para>
/// Speed: TorchSharp's step runs nine elementwise operations per parameter tensor, so a network of a few dozen small
/// tensors pays for hundreds of tiny kernel launches (and, on two or more threads, as many wake-ups of the other
/// threads) per step. When every parameter of a group has a gradient and all share one step count (the normal case in
/// training), the group is updated as one flat vector instead: the moments live in one buffer per group (each
/// parameter's <c>exp_avg</c> and <c>exp_avg_sq</c> in the optimizer state become views of it), the gradients and
/// parameters are concatenated into flat copies, the nine operations run once on those, and the parameters are copied
/// back. Every element goes through the same kernels with the same Scalars as before, so the result is the same bit for
/// bit (<c>AdamWUpdateTests</c>); groups that do not qualify, and <c>amsgrad</c> or <c>maximize</c> groups, take the
/// per-parameter path.
/// </para>
/// </summary>
public static class AdamWUpdate
{
    // The flat moment buffers of each optimizer's groups, kept as long as the optimizer lives.
    private static readonly ConditionalWeakTable<AdamW, Dictionary<ParamGroup, FlatMoments>> FlatGroups = new();

    /// <summary>Applies one update to every parameter of <paramref name="optimizer"/> that has a gradient.</summary>
    /// <param name="optimizer">TorchSharp's AdamW; its parameter groups, options and state are used as they are.</param>
    public static void Step(AdamW optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        // state_dict() lists the per-parameter states group by group, in the order step() visits the parameters.
        var states = optimizer.state_dict().State;
        var flatGroups = FlatGroups.GetValue(optimizer, _ => []);
        int index = 0;
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        foreach (var group in optimizer.ParamGroups.Cast<ParamGroup>())
        {
            var options = (AdamW.Options)group.Options;
            var parameters = group.Parameters.ToArray();
            var groupStates = new AdamW.State[parameters.Length];
            for (int i = 0; i < parameters.Length; i++)
                groupStates[i] = (AdamW.State)states[index++];
            if (CanUpdateFlat(parameters, groupStates, options))
            {
                if (!flatGroups.TryGetValue(group, out var flat) || !flat.Backs(groupStates))
                    flatGroups[group] = flat = FlatMoments.Adopt(groupStates);
                UpdateFlat(parameters, groupStates, flat, options);
            }
            else
            {
                for (int i = 0; i < parameters.Length; i++)
                    Update(parameters[i], groupStates[i], options);
            }
        }
    }

    // TorchSharp's AdamW.step body for one parameter, line by line, with explicit Scalars.
    private static void Update(Parameter parameter, AdamW.State state, AdamW.Options options)
    {
        var grad = parameter.grad;
        if (grad is null)
            return;
        if (options.maximize!.Value)
            grad = grad.negative();

        state.step += 1;
        Func<Tensor, Tensor>? runningMaximum = !options.amsgrad!.Value ? null : expAvgSq =>
        {
            var previous = state.max_exp_avg_sq;
            state.max_exp_avg_sq = torch.maximum(previous, expAvgSq).DetachFromDisposeScope();
            previous.Dispose();
            return state.max_exp_avg_sq;
        };
        Apply(parameter, grad, state.exp_avg, state.exp_avg_sq, state.step, options, runningMaximum);
    }

    // The update's arithmetic on one tensor of values (a parameter, or a group's flat copy), in TorchSharp's order and
    // with its Scalars: decoupled decay, the two moments, the bias-corrected step. secondMoment maps the updated
    // exp_avg_sq to the divisor's moment (amsgrad's running maximum); null divides by exp_avg_sq itself.
    private static void Apply(Tensor values, Tensor grad, Tensor expAvg, Tensor expAvgSq, long step, AdamW.Options options,
        Func<Tensor, Tensor>? secondMoment = null)
    {
        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, weightDecay = options.weight_decay!.Value;
        double eps = options.eps!.Value, lr = options.LearningRate!.Value;

        using (var decay = (1 - lr * weightDecay).ToScalar())
            values.mul_(decay);

        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);

        using (var b1 = beta1.ToScalar())
        using (var oneMinusB1 = (1 - beta1).ToScalar())
            expAvg.mul_(b1).add_(grad, oneMinusB1);
        using (var b2 = beta2.ToScalar())
        using (var oneMinusB2 = (1 - beta2).ToScalar())
            expAvgSq.mul_(b2).addcmul_(grad, grad, oneMinusB2);

        var moment = secondMoment is null ? expAvgSq : secondMoment(expAvgSq);
        using var sqrtBias2 = Math.Sqrt(biasCorrection2).ToScalar();
        using var epsilon = eps.ToScalar();
        var denominator = moment.sqrt().div(sqrtBias2).add_(epsilon, ScalarArithmetic.One);

        using var stepSize = (-(lr / biasCorrection1)).ToScalar();
        values.addcdiv_(expAvg, denominator, stepSize);
    }

    // The flat path needs a plain AdamW group of two or more parameters, all with gradients of their own dtype and
    // device, at one step count (so one bias correction serves them all).
    private static bool CanUpdateFlat(Parameter[] parameters, AdamW.State[] states, AdamW.Options options)
    {
        if (parameters.Length < 2 || options.amsgrad!.Value || options.maximize!.Value)
            return false;
        var first = parameters[0];
        for (int i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            if (p.grad is not { } g || states[i].step != states[0].step || p.dtype != first.dtype || g.dtype != p.dtype ||
                p.device_type != first.device_type || p.device_index != first.device_index ||
                g.device_type != p.device_type || g.device_index != p.device_index)
                return false;
        }
        return true;
    }

    // Update, on the whole group at once: the same operations with the same Scalars, on flat copies of the parameters
    // and gradients and on the flat moments that back the states.
    private static void UpdateFlat(Parameter[] parameters, AdamW.State[] states, FlatMoments flat, AdamW.Options options)
    {
        var grad = torch.cat(parameters.Select(p => p.grad!.reshape(-1)).ToArray());
        var values = torch.cat(parameters.Select(p => p.reshape(-1)).ToArray());

        long step = states[0].step + 1;
        foreach (var state in states)
            state.step = step;
        Apply(values, grad, flat.ExpAvg, flat.ExpAvgSq, step, options);

        long offset = 0;
        foreach (var p in parameters)
        {
            long n = p.numel();
            p.copy_(values.narrow(0, offset, n).view(p.shape));
            offset += n;
        }
    }

    /// <summary>
    /// One group's moments as two flat buffers; each parameter's <c>exp_avg</c> and <c>exp_avg_sq</c> in the optimizer
    /// state are views of them, so checkpoints, <c>state_dict</c> and in-place loads see and change the same memory.
    /// </summary>
    private sealed class FlatMoments
    {
        private FlatMoments(Tensor expAvg, Tensor expAvgSq, Tensor[] expAvgViews, Tensor[] expAvgSqViews)
        {
            ExpAvg = expAvg;
            ExpAvgSq = expAvgSq;
            _expAvgViews = expAvgViews;
            _expAvgSqViews = expAvgSqViews;
        }

        private readonly Tensor[] _expAvgViews;
        private readonly Tensor[] _expAvgSqViews;

        public Tensor ExpAvg { get; }

        public Tensor ExpAvgSq { get; }

        /// <summary>Moves the states' current moments into new flat buffers and points the states at views of them.</summary>
        public static FlatMoments Adopt(AdamW.State[] states)
        {
            var expAvg = Flatten(states.Select(s => s.exp_avg));
            var expAvgSq = Flatten(states.Select(s => s.exp_avg_sq));
            var expAvgViews = Views(expAvg, states.Select(s => s.exp_avg));
            var expAvgSqViews = Views(expAvgSq, states.Select(s => s.exp_avg_sq));
            // The replaced tensors are not disposed here: after a load_state_dict they may be another optimizer's.
            for (int i = 0; i < states.Length; i++)
            {
                states[i].exp_avg = expAvgViews[i];
                states[i].exp_avg_sq = expAvgSqViews[i];
            }
            return new FlatMoments(expAvg, expAvgSq, expAvgViews, expAvgSqViews);
        }

        /// <summary>
        /// Whether the states still hold this object's views (a <c>load_state_dict</c> from another optimizer, or a
        /// change of the group, replaces them; then the moments are adopted afresh).
        /// </summary>
        public bool Backs(AdamW.State[] states)
        {
            if (states.Length != _expAvgViews.Length)
                return false;
            for (int i = 0; i < states.Length; i++)
                if (!ReferenceEquals(states[i].exp_avg, _expAvgViews[i]) || !ReferenceEquals(states[i].exp_avg_sq, _expAvgSqViews[i]))
                    return false;
            return true;
        }

        private static Tensor Flatten(IEnumerable<Tensor> moments) =>
            torch.cat(moments.Select(m => m.reshape(-1)).ToArray()).DetachFromDisposeScope();

        private static Tensor[] Views(Tensor flat, IEnumerable<Tensor> moments)
        {
            long offset = 0;
            var views = new List<Tensor>();
            foreach (var m in moments)
            {
                long n = m.numel();
                views.Add(flat.narrow(0, offset, n).view(m.shape).DetachFromDisposeScope());
                offset += n;
            }
            return [.. views];
        }
    }
}
