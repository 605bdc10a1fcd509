using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Core.Tests;

/// <summary>
/// Each <see cref="ScalarArithmetic"/> method replaces one TorchSharp operator or call that makes an implicit Scalar;
/// it must give the same dtype and the same bits (an integer stays integral: <c>lengths + 1</c> on int64 stays int64).
/// </summary>
public class ScalarArithmeticTests
{
    public static TheoryData<ScalarType> Types => new(ScalarType.Float32, ScalarType.Float64, ScalarType.Int64);

    [Theory]
    [MemberData(nameof(Types))]
    public void EveryMethod_MatchesTheImplicitScalarForm_BitForBit(ScalarType dtype)
    {
        using var generator = new torch.Generator(3);
        var a = (torch.randn([5, 7], generator: generator) * 10).to(dtype);
        var b = (torch.randn([5, 7], generator: generator) * 10).to(dtype);
        var mask = torch.randn([5, 7], generator: generator) > 0;
        bool floating = dtype != ScalarType.Int64;
        Same(a + b, a.Plus(b));
        Same(a.clone().add_(b), a.clone().PlusInPlace(b));
        Same(a + 3, a.Plus(3L));
        Same(a - 3, a.Minus(3L));
        Same(3 - a, a.SubtractedFrom(3L));
        Same(a * -4, a.Times(-4L));
        Same(a.clone().mul_(-4), a.clone().TimesInPlace(-4L));
        Same(a.clone().add_(2), a.clone().PlusInPlace(2L));
        Same(a / 3, a.DividedBy(3L));
        Same(a.div(2, rounding_mode: RoundingMode.floor), a.DividedBy(2L, RoundingMode.floor));
        Same(a.remainder(4), a.Remainder(4L));
        Same(a > 1, a.GreaterThan(1L));
        Same(a.ne(0), a.NotEqual(0L));
        Same(a.clamp_min(1), a.ClampMin(1L));
        Same(a.clone().clamp_min_(0), a.clone().ClampMinInPlace(0L));
        Same(a.clamp(-2, 5), a.ClampTo(-2L, 5L));
        Same(a.masked_fill(mask, 0), a.FilledWhere(mask, 0L));
        if (floating)
        {
            Same(a + 0.25, a.Plus(0.25));
            Same(a.clone().add_(0.25), a.clone().PlusInPlace(0.25));
            Same(a - 0.01, a.Minus(0.01));
            Same(1.5 - a, a.SubtractedFrom(1.5));
            Same(a * Math.PI, a.Times(Math.PI));
            Same(a.clone().mul_(0.3), a.clone().TimesInPlace(0.3));
            Same(a / 0.7, a.DividedBy(0.7));
            Same(a > 1e-8, a.GreaterThan(1e-8));
            Same(a < 0.5, a.LessThan(0.5));
            Same(a.clamp_min(1e-12), a.ClampMin(1e-12));
            Same(a.clamp(-0.5, 0.5), a.ClampTo(-0.5, 0.5));
            Same(a.masked_fill(mask, float.NegativeInfinity), a.FilledWhere(mask, float.NegativeInfinity));
        }
        Same(torch.arange(7, dtype: dtype), ScalarArithmetic.Arange(7, dtype));
        Same(torch.arange(-3, 9, 2, dtype: dtype), ScalarArithmetic.Arange(-3, 9, 2, dtype));
        Same(torch.arange(5), ScalarArithmetic.Arange(5));
        Same(torch.full([2, 3], -1.5), ScalarArithmetic.Full([2, 3], -1.5));
    }

    private static void Same(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(expected.bytes.ToArray(), actual.bytes.ToArray());
    }
}
