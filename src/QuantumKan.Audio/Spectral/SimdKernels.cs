using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace QuantumKan.Audio.Spectral;

/// <summary>Small vectorized loops shared by the resampler, the STFT and the mel stage.</summary>
internal static class SimdKernels
{
    /// <summary>Σ a[i]·b[i] over the length of <paramref name="a"/> (b must be at least as long).</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (b.Length < a.Length)
            throw new ArgumentException("b is shorter than a.", nameof(b));
        int i = 0;
        float sum = 0;
        if (Vector256.IsHardwareAccelerated && a.Length >= Vector256<float>.Count)
        {
            var acc = Vector256<float>.Zero;
            ref float ra = ref MemoryMarshal.GetReference(a);
            ref float rb = ref MemoryMarshal.GetReference(b);
            for (; i <= a.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                acc = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref ra, (nuint)i), Vector256.LoadUnsafe(ref rb, (nuint)i), acc);
            sum = Vector256.Sum(acc);
        }
        for (; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }

    /// <summary>values[i] = ln(values[i] + offset), in place.</summary>
    public static void LogWithOffset(Span<float> values, float offset)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var off = Vector256.Create(offset);
            ref float r = ref MemoryMarshal.GetReference(values);
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                Vector256.Log(Vector256.LoadUnsafe(ref r, (nuint)i) + off).StoreUnsafe(ref r, (nuint)i);
        }
        for (; i < values.Length; i++)
            values[i] = MathF.Log(values[i] + offset);
    }

    /// <summary>values[i] = multiplier·log10(max(values[i], amin)), in place; returns the largest result.</summary>
    public static float Decibels(Span<float> values, float multiplier, float amin)
    {
        // log10(x) = ln(x)·log10(e): one vectorized natural log per value.
        float scale = multiplier * (float)(1.0 / Math.Log(10.0));
        float max = float.NegativeInfinity;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            var a = Vector256.Create(amin);
            var vmax = Vector256.Create(float.NegativeInfinity);
            ref float r = ref MemoryMarshal.GetReference(values);
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var db = Vector256.Log(Vector256.Max(Vector256.LoadUnsafe(ref r, (nuint)i), a)) * s;
                db.StoreUnsafe(ref r, (nuint)i);
                vmax = Vector256.Max(vmax, db);
            }
            for (int k = 0; k < Vector256<float>.Count; k++)
                max = Math.Max(max, vmax[k]);
        }
        for (; i < values.Length; i++)
        {
            values[i] = MathF.Log(Math.Max(values[i], amin)) * scale;
            max = Math.Max(max, values[i]);
        }
        return max;
    }

    /// <summary>values[i] = max(values[i], floor), in place.</summary>
    public static void ClampBelow(Span<float> values, float floor)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var f = Vector256.Create(floor);
            ref float r = ref MemoryMarshal.GetReference(values);
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                Vector256.Max(Vector256.LoadUnsafe(ref r, (nuint)i), f).StoreUnsafe(ref r, (nuint)i);
        }
        for (; i < values.Length; i++)
            values[i] = Math.Max(values[i], floor);
    }
}
