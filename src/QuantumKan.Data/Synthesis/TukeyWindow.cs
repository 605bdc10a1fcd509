namespace QuantumKan.Data.Synthesis;

/// <summary>The Tukey (tapered cosine) window: flat in the middle, cosine ramps over a fraction of each end.</summary>
internal static class TukeyWindow
{
    /// <summary>The window's value at sample <paramref name="i"/> of <paramref name="n"/>; symmetric: w(i) = w(n−1−i).</summary>
    /// <param name="i">Sample index in [0, n).</param>
    /// <param name="n">Window length in samples.</param>
    /// <param name="taper">Fraction of the window in the two ramps together, in [0, 1].</param>
    public static double Value(int i, int n, double taper)
    {
        if (n <= 1 || taper <= 0)
            return 1;
        double x = (double)i / (n - 1); // 0..1, symmetric about 0.5
        double edge = taper / 2;
        if (x < edge)
            return 0.5 * (1 - Math.Cos(Math.PI * x / edge));
        if (x > 1 - edge)
            return 0.5 * (1 - Math.Cos(Math.PI * (1 - x) / edge));
        return 1;
    }
}
