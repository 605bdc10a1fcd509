namespace QuantumKan.Nn.Kan;

/// <summary>
/// Options for one KAN layer. Fields that do not apply to the chosen <see cref="Basis"/> are ignored.
/// Serializable as JSON (public fields), so models can persist the options they were built with.
/// </summary>
public sealed record KanLayerOptions
{
    /// <summary>The basis. Default <see cref="KanBasis.BSpline"/>.</summary>
    public KanBasis Basis { get; init; } = KanBasis.BSpline;

    /// <summary>Grid intervals G for B-spline, RBF and piecewise-linear bases. Default 5.</summary>
    public int GridSize { get; init; } = 5;

    /// <summary>B-spline order k (3 = cubic). Default 3.</summary>
    public int SplineOrder { get; init; } = 3;

    /// <summary>Lower end of the grid range for grid-based bases. Default −1.</summary>
    public double GridMin { get; init; } = -1.0;

    /// <summary>Upper end of the grid range for grid-based bases. Default 1.</summary>
    public double GridMax { get; init; } = 1.0;

    /// <summary>Polynomial degree K for the Chebyshev basis (K+1 basis functions). Default 8.</summary>
    public int Degree { get; init; } = 8;

    /// <summary>Number of harmonics for the Fourier basis. Default 5.</summary>
    public int Harmonics { get; init; } = 5;

    /// <summary>Step sizes h for the sinc basis. Default {1, 0.5}.</summary>
    public double[] SincSteps { get; init; } = [1.0, 0.5];

    /// <summary>Whether the B-spline layer has a standalone per-edge spline scaler. Default true.</summary>
    public bool StandaloneSplineScaler { get; init; } = true;

    /// <summary>
    /// Whether the RBF layer puts its inputs through a LayerNorm (without affine parameters) first, as FastKAN does.
    /// Default true. Turn it off for
    /// narrow inputs (a LayerNorm over one or two features maps every sample to the same one or two values) or for
    /// inputs already on the grid's scale.
    /// </summary>
    public bool RbfLayerNorm { get; init; } = true;

    /// <summary>B-spline grid update: blend between data quantiles (0) and the uniform grid (1). Default 0.02.</summary>
    public double GridEps { get; init; } = 0.02;

    /// <summary>
    /// Checks every field against its valid range and throws <see cref="ArgumentException"/> naming the first bad one.
    /// Called by <see cref="KanLayer.Create"/>; call it yourself to fail early on options read from a file.
    /// </summary>
    /// <exception cref="ArgumentException">A field is out of range; the message names it and its value.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Basis))
            throw new ArgumentException($"{nameof(Basis)} = {(int)Basis} is not a {nameof(KanBasis)} value.", nameof(Basis));
        if (GridSize < 1)
            throw new ArgumentException($"{nameof(GridSize)} must be at least 1, got {GridSize}.", nameof(GridSize));
        if (SplineOrder < 1)
            throw new ArgumentException($"{nameof(SplineOrder)} must be at least 1, got {SplineOrder}.", nameof(SplineOrder));
        if (!double.IsFinite(GridMin) || !double.IsFinite(GridMax) || GridMax <= GridMin)
            throw new ArgumentException($"The grid range needs finite {nameof(GridMin)} < {nameof(GridMax)}, got [{GridMin}, {GridMax}].", nameof(GridMin));
        if (Degree < 1)
            throw new ArgumentException($"{nameof(Degree)} must be at least 1, got {Degree}.", nameof(Degree));
        if (Harmonics < 1)
            throw new ArgumentException($"{nameof(Harmonics)} must be at least 1, got {Harmonics}.", nameof(Harmonics));
        if (SincSteps is null || SincSteps.Length == 0)
            throw new ArgumentException($"{nameof(SincSteps)} needs at least one step size.", nameof(SincSteps));
        foreach (var h in SincSteps)
        {
            if (!double.IsFinite(h) || h <= 0)
                throw new ArgumentException($"{nameof(SincSteps)} must be finite and positive, got {h}.", nameof(SincSteps));
        }
        if (!double.IsFinite(GridEps) || GridEps < 0 || GridEps > 1)
            throw new ArgumentException($"{nameof(GridEps)} must lie in [0, 1], got {GridEps}.", nameof(GridEps));
    }
}
