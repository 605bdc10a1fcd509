namespace QuantumKan.Tests.Shared;

/// <summary>Seeded random draws the synthetic test sets share.</summary>
internal static class TestRandom
{
    /// <summary>A standard normal draw (Box–Muller, two uniforms per draw).</summary>
    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
