using QuantumKan.Core;
using QuantumKan.Nn.Kan;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Quantum;

/// <summary>
/// The quantum field embedding: features (B, D) → the parameters (α, β, γ) of an M-mode product of coherent states,
/// each mode <c>ψ_m(x) = (2πσ²)^(−1/4) · exp(−(x−α_m)²/(4σ²) + iβ_m x + iγ_m)</c>.
/// <para>
/// Three KAN extractors (Chebyshev, degree 8 on tanh-squashed inputs, by default) map standardized features to
/// unconstrained values u, which scaled tanh bounds map into the grid's faithful range by construction:
/// <c>α = (L − margin·σ)·tanh(u_α)</c>, <c>β = β_max·tanh(u_β)</c>, <c>γ = π·tanh(u_γ)</c>. No packet leaves the grid,
/// so grid and closed-form fidelities agree and the sampled norm stays 1.
/// </para>
/// <para>
/// <see cref="forward"/> returns the packed (B, 3M) parameters <c>[α | β | γ]</c>. Fidelities use the closed form
/// (see <see cref="BornFidelity"/>); wavefunctions are sampled only on request. Differentiable end to end; moves with
/// <c>.to(device)</c> and creates every tensor on the input's device.
/// </para>
/// </summary>
public sealed class QuantumFieldEmbedding : nn.Module<Tensor, Tensor>
{
    // Field names equal component names, so TorchSharp's .to() swaps moved tensors into these fields.
    private readonly KanNetwork alpha_extractor;
    private readonly KanNetwork beta_extractor;
    private readonly KanNetwork gamma_extractor;
    private Tensor input_mean;          // (D) buffer
    private Tensor input_scale;         // (D) buffer: 1/std, or 1 for constant features
    private Parameter? reference_alpha; // (K, M) unconstrained; bounded like the extracted α
    private Parameter? reference_beta;  // (K, M) unconstrained; bounded like the extracted β

