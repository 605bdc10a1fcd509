using QuantumKan.Core;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Kan;

/// <summary>
/// Batched least squares that behaves the same on every device. torch.linalg.lstsq picks a different LAPACK driver
/// per device (rank-revealing gelsy on CPU, plain QR "gels" on CUDA, which returns garbage for rank-deficient systems),
/// and a grid update routinely leaves edge bases with little data. Ridge-damped normal equations in float64 give the
/// near-minimum-norm answer everywhere.
/// </summary>
internal static class LeastSquares
{
    // Damping relative to the mean diagonal of AᵀA: small enough not to bias well-posed fits (≈1e-9 relative error),
    // large enough to pin the coefficients of bases no sample touches to ~0.
    private const double RelativeRidge = 1e-9;

    /// <summary>Solves min ‖A X − Y‖² per batch entry: <c>A: (n, m, K)</c>, <c>Y: (n, m, r)</c> → <c>X: (n, K, r)</c> in A's dtype.</summary>
    public static Tensor SolveBatched(Tensor a, Tensor y)
    {
        var a64 = a.to(ScalarType.Float64);
        var y64 = y.to(ScalarType.Float64);
        var gram = matmul(a64.transpose(1, 2), a64);                                   // (n, K, K)
        var rhs = matmul(a64.transpose(1, 2), y64);                                    // (n, K, r)
        long k = gram.shape[1];
        var meanDiagonal = gram.diagonal(dim1: 1, dim2: 2).mean([1], keepdim: true);  // (n, 1)
        var damping = meanDiagonal.Times(RelativeRidge).Plus(1e-300).unsqueeze(-1);           // (n, 1, 1)
        var identity = eye(k, dtype: ScalarType.Float64, device: a.device);
        var solution = linalg.solve(gram.Plus(identity * damping), rhs);                   // (n, K, r)
        return solution.to(a.dtype);
    }
}
