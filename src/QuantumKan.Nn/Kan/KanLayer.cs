using QuantumKan.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Kan;

/// <summary>
/// A Kolmogorov–Arnold layer: every input feature is expanded into K basis values (one contiguous
/// <c>(batch, K·in)</c> tensor) and one matrix product with the learned <c>(out, K·in)</c> coefficients sums the
/// learned univariate functions of every edge. No <c>(batch, out, in, K)</c> tensor is ever built, which is what
/// makes this design as fast as an MLP of the same parameter count (efficient-kan's trick, applied to every basis).
/// </summary>
/// <remarks>
/// The basis is laid out <c>(batch, K, in)</c>, input fastest: every elementwise step of a basis expansion then runs
/// over contiguous rows of <c>in</c> values, which vectorizes, instead of rows of K ≈ 4–10 values, which does not.
/// Input <c>(…, InFeatures)</c> → output <c>(…, OutFeatures)</c>; leading dimensions are flattened into one batch.
/// Works in float32 (default) and float64 (<c>module.to(ScalarType.Float64)</c>) on any device: the grids and constants
/// are registered buffers, so <c>.to(device)</c> moves them too. Gradients are exact; second derivatives with respect
/// to the input (double backward) are only available for Chebyshev, Fourier, piecewise-linear and order-1 B-spline
/// layers, because the B-spline (order ≥ 2), RBF and sinc expansions attach a closed-form first derivative instead of
/// recording their steps (see bench/results/kan.md for what that buys).
/// </remarks>
public abstract class KanLayer : nn.Module<Tensor, Tensor>
{
    // Field name = component name, so TorchSharp's .to() swaps the moved tensor into this field.
    private Parameter coefficients;