    /// <summary>Creates the embedding for inputs of <paramref name="inFeatures"/> features.</summary>
    /// <param name="inFeatures">Input width D, at least 1.</param>
    /// <param name="options">Options; default <see cref="QuantumFieldEmbeddingOptions"/>.</param>
    public QuantumFieldEmbedding(int inFeatures, QuantumFieldEmbeddingOptions? options = null) : base(nameof(QuantumFieldEmbedding))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        Options = options ?? new QuantumFieldEmbeddingOptions();
        Options.Validate();
        InFeatures = inFeatures;
        Modes = Options.Modes;
        int[] widths = [inFeatures, .. Options.HiddenWidths, Modes];
        alpha_extractor = new KanNetwork(widths, Options.Extractor, Options.LayerNormBetween);
        beta_extractor = new KanNetwork(widths, Options.Extractor, Options.LayerNormBetween);
        gamma_extractor = new KanNetwork(widths, Options.Extractor, Options.LayerNormBetween);
        input_mean = zeros(inFeatures).DetachFromDisposeScope();
        input_scale = ones(inFeatures).DetachFromDisposeScope();
        var spread = InitialOutputScale();
        if (Options.ReferenceStates > 0)
        {
            using var scope = NewDisposeScope();
            reference_alpha = nn.Parameter(randn(Options.ReferenceStates, Modes).Times(spread).DetachFromDisposeScope());
            reference_beta = nn.Parameter(randn(Options.ReferenceStates, Modes).Times(spread).DetachFromDisposeScope());
            reference_alpha.DetachFromDisposeScope();
            reference_beta.DetachFromDisposeScope();
        }
        RegisterComponents();
        foreach (var extractor in new[] { alpha_extractor, beta_extractor, gamma_extractor })
            ScaleLastLayer(extractor, spread);
    }

    /// <summary>The options this embedding was built with.</summary>
    public QuantumFieldEmbeddingOptions Options { get; }

    /// <summary>Input width D.</summary>
    public int InFeatures { get; }

    /// <summary>Number of modes M.</summary>
    public int Modes { get; }

    /// <summary>Length 3·M of a packed embedding.</summary>
    public int EmbeddingSize => 3 * Modes;

    /// <summary>The sampling grid and packet width σ.</summary>
    public WavefunctionGrid Grid => Options.Grid;

    /// <summary>
    /// Sets the per-feature standardization applied before the extractors, <c>(x − mean)/std</c>, from statistics of the
    /// training data; features with std ≤ 1e-8 are only centred. Stored as buffers, so it is saved with the weights.
    /// </summary>
    /// <param name="mean">(D) feature means.</param>
    /// <param name="std">(D) feature standard deviations.</param>
    public void SetInputStandardization(Tensor mean, Tensor std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.shape.Length != 1 || mean.shape[0] != InFeatures || !mean.shape.SequenceEqual(std.shape))
            throw new ArgumentException($"Standardization statistics must both be ({InFeatures}); got ({string.Join(", ", mean.shape)}) and ({string.Join(", ", std.shape)}).");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var s = std.to(input_scale.dtype).to(input_scale.device);
        input_mean.copy_(mean.to(input_mean.dtype).to(input_mean.device));
        input_scale.copy_(where(s.GreaterThan(1e-8), s.reciprocal(), ones_like(s)));
    }

    /// <summary>Extracts the bounded parameters: features (B, D) → α, β, γ each (B, M).</summary>
    public CoherentStateParameters Encode(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != 2 || features.shape[1] != InFeatures)
            throw new ArgumentException($"Expected features (batch, {InFeatures}); got ({string.Join(", ", features.shape)}).", nameof(features));
        using var scope = NewDisposeScope();
        var x = Standardize(features);                                               // (B, D)
        var (uAlpha, uBeta, uGamma) = Extract(x);                                    // (B, M) each
        var alpha = uAlpha.tanh().Times(Grid.MaxCenter);
        var beta = uBeta.tanh().Times(Options.BetaMax);
        var gamma = uGamma.tanh().Times(Math.PI);
        return new CoherentStateParameters(alpha.MoveToOuterDisposeScope(), beta.MoveToOuterDisposeScope(), gamma.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The three extractors' unbounded outputs u: standardized x (B, D) → (B, M) each. When every extractor is one
    /// Chebyshev layer (the default), they all expand the same x into the same basis, so the basis is expanded once and
    /// contracted with each extractor's own coefficients: one tanh and one recurrence instead of three (measured in
    /// bench/RESULTS.md). The result, the parameters and their gradients are those of the three separate calls.
    /// </summary>
    private (Tensor Alpha, Tensor Beta, Tensor Gamma) Extract(Tensor x)
    {
        if (!SharesExtractorBasis(x))
            return (alpha_extractor.call(x), beta_extractor.call(x), gamma_extractor.call(x));
        var basis = ChebyshevKanLayer.Evaluate(x, ((ChebyshevKanOptions)Options.Extractor).Degree); // (B, K + 1, D), contiguous
        var flat = basis.view(basis.shape[0], -1);                                   // (B, (K + 1)·D)
        return (Contract(flat, alpha_extractor), Contract(flat, beta_extractor), Contract(flat, gamma_extractor));
    }

    // The shared path needs single-layer Chebyshev extractors and an input they accept; anything else (hidden layers,
    // another basis, or a dtype/device mismatch, which the layers report with a clear error) takes the layers' own path.
    private bool SharesExtractorBasis(Tensor x)
    {
        if (Options.HiddenWidths.Length != 0 || Options.Extractor is not ChebyshevKanOptions)
            return false;
        var coefficients = alpha_extractor.Layers[0].Coefficients;
        return x.dtype == coefficients.dtype && x.device_type == coefficients.device_type && x.device_index == coefficients.device_index;
    }

    // (B, (K + 1)·D) basis with an extractor's (M, K + 1, D) coefficients → (B, M), the layer's own single GEMM.
    private static Tensor Contract(Tensor flatBasis, KanNetwork extractor)
    {
        var coefficients = extractor.Layers[0].Coefficients;
        return nn.functional.linear(flatBasis, coefficients.view(coefficients.shape[0], -1));
    }

    /// <summary>The standardized features the extractors see: <c>(x − mean)/std</c>, (B, D) → (B, D).</summary>
    public Tensor Standardize(Tensor features) => (features - input_mean) * input_scale;

    /// <summary>The packed parameters: features (B, D) → (B, 3M) <c>[α | β | γ]</c>.</summary>
    public override Tensor forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        return Encode(features).Pack().MoveToOuterDisposeScope();
    }

    /// <summary>The sampled wavefunctions of every mode: parameters (B, M) → real and imaginary parts (B, M, N).</summary>
    public SampledWavefunction SampleWavefunction(CoherentStateParameters state) =>
        Wavefunction.Sample(state.Alpha, state.Beta, state.Gamma, Grid);

    /// <summary>Closed-form pairwise log-fidelity of a batch, summed over modes in log space: (B, M) → (B, B).</summary>
    public Tensor PairwiseLogFidelity(CoherentStateParameters state) =>
        BornFidelity.LogClosedFormPairwise(state.Alpha, state.Beta, Grid.Sigma);

    /// <summary>Closed-form pairwise fidelity of a batch: (B, M) → (B, B), symmetric with ones on the diagonal.</summary>
    public Tensor PairwiseFidelity(CoherentStateParameters state)
    {
        using var scope = NewDisposeScope();
        return PairwiseLogFidelity(state).exp().MoveToOuterDisposeScope();
    }

    /// <summary>The K learned reference states, α and β of shape (K, M) (γ is zero: it cancels from fidelities).</summary>
    /// <exception cref="InvalidOperationException">The embedding was built with no reference states.</exception>
    public CoherentStateParameters ReferenceStates()
    {
        if (reference_alpha is null || reference_beta is null)
            throw new InvalidOperationException("This embedding has no reference states (QuantumFieldEmbeddingOptions.ReferenceStates = 0).");
        using var scope = NewDisposeScope();
        var alpha = reference_alpha.tanh().Times(Grid.MaxCenter);
        var beta = reference_beta.tanh().Times(Options.BetaMax);
        return new CoherentStateParameters(alpha.MoveToOuterDisposeScope(), beta.MoveToOuterDisposeScope(), zeros_like(alpha).MoveToOuterDisposeScope());
    }

    /// <summary>Closed-form log-fidelity of each sample to each reference state: (B, M) → (B, K).</summary>
    public Tensor ReferenceLogFidelity(CoherentStateParameters state)
    {
        using var scope = NewDisposeScope();
        var references = ReferenceStates();
        return BornFidelity.LogClosedForm(state.Alpha.unsqueeze(1), state.Beta.unsqueeze(1),
            references.Alpha.unsqueeze(0), references.Beta.unsqueeze(0), Grid.Sigma).MoveToOuterDisposeScope();
    }

    /// <summary>Closed-form fidelity of each sample to each reference state, features for later layers: (B, M) → (B, K).</summary>
    public Tensor ReferenceFidelity(CoherentStateParameters state)
    {
        using var scope = NewDisposeScope();
        return ReferenceLogFidelity(state).exp().MoveToOuterDisposeScope();
    }

    /// <summary>The extractors' KAN regularization (efficient-kan's L1 + entropy terms), summed; a scalar.</summary>
    public Tensor RegularizationLoss(double l1Weight = 1.0, double entropyWeight = 1.0)
    {
        using var scope = NewDisposeScope();
        return alpha_extractor.RegularizationLoss(l1Weight, entropyWeight)
            .Plus(beta_extractor.RegularizationLoss(l1Weight, entropyWeight))
            .Plus(gamma_extractor.RegularizationLoss(l1Weight, entropyWeight)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The standard deviation u must have, near 0, for two unrelated inputs to start at mean −log F = InitialSpread:
    /// with α ≈ A·u, β ≈ B·u, each mode contributes <c>s²·(A²/(2σ²) + 2σ²B²)</c>.
    /// </summary>
    private double InitialOutputScale()
    {
        double a = Grid.MaxCenter, b = Options.BetaMax, s2 = Grid.Sigma * Grid.Sigma;
        return Math.Sqrt(Options.InitialSpread / (Modes * (a * a / (2 * s2) + 2 * s2 * b * b)));
    }

    // The KAN layers initialize for unit-variance outputs; scaling the last layer's parameters scales its output
    // (exactly for linear-in-coefficient bases such as Chebyshev) while leaving AdamW's step sizes unchanged.
    private static void ScaleLastLayer(KanNetwork extractor, double scale)
    {
        using var noGrad = no_grad();
        foreach (var p in extractor.Layers[^1].parameters())
            p.TimesInPlace(scale);
    }
}
