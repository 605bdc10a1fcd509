using static TorchSharp.torch;

namespace QuantumKan.Tests.Shared;

/// <summary>Central finite differences of scalar functions of float64 tensors, to check autograd against.</summary>
internal static class FiniteDifferences
{
    /// <summary>
    /// The gradient of <paramref name="scalar"/> with respect to every element of <paramref name="wrt"/> (a float64 CPU
    /// tensor, perturbed in place element by element and restored).
    /// </summary>
    public static double[] Gradient(Func<double> scalar, Tensor wrt, double step = 1e-6)
    {
        using var flat = wrt.detach().view(-1); // shares storage; writes go straight to the tensor
        var values = flat.data<double>();
        var gradient = new double[values.Count];
        for (long i = 0; i < values.Count; i++)
        {
            double original = values[i];
            values[i] = original + step;
            double up = scalar();
            values[i] = original - step;
            double down = scalar();
            values[i] = original;
            gradient[i] = (up - down) / (2 * step);
        }
        return gradient;
    }

    /// <summary>Asserts that autograd's gradient of <paramref name="f"/> with respect to every input matches central differences.</summary>
    public static void AssertGradientsMatch(Func<Tensor[], Tensor> f, Tensor[] inputs, double step = 1e-6, double tolerance = 1e-6)
    {
        var leaves = inputs.Select(t => t.detach().clone().requires_grad_(true)).ToArray();
        using (var loss = f(leaves))
            loss.backward();
        for (int k = 0; k < leaves.Length; k++)
        {
            var analytic = leaves[k].grad!.detach().clone().flatten();
            var values = inputs[k].detach().clone().flatten();
            for (long i = 0; i < values.shape[0]; i++)
            {
                double original = values[i].item<double>();
                double Eval(double v)
                {
                    using var scope = NewDisposeScope();
                    values[i] = v;
                    var args = inputs.Select((t, idx) => idx == k ? values.reshape(t.shape) : t.detach()).ToArray();
                    return f(args).item<double>();
                }
                double numeric = (Eval(original + step) - Eval(original - step)) / (2 * step);
                values[i] = original;
                double a = analytic[i].item<double>();
                Assert.True(Math.Abs(a - numeric) <= tolerance * Math.Max(1, Math.Abs(numeric)),
                    $"input {k}, element {i}: autograd {a} vs finite difference {numeric}");
            }
        }
    }
}