    private protected KanLayer(string name, int inFeatures, int outFeatures, int basisSize, KanLayerOptions options)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        options.Validate();
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        BasisSize = basisSize;
        Options = options;
        coefficients = AddParameter(nameof(coefficients), empty(outFeatures, basisSize, inFeatures));
    }

    /// <summary>Creates the layer variant of <paramref name="options"/>' basis record, initialized for unit-variance activations.</summary>
    /// <param name="inFeatures">Input width, at least 1.</param>
    /// <param name="outFeatures">Output width, at least 1.</param>
    /// <param name="options">Basis and its settings; validated here.</param>
    /// <exception cref="ArgumentException">A width is below 1 or an option is out of range.</exception>
    public static KanLayer Create(int inFeatures, int outFeatures, KanLayerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options switch
        {
            BSplineKanOptions o => new BSplineKanLayer(inFeatures, outFeatures, o),
            ChebyshevKanOptions o => new ChebyshevKanLayer(inFeatures, outFeatures, o),
            FourierKanOptions o => new FourierKanLayer(inFeatures, outFeatures, o),
            RbfKanOptions o => new RbfKanLayer(inFeatures, outFeatures, o),
            SincKanOptions o => new SincKanLayer(inFeatures, outFeatures, o),
            PiecewiseLinearKanOptions o => new PiecewiseLinearKanLayer(inFeatures, outFeatures, o),
            _ => throw new ArgumentException($"Unknown KAN basis {options.Basis}.", nameof(options)),
        };
    }

    /// <summary>Input width.</summary>
    public int InFeatures { get; }

    /// <summary>Output width.</summary>
    public int OutFeatures { get; }

    /// <summary>The basis this layer uses.</summary>
    public KanBasis Basis => Options.Basis;

    /// <summary>Basis functions per input (K).</summary>
    public int BasisSize { get; }

    /// <summary>The options this layer was built with.</summary>
    public KanLayerOptions Options { get; }

    /// <summary>The learned basis coefficients, <c>(out, K, in)</c>: edge (o, i) computes Σ_k c[o,k,i]·φ_k(x_i).</summary>
    public Parameter Coefficients => coefficients;

    /// <summary>Maps <c>x: (…, InFeatures)</c> to <c>(…, OutFeatures)</c>.</summary>
    /// <exception cref="ArgumentException">The last dimension is not InFeatures, or dtype/device differ from the layer's.</exception>
    public sealed override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var batch = FlattenInput(x);
        var y = Transform(batch); // (B, out)
        if (x.dim() != 2)
            y = y.reshape([.. x.shape[..^1], OutFeatures]);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>The basis values of every input, <c>x: (…, InFeatures)</c> → <c>(B, InFeatures, K)</c> with B the flattened batch.</summary>
    /// <exception cref="ArgumentException">The input does not match the layer (see <see cref="forward"/>).</exception>
    public Tensor ExpandBasis(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Expand(FlattenInput(x)).transpose(1, 2).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The regularization term of efficient-kan: <c>l1Weight · L1(mean |coefficients|) + entropyWeight · entropy</c>,
    /// a scalar tensor on the layer's device.
    /// </summary>
    public Tensor RegularizationLoss(double l1Weight = 1.0, double entropyWeight = 1.0)
    {
        using var scope = NewDisposeScope();
        return KanRegularization.Compute(RegularizedCoefficients, l1Weight, entropyWeight).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Basis values, <c>x: (B, in)</c> → <c>(B, K, in)</c>, contiguous. When nothing upstream needs a gradient
    /// (x is a leaf input without requires_grad, typically the first layer) the expansion runs without autograd: it has
    /// no parameters of its own, so recording its dozen elementwise steps would only cost time and saved memory.
    /// </summary>
    private protected Tensor Expand(Tensor x)
    {
        var input = Prepare(x);
        if (input.requires_grad || !is_grad_enabled())
            return ExpandCore(input);
        using var noGrad = no_grad();
        return ExpandCore(input);
    }

    /// <summary>
    /// Attaches the closed-form input derivative of a basis computed without autograd:
    /// <paramref name="values"/> + (x − x̄)·<paramref name="derivatives"/> with x̄ = x detached has the value of the basis
    /// and d/dx equal to the derivatives, so back-propagation costs one product and a sum instead of a pass back through
    /// every elementwise step of the expansion (and the intermediates saved for it). Exact to first order; second
    /// derivatives through the expansion (double backward) come out as zero.
    /// </summary>
    /// <param name="values">(B, K, in) basis values, computed without autograd.</param>
    /// <param name="derivatives">(B, K, in) d(values)/dx, computed without autograd.</param>
    /// <param name="x">(B, in) the input that needs the gradient.</param>
    private protected static Tensor AttachInputDerivative(Tensor values, Tensor derivatives, Tensor x)
    {
        var displacement = (x - x.detach()).unsqueeze(1);   // (B, 1, in): zero, but carries d/dx
        return addcmul(values, displacement, derivatives, ScalarArithmetic.One);
    }

    /// <summary>A learnable transform of the input before the expansion (RBF: LayerNorm); identity by default.</summary>
    private protected virtual Tensor Prepare(Tensor x) => x;

    /// <summary>The parameter-free basis expansion itself, <c>(B, in)</c> → <c>(B, K, in)</c>, differentiable in x (at least to first order).</summary>
    private protected abstract Tensor ExpandCore(Tensor x);

    /// <summary>The layer's function, <c>x: (B, in)</c> → <c>(B, out)</c>.</summary>
    private protected abstract Tensor Transform(Tensor x);

    /// <summary>The <c>(out, K, in)</c> coefficients the regularization acts on (efficient-kan: the unscaled spline weights).</summary>
    private protected virtual Tensor RegularizedCoefficients => coefficients;

    /// <summary>
    /// The one matrix product: <c>basis: (B, K, in)</c> with <c>weights: (out, K, in)</c> → <c>(B, out)</c>, plus
    /// <paramref name="addend"/> <c>(B, out)</c> when given (fused into the same GEMM).
    /// </summary>
    private protected Tensor Contract(Tensor basis, Tensor weights, Tensor? addend = null)
    {
        var flatBasis = basis.view(basis.shape[0], -1);   // (B, K·in)
        var flatWeights = weights.view(OutFeatures, -1);  // (out, K·in)
        return addend is null
            ? nn.functional.linear(flatBasis, flatWeights)
            : addmm(addend, flatBasis, flatWeights.t(), 1, 1);
    }

    /// <summary>
    /// After a dtype change, rebuilds derived constant buffers from their float64 definitions, so a layer moved to
    /// float64 computes its basis to float64 precision instead of carrying float32-rounded constants.
    /// </summary>
    protected override void _toEpilog(ScalarType? dtype, Device? device, bool non_blocking)
    {
        base._toEpilog(dtype, device, non_blocking);
        if (dtype is null)
            return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        RefreshConstants();
    }

    /// <summary>Recomputes constant buffers in their current dtype and device (see <see cref="_toEpilog"/>).</summary>
    private protected virtual void RefreshConstants()
    {
    }

    /// <summary>Registers a trainable tensor, detached from any caller's dispose scope so it lives as long as the layer.</summary>
    private protected Parameter AddParameter(string name, Tensor data)
    {
        var p = nn.Parameter(data.DetachFromDisposeScope());
        p.DetachFromDisposeScope();
        register_parameter(name, p);
        return p;
    }

    /// <summary>Registers a constant tensor (moved by <c>.to()</c>, saved in the state dict), detached from any dispose scope.</summary>
    private protected Tensor AddBuffer(string name, Tensor data)
    {
        var t = data.DetachFromDisposeScope();
        register_buffer(name, t);
        return t;
    }

    /// <summary>Validates <c>x: (…, in)</c> against the layer (width, dtype, device) and flattens it to <c>(B, in)</c>.</summary>
    private protected Tensor FlattenInput(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() < 2 || x.shape[^1] != InFeatures || x.dtype != coefficients.dtype || x.device_type != coefficients.device_type ||
            x.device_index != coefficients.device_index)
        {
            throw new ArgumentException(
                $"{Basis} KAN layer ({InFeatures} → {OutFeatures}) expects input (batch, {InFeatures}) of {coefficients.dtype} on " +
                $"{coefficients.device}; got shape [{string.Join(", ", x.shape)}] of {x.dtype} on {x.device}.", nameof(x));
        }
        return x.dim() == 2 ? x : x.reshape(-1, InFeatures);
    }
}
