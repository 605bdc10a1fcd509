using System.Numerics;

namespace QuantumKan.Data.Tests.Synthesis;

/// <summary>A test-only power spectrum (radix-2 FFT of the zero-padded signal) for checking where energy lies.</summary>
internal static class PowerSpectrum
{
    /// <summary>Power per bin for bins 0..N/2, with the bin width in Hz.</summary>
    public static (double[] Power, double BinHz) Of(ReadOnlySpan<float> x, int sampleRate)
    {
        int n = 1;
        while (n < x.Length)
            n <<= 1;
        var a = new Complex[n];
        for (int i = 0; i < x.Length; i++)
            a[i] = x[i];
        Fft(a);
        var power = new double[n / 2 + 1];
        for (int k = 0; k < power.Length; k++)
            power[k] = a[k].Magnitude * a[k].Magnitude;
        return (power, (double)sampleRate / n);
    }

    /// <summary>The fraction of the signal's energy in [lowHz, highHz].</summary>
    public static double FractionInBand(ReadOnlySpan<float> x, int sampleRate, double lowHz, double highHz)
    {
        var (p, binHz) = Of(x, sampleRate);
        double inBand = 0, total = 0;
        for (int k = 0; k < p.Length; k++)
        {
            total += p[k];
            double f = k * binHz;
            if (f >= lowHz && f <= highHz)
                inBand += p[k];
        }
        return inBand / total;
    }

    /// <summary>The frequency of the strongest bin, in Hz.</summary>
    public static double PeakFrequency(ReadOnlySpan<float> x, int sampleRate)
    {
        var (p, binHz) = Of(x, sampleRate);
        int best = 1;
        for (int k = 1; k < p.Length; k++)
            if (p[k] > p[best])
                best = k;
        return best * binHz;
    }

    private static void Fft(Complex[] a)
    {
        int n = a.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
                j ^= bit;
            j ^= bit;
            if (i < j)
                (a[i], a[j]) = (a[j], a[i]);
        }
        for (int len = 2; len <= n; len <<= 1)
        {
            var w = Complex.FromPolarCoordinates(1, -2 * Math.PI / len);
            for (int i = 0; i < n; i += len)
            {
                Complex wk = 1;
                for (int k = 0; k < len / 2; k++)
                {
                    var u = a[i + k];
                    var v = a[i + k + len / 2] * wk;
                    a[i + k] = u + v;
                    a[i + k + len / 2] = u - v;
                    wk *= w;
                }
            }
        }
    }
}
