using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Core;

/// <summary>
/// Tensor arithmetic with numbers, and tensor addition, without TorchSharp's implicit <see cref="Scalar"/>s.
/// <para>
/// Why: in TorchSharp 0.107 every <c>t * 0.5</c>, <c>t + 1</c>, <c>clamp(min: x)</c> and even <c>t + u</c> (whose
/// hidden <c>alpha</c> is an implicit <c>1</c>) converts a number to a native <see cref="Scalar"/> that nothing
/// references once its handle has been read. A garbage collection on another thread can then run its finalizer, which
/// frees it while libtorch is still reading it ("Unknown scalar type", or a wrong value; README, "Known issues").
/// Here every Scalar outlives the native call: constants are static (reachable for the life of the process, so never
/// finalized) and a number's Scalar is disposed only after the call returns.
/// </para>
/// Each method calls the same libtorch function as the operator it replaces, with a Scalar of the same kind (an
/// integer stays integral, so integer tensors keep their dtype), so results are bit-identical.
/// </summary>
public static class ScalarArithmetic
{
    /// <summary>The integer 1 (the <c>alpha</c> of a plain addition).</summary>
    public static readonly Scalar One = 1L.ToScalar();

    /// <summary>The integer 0.</summary>
    public static readonly Scalar Zero = 0L.ToScalar();

    /// <summary>The integer 2 (the exponent of <see cref="Squared"/>).</summary>
    public static readonly Scalar Two = 2L.ToScalar();

    /// <summary>
    /// <c>a²</c> element-wise: TorchSharp's <c>square()</c> is <c>pow(2)</c> with an implicit Scalar; this is the same
    /// libtorch call with a held one.
    /// </summary>
    public static Tensor Squared(this Tensor a) => a.pow(Two);

    /// <summary><c>a + b</c>.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><c>a += b</c> in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary><c>a + b</c>.</summary>
    public static Tensor Plus(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.add(s, One);
    }

    /// <summary><c>a + b</c> with an integral scalar.</summary>
    public static Tensor Plus(this Tensor a, long b)
    {
        using var s = b.ToScalar();
        return a.add(s, One);
    }

