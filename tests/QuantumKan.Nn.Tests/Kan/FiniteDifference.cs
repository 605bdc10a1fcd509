using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Kan;

/// <summary>Central finite differences of a scalar function of one float64 CPU tensor, element by element.</summary>
internal static class FiniteDifference
{
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
}
