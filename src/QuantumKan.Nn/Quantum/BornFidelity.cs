using QuantumKan.Core;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Quantum;

/// <summary>
/// Born-rule fidelity <c>F(ψ, φ) = |⟨ψ|φ⟩|²</c> between product states of M coherent-state modes, in two forms:
/// <list type="bullet">
/// <item>the grid form, the definition: <c>F_m = |Δx Σ_j conj(ψ_j)·φ_j|²</c> per mode, multiplied over modes;</item>
/// <item>the closed form for equal σ: <c>F_m = exp(−Δα²/(4σ²) − σ²Δβ²)</c>, the hot path. γ cancels out of both.</item>
/// </list>
/// The closed form is a squared distance in scaled coordinates <c>z = (α/(2σ), σβ)</c>:
/// <c>F = exp(−‖z_a − z_b‖²)</c>, which is what makes pairwise and top-k searches one tensor operation.
/// Pure functions; differentiable; device and dtype follow the inputs.
/// </summary>
public static class BornFidelity
{
    /// <summary>
    /// Grid fidelity between two batches of sampled states, shapes (..., M, N) each (broadcastable) → (...):
    /// the product over the M modes of <c>|Δx Σ_j conj(ψ_j)·φ_j|²</c>.
    /// </summary>
    public static Tensor Grid(SampledWavefunction psi, SampledWavefunction phi, double spacing)
    {
        using var scope = NewDisposeScope();
        // conj(ψ)·φ = (ψr φr + ψi φi) + i(ψr φi − ψi φr)
        var overlapReal = (psi.Real * phi.Real).Plus(psi.Imag * phi.Imag).sum(-1).Times(spacing); // (..., M)
        var overlapImag = (psi.Real * phi.Imag - psi.Imag * phi.Real).sum(-1).Times(spacing); // (..., M)
        var perMode = overlapReal.Squared().Plus(overlapImag.Squared());
        return perMode.prod(-1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Pairwise grid fidelity of a batch, states of shape (B, M, N) → (B, B). Uses batched matrix products over modes,
    /// O(B²·M·N); kept as the reference the closed form is checked and benchmarked against.
    /// </summary>
    public static Tensor GridPairwise(SampledWavefunction states, double spacing)
    {
        RequireRank(states.Real, 3, "states (B, M, N)");
        using var scope = NewDisposeScope();
        var re = states.Real.permute(1, 0, 2);                       // (M, B, N)
        var im = states.Imag.permute(1, 0, 2);                       // (M, B, N)
        var reT = re.transpose(1, 2);                                // (M, N, B)
        var imT = im.transpose(1, 2);                                // (M, N, B)
        var overlapReal = re.matmul(reT).Plus(im.matmul(imT)).Times(spacing); // (M, B, B)
        var overlapImag = (re.matmul(imT) - im.matmul(reT)).Times(spacing); // (M, B, B)
        var perMode = overlapReal.Squared().Plus(overlapImag.Squared());
        return perMode.prod(0L).MoveToOuterDisposeScope(); // 0L: a literal 0 would bind to prod(ScalarType)
    }

    /// <summary>
    /// The scaled coordinates <c>z = (α/(2σ), σβ)</c> in which closed-form fidelity is <c>exp(−‖z_a − z_b‖²)</c>:
    /// α, β of shape (..., M) → (..., 2M), α's coordinates first.
    /// </summary>
    public static Tensor Coordinates(Tensor alpha, Tensor beta, double sigma)
    {
        Wavefunction.RequireSameShape(alpha, beta, nameof(beta));
        using var scope = NewDisposeScope();
        return cat([alpha.DividedBy(2 * sigma), beta.Times(sigma)], -1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Closed-form log-fidelity <c>−Σ_m (Δα_m²/(4σ²) + σ²Δβ_m²)</c> between states given by α, β of shape (..., M),
    /// broadcastable against each other → (...). Summing logs keeps products of many small per-mode fidelities exact.
    /// </summary>
    public static Tensor LogClosedForm(Tensor alphaA, Tensor betaA, Tensor alphaB, Tensor betaB, double sigma)
    {
        using var scope = NewDisposeScope();
        var alphaTerm = (alphaA - alphaB).Squared().DividedBy(4 * sigma * sigma);
        var betaTerm = (betaA - betaB).Squared().Times(sigma * sigma);
        return alphaTerm.Plus(betaTerm).sum(-1).neg().MoveToOuterDisposeScope();
    }

    /// <summary>Closed-form fidelity, <c>exp</c> of <see cref="LogClosedForm"/>: (..., M) inputs → (...).</summary>
    public static Tensor ClosedForm(Tensor alphaA, Tensor betaA, Tensor alphaB, Tensor betaB, double sigma)
    {
        using var scope = NewDisposeScope();
        return LogClosedForm(alphaA, betaA, alphaB, betaB, sigma).exp().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Closed-form pairwise log-fidelity of a batch: α, β of shape (B, M) → (B, B). Built from explicit differences of
    /// the scaled <see cref="Coordinates"/>, (B, B, 2M), rather than ‖a‖² + ‖b‖² − 2a·b, so the diagonal is exactly 0
    /// and values near it carry no cancellation error.
    /// </summary>
    public static Tensor LogClosedFormPairwise(Tensor alpha, Tensor beta, double sigma)
    {
        RequireRank(alpha, 2, "alpha (B, M)");
        using var scope = NewDisposeScope();
        var z = Coordinates(alpha, beta, sigma);                     // (B, 2M)
        var difference = z.unsqueeze(1) - z.unsqueeze(0);           // (B, B, 2M)
        return difference.Squared().sum(-1).neg().MoveToOuterDisposeScope();
    }

    /// <summary>Closed-form pairwise fidelity of a batch: α, β of shape (B, M) → (B, B), symmetric, ones on the diagonal.</summary>
    public static Tensor ClosedFormPairwise(Tensor alpha, Tensor beta, double sigma)
    {
        using var scope = NewDisposeScope();
        return LogClosedFormPairwise(alpha, beta, sigma).exp().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Closed-form log-fidelity of every query against every reference, in scaled <see cref="Coordinates"/>:
    /// queries (Q, D), references (R, D) → (Q, R). Uses <c>‖q‖² + ‖r‖² − 2q·r</c> (one matrix product), clamped at 0,
    /// so it is the fast path for searching large sets; its float32 cancellation error is about 1e-6·‖z‖², so it is not
    /// meant for training.
    /// </summary>
    /// <param name="queryCoordinates">(Q, D) query coordinates.</param>
    /// <param name="referenceCoordinates">(R, D) reference coordinates.</param>
    /// <param name="referenceSquaredNorms">(R) precomputed ‖r‖², or null to compute them here.</param>
    public static Tensor LogClosedFormCross(Tensor queryCoordinates, Tensor referenceCoordinates, Tensor? referenceSquaredNorms = null)
    {
        RequireRank(queryCoordinates, 2, "query coordinates (Q, D)");
        RequireRank(referenceCoordinates, 2, "reference coordinates (R, D)");
        using var scope = NewDisposeScope();
        var rr = (referenceSquaredNorms ?? referenceCoordinates.Squared().sum(-1)).unsqueeze(0); // (1, R)
        var qq = queryCoordinates.Squared().sum(-1, keepdim: true);                             // (Q, 1)
        var scores = queryCoordinates.matmul(referenceCoordinates.t()).TimesInPlace(-2L).PlusInPlace(rr).PlusInPlace(qq); // (Q, R)
        return scores.ClampMinInPlace(0L).neg_().MoveToOuterDisposeScope();
    }

    internal static void RequireRank(Tensor t, int rank, string what)
    {
        if (t.dim() != rank)
            throw new ArgumentException($"Expected {what}, got shape ({string.Join(", ", t.shape)}).");
    }
}
