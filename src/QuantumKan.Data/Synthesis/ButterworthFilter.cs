namespace QuantumKan.Data.Synthesis;

/// <summary>
/// Fourth-order Butterworth low/high-pass filters as two cascaded RBJ-cookbook biquads, used to band-limit the
/// synthetic noise. Written by hand because no DSP library is served here; the synthetic sounds only need a filter
/// with clean skirts (24 dB/octave), not a general design tool.
/// </summary>
internal static class ButterworthFilter
{
    // The two section Qs of a 4th-order Butterworth: 1 / (2 cos(π/8)) and 1 / (2 cos(3π/8)).
    private static readonly double[] SectionQs = [0.54119610014619701, 1.3065629648763766];

    /// <summary>Low-passes <paramref name="signal"/> in place at <paramref name="cutoffHz"/>, <paramref name="passes"/> times over (each pass 24 dB/octave).</summary>
    public static void LowPass(Span<float> signal, double cutoffHz, int sampleRate, int passes = 1)
    {
        for (int i = 0; i < passes; i++)
            Apply(signal, cutoffHz, sampleRate, highPass: false);
    }

    /// <summary>High-passes <paramref name="signal"/> in place at <paramref name="cutoffHz"/>, <paramref name="passes"/> times over (each pass 24 dB/octave).</summary>
    public static void HighPass(Span<float> signal, double cutoffHz, int sampleRate, int passes = 1)
    {
        for (int i = 0; i < passes; i++)
            Apply(signal, cutoffHz, sampleRate, highPass: true);
    }

    private static void Apply(Span<float> signal, double cutoffHz, int sampleRate, bool highPass)
    {
        if (cutoffHz <= 0 || cutoffHz >= sampleRate / 2.0)
            throw new ArgumentOutOfRangeException(nameof(cutoffHz), cutoffHz, $"The cutoff must lie in (0, {sampleRate / 2.0}) Hz.");
        foreach (double q in SectionQs)
            ApplySection(signal, Design(cutoffHz, sampleRate, q, highPass));
    }

    private static (double B0, double B1, double B2, double A1, double A2) Design(double f, int sampleRate, double q, bool highPass)
    {
        double w0 = 2 * Math.PI * f / sampleRate;
        double cos = Math.Cos(w0), alpha = Math.Sin(w0) / (2 * q);
        double a0 = 1 + alpha;
        double b1 = highPass ? -(1 + cos) : 1 - cos;
        double b0 = highPass ? (1 + cos) / 2 : (1 - cos) / 2;
        return (b0 / a0, b1 / a0, b0 / a0, -2 * cos / a0, (1 - alpha) / a0);
    }

    private static void ApplySection(Span<float> x, (double B0, double B1, double B2, double A1, double A2) c)
    {
        double x1 = 0, x2 = 0, y1 = 0, y2 = 0; // direct form I state, in double to keep narrow bands stable
        for (int i = 0; i < x.Length; i++)
        {
            double xi = x[i];
            double y = c.B0 * xi + c.B1 * x1 + c.B2 * x2 - c.A1 * y1 - c.A2 * y2;
            x2 = x1; x1 = xi; y2 = y1; y1 = y;
            x[i] = (float)y;
        }
    }
}