    /// <summary><c>a += b</c> in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.add_(s, One);
    }

    /// <summary><c>a += b</c> in place, with an integral scalar.</summary>
    public static Tensor PlusInPlace(this Tensor a, long b)
    {
        using var s = b.ToScalar();
        return a.add_(s, One);
    }

    /// <summary><c>a − b</c>.</summary>
    public static Tensor Minus(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.sub(s);
    }

    /// <summary><c>a − b</c> with an integral scalar.</summary>
    public static Tensor Minus(this Tensor a, long b)
    {
        using var s = b.ToScalar();
        return a.sub(s);
    }

    /// <summary><c>b − a</c> (TorchSharp's <c>b - a</c>: <c>(−a) + b</c>).</summary>
    public static Tensor SubtractedFrom(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.negative().add(s, One);
    }

    /// <summary><c>b − a</c> with an integral scalar.</summary>
    public static Tensor SubtractedFrom(this Tensor a, long b)
    {
        using var s = b.ToScalar();
        return a.negative().add(s, One);
    }

    /// <summary><c>a · b</c>.</summary>
    public static Tensor Times(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.mul(s);
    }

    /// <summary><c>a · b</c> with an integral scalar.</summary>
    public static Tensor Times(this Tensor a, long b)
    {
        using var s = b.ToScalar();
        return a.mul(s);
    }

    /// <summary><c>a ·= b</c> in place.</summary>
    public static Tensor TimesInPlace(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.mul_(s);
    }

    /// <summary><c>a ·= b</c> in place, with an integral scalar.</summary>
    public static Tensor TimesInPlace(this Tensor a, long b)
    {
        using var s = b.ToScalar();
        return a.mul_(s);
    }

    /// <summary><c>a / b</c>.</summary>
    public static Tensor DividedBy(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.div(s);
    }

    /// <summary><c>a / b</c> with an integral scalar (true division, as TorchSharp's operator).</summary>
    public static Tensor DividedBy(this Tensor a, long b)
    {
        using var s = b.ToScalar();
        return a.div(s);
    }

    /// <summary><c>a &gt; b</c>, element-wise.</summary>
    public static Tensor GreaterThan(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.gt(s);
    }

    /// <summary><c>a &gt; b</c>, element-wise, with an integral scalar.</summary>
    public static Tensor GreaterThan(this Tensor a, long b)
    {
        using var s = b.ToScalar();
        return a.gt(s);
    }

    /// <summary><c>a &lt; b</c>, element-wise.</summary>
    public static Tensor LessThan(this Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.lt(s);
    }

    /// <summary><c>max(a, min)</c>, element-wise (<c>clamp_min</c>).</summary>
    public static Tensor ClampMin(this Tensor a, double min)
    {
        using var s = min.ToScalar();
        return a.clamp_min(s);
    }

    /// <summary><c>max(a, min)</c>, element-wise, with an integral bound (<c>clamp_min</c>).</summary>
    public static Tensor ClampMin(this Tensor a, long min)
    {
        using var s = min.ToScalar();
        return a.clamp_min(s);
    }

    /// <summary><c>a = max(a, min)</c> in place, with an integral bound (<c>clamp_min_</c>).</summary>
    public static Tensor ClampMinInPlace(this Tensor a, long min)
    {
        using var s = min.ToScalar();
        return a.clamp_min_(s);
    }

    /// <summary><c>clamp(a, min, max)</c>, element-wise.</summary>
    public static Tensor ClampTo(this Tensor a, double min, double max)
    {
        using var lo = min.ToScalar();
        using var hi = max.ToScalar();
        return a.clamp(lo, hi);
    }

    /// <summary><c>clamp(a, min, max)</c>, element-wise, with integral bounds.</summary>
    public static Tensor ClampTo(this Tensor a, long min, long max)
    {
        using var lo = min.ToScalar();
        using var hi = max.ToScalar();
        return a.clamp(lo, hi);
    }

    /// <summary>Where <paramref name="mask"/> is true, <paramref name="value"/>; elsewhere <paramref name="a"/>.</summary>
    public static Tensor FilledWhere(this Tensor a, Tensor mask, double value)
    {
        using var s = value.ToScalar();
        return a.masked_fill(mask, s);
    }

    /// <summary>Where <paramref name="mask"/> is true, <paramref name="value"/> (integral); elsewhere <paramref name="a"/>.</summary>
    public static Tensor FilledWhere(this Tensor a, Tensor mask, long value)
    {
        using var s = value.ToScalar();
        return a.masked_fill(mask, s);
    }

    /// <summary><c>a ≠ b</c>, element-wise, with an integral scalar.</summary>
    public static Tensor NotEqual(this Tensor a, long b)
    {
        using var s = b.ToScalar();
        return a.ne(s);
    }

    /// <summary><c>a / b</c> with a rounding mode, integral divisor.</summary>
    public static Tensor DividedBy(this Tensor a, long b, RoundingMode roundingMode)
    {
        using var s = b.ToScalar();
        return a.div(s, roundingMode);
    }

    /// <summary><c>a mod b</c> (Python's sign convention), integral divisor.</summary>
    public static Tensor Remainder(this Tensor a, long b)
    {
        using var s = b.ToScalar();
        return a.remainder(s);
    }

    /// <summary><c>torch.arange(start, stop, step)</c> with integral bounds.</summary>
    public static Tensor Arange(long start, long stop, long step, ScalarType? dtype = null, Device? device = null)
    {
        using var first = start.ToScalar();
        using var last = stop.ToScalar();
        using var stride = step.ToScalar();
        return torch.arange(first, last, stride, dtype, device);
    }

    /// <summary><c>torch.arange(stop)</c>: 0, 1, …, stop − 1.</summary>
    public static Tensor Arange(long stop, ScalarType? dtype = null, Device? device = null) => Arange(0, stop, 1, dtype, device);

    /// <summary><c>torch.full(shape, value)</c>.</summary>
    public static Tensor Full(long[] shape, double value, ScalarType? dtype = null, Device? device = null)
    {
        using var s = value.ToScalar();
        return torch.full(shape, s, dtype, device);
    }
}
