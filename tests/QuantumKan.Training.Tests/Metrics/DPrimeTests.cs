using QuantumKan.Training.Metrics;

namespace QuantumKan.Training.Tests.Metrics;

public class DPrimeTests
{
    [Theory]
    // Φ⁻¹ quantiles from standard normal tables: Φ(0) = .5, Φ(1.959963984540054) = .975, Φ(−1.2815515655446004) = .1.
    [InlineData(0.5, 0.0)]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.1, -1.2815515655446004)]
    [InlineData(0.9999, 3.7190164854556804)]
    public void FromAuc_IsSqrtTwoTimesTheNormalQuantile(double auc, double quantile)
    {
        Assert.Equal(Math.Sqrt(2) * quantile, DPrime.FromAuc(auc), 9);
    }

    [Fact]
    public void FromAuc_HandlesTheEnds()
    {
        Assert.Equal(double.PositiveInfinity, DPrime.FromAuc(1));
        Assert.Equal(double.NegativeInfinity, DPrime.FromAuc(0));
        Assert.True(double.IsNaN(DPrime.FromAuc(double.NaN)));
        Assert.Throws<ArgumentOutOfRangeException>(() => DPrime.FromAuc(1.2));
    }
}
