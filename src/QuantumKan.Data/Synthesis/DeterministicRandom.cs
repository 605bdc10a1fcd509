namespace QuantumKan.Data.Synthesis;

/// <summary>
/// A small seeded generator (SplitMix64) whose sequence is fixed forever. System.Random's seeded sequence is not
/// guaranteed to stay the same across .NET versions, and the synthetic data sets must be reproducible from a seed.
/// </summary>
public sealed class DeterministicRandom
{
    private ulong _state;
    private double? _spareGaussian;

    /// <summary>Starts a sequence from a seed.</summary>
    public DeterministicRandom(ulong seed) => _state = seed;

    /// <summary>
    /// Derives an independent seed for item <paramref name="index"/> of a set seeded with <paramref name="seed"/>, so
    /// each clip can be generated on its own (in any order, in parallel) and still come out the same.
    /// </summary>
    public static ulong Derive(long seed, long index)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)index * 0xD1B54A32D192ED03UL);
        return Finalize(z + 0x632BE59BD9B4E019UL);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
        return Finalize(_state);
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxExclusive, 0);
        // Lemire's multiply-shift; the bias for int ranges is below 2^-32 and irrelevant here.
        return (int)((UInt128)NextUInt64() * (ulong)maxExclusive >> 64);
    }

    /// <summary>A uniform integer in [<paramref name="min"/>, <paramref name="max"/>], both ends included.</summary>
    public int NextIntInclusive(int min, int max) => min + NextInt(max - min + 1);

    /// <summary>A standard normal sample (Box–Muller, pairs cached).</summary>
    public double NextGaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }
        double u1 = 1.0 - NextDouble(); // (0, 1], so the log is finite
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareGaussian = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }

    private static ulong Finalize(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
