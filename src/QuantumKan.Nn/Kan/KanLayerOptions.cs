using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuantumKan.Nn.Kan;

/// <summary>
/// Options for one KAN layer: one sealed record per basis (<see cref="BSplineKanOptions"/>, <see cref="ChebyshevKanOptions"/>,
/// <see cref="FourierKanOptions"/>, <see cref="RbfKanOptions"/>, <see cref="SincKanOptions"/>,
/// <see cref="PiecewiseLinearKanOptions"/>), each holding only the settings its basis reads.
/// </summary>
/// <remarks>
/// Persisted as JSON in model zips (inside the network options) in the flat shape every version has written: the
/// <c>Basis</c> name and every basis' fields, those of other bases at their defaults. <see cref="KanLayerOptionsJsonConverter"/>
/// writes that shape and reads it back into the record of the named basis, so models saved before the options were typed
/// still load, and models saved now still load in older versions.
/// </remarks>
[JsonConverter(typeof(KanLayerOptionsJsonConverter))]
public abstract record KanLayerOptions
{
    private protected KanLayerOptions()
    {
    }

    /// <summary>The basis these options build.</summary>
    public abstract KanBasis Basis { get; }

    /// <summary>The default options of <paramref name="basis"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="basis"/> is not a <see cref="KanBasis"/> value.</exception>
    public static KanLayerOptions For(KanBasis basis) => basis switch
    {
        KanBasis.BSpline => new BSplineKanOptions(),
        KanBasis.Chebyshev => new ChebyshevKanOptions(),
        KanBasis.Fourier => new FourierKanOptions(),
        KanBasis.Rbf => new RbfKanOptions(),
        KanBasis.Sinc => new SincKanOptions(),
        KanBasis.PiecewiseLinear => new PiecewiseLinearKanOptions(),
        _ => throw new ArgumentException($"{nameof(Basis)} = {(int)basis} is not a {nameof(KanBasis)} value.", nameof(basis)),
    };

    /// <summary>
    /// Checks every setting against its valid range and throws <see cref="ArgumentException"/> naming the first bad one.
    /// Called by <see cref="KanLayer.Create"/>; call it yourself to fail early on options read from a file.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it and its value.</exception>
    public virtual void Validate()
    {
    }
}

/// <summary>Options of the bases defined over a grid range [<see cref="GridMin"/>, <see cref="GridMax"/>].</summary>
public abstract record KanGridRangeOptions : KanLayerOptions
{
    private protected KanGridRangeOptions()
    {
    }

    /// <summary>Lower end of the grid range. Default −1.</summary>
    public double GridMin { get; init; } = -1.0;

    /// <summary>Upper end of the grid range. Default 1.</summary>
    public double GridMax { get; init; } = 1.0;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (!double.IsFinite(GridMin) || !double.IsFinite(GridMax) || GridMax <= GridMin)
            throw new ArgumentException($"The grid range needs finite {nameof(GridMin)} < {nameof(GridMax)}, got [{GridMin}, {GridMax}].", nameof(GridMin));
    }
}

/// <summary>Options of the bases with <see cref="GridSize"/> intervals over their grid range.</summary>
public abstract record KanGridOptions : KanGridRangeOptions
{
    private protected KanGridOptions()
    {
    }

    /// <summary>Grid intervals G. Default 5.</summary>
    public int GridSize { get; init; } = 5;

    /// <inheritdoc />
    public override void Validate()
    {
        if (GridSize < 1)
            throw new ArgumentException($"{nameof(GridSize)} must be at least 1, got {GridSize}.", nameof(GridSize));
        base.Validate();
    }
}

/// <summary>B-spline basis (efficient-kan): <see cref="KanGridOptions.GridSize"/> + <see cref="SplineOrder"/> functions per input.</summary>
public sealed record BSplineKanOptions : KanGridOptions
{
    /// <inheritdoc />
    public override KanBasis Basis => KanBasis.BSpline;

    /// <summary>B-spline order k (3 = cubic). Default 3.</summary>
    public int SplineOrder { get; init; } = 3;

    /// <summary>Whether the layer has a standalone per-edge spline scaler. Default true.</summary>
    public bool StandaloneSplineScaler { get; init; } = true;

    /// <summary>Grid update: blend between data quantiles (0) and the uniform grid (1). Default 0.02.</summary>
    public double GridEps { get; init; } = 0.02;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (SplineOrder < 1)
            throw new ArgumentException($"{nameof(SplineOrder)} must be at least 1, got {SplineOrder}.", nameof(SplineOrder));
        if (!double.IsFinite(GridEps) || GridEps < 0 || GridEps > 1)
            throw new ArgumentException($"{nameof(GridEps)} must lie in [0, 1], got {GridEps}.", nameof(GridEps));
    }
}

/// <summary>Chebyshev polynomial basis: <see cref="Degree"/> + 1 functions per input.</summary>
public sealed record ChebyshevKanOptions : KanLayerOptions
{
    /// <inheritdoc />
    public override KanBasis Basis => KanBasis.Chebyshev;

    /// <summary>Polynomial degree K (K+1 basis functions). Default 8.</summary>
    public int Degree { get; init; } = 8;

    /// <inheritdoc />
    public override void Validate()
    {
        if (Degree < 1)
            throw new ArgumentException($"{nameof(Degree)} must be at least 1, got {Degree}.", nameof(Degree));
    }
}

/// <summary>Fourier basis: 2·<see cref="Harmonics"/> functions per input.</summary>
public sealed record FourierKanOptions : KanLayerOptions
{
    /// <inheritdoc />
    public override KanBasis Basis => KanBasis.Fourier;

    /// <summary>Number of harmonics. Default 5.</summary>
    public int Harmonics { get; init; } = 5;

    /// <inheritdoc />
    public override void Validate()
    {
        if (Harmonics < 1)
            throw new ArgumentException($"{nameof(Harmonics)} must be at least 1, got {Harmonics}.", nameof(Harmonics));
    }
}

/// <summary>Gaussian radial basis (FastKAN): <see cref="KanGridOptions.GridSize"/> + 1 centres per input.</summary>
public sealed record RbfKanOptions : KanGridOptions
{
    /// <inheritdoc />
    public override KanBasis Basis => KanBasis.Rbf;

    /// <summary>
    /// Whether the layer puts its inputs through a LayerNorm (without affine parameters) first, as FastKAN does.
    /// Default true. Turn it off for narrow inputs (a LayerNorm over one or two features maps every sample to the same
    /// one or two values) or for inputs already on the grid's scale.
    /// </summary>
    public bool RbfLayerNorm { get; init; } = true;
}

/// <summary>Sinc basis: for each step size h, the integer shifts whose centres fall in the grid range.</summary>
public sealed record SincKanOptions : KanGridRangeOptions
{
    /// <inheritdoc />
    public override KanBasis Basis => KanBasis.Sinc;

    /// <summary>Step sizes h. Default {1, 0.5}.</summary>
    public double[] SincSteps { get; init; } = [1.0, 0.5];

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (SincSteps is null || SincSteps.Length == 0)
            throw new ArgumentException($"{nameof(SincSteps)} needs at least one step size.", nameof(SincSteps));
        foreach (var h in SincSteps)
        {
            if (!double.IsFinite(h) || h <= 0)
                throw new ArgumentException($"{nameof(SincSteps)} must be finite and positive, got {h}.", nameof(SincSteps));
        }
    }
}

/// <summary>Piecewise-linear (hat) basis: <see cref="KanGridOptions.GridSize"/> + 1 knots per input.</summary>
public sealed record PiecewiseLinearKanOptions : KanGridOptions
{
    /// <inheritdoc />
    public override KanBasis Basis => KanBasis.PiecewiseLinear;
}

/// <summary>
/// Reads and writes <see cref="KanLayerOptions"/> in the flat JSON shape of model zips: <c>Basis</c>, <c>GridSize</c>,
/// <c>SplineOrder</c>, <c>GridMin</c>, <c>GridMax</c>, <c>Degree</c>, <c>Harmonics</c>, <c>SincSteps</c>,
/// <c>StandaloneSplineScaler</c>, <c>RbfLayerNorm</c>, <c>GridEps</c>. Fields a basis does not use are written at their
/// defaults and ignored on reading; a missing field keeps its default, a missing <c>Basis</c> means B-spline.
/// </summary>
public sealed class KanLayerOptionsJsonConverter : JsonConverter<KanLayerOptions>
{
    /// <inheritdoc />
    public override KanLayerOptions Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var json = document.RootElement;
        if (json.ValueKind != JsonValueKind.Object)
            throw new JsonException($"{nameof(KanLayerOptions)} must be a JSON object.");
        T Get<T>(string name, T fallback)
        {
            string key = options.PropertyNamingPolicy?.ConvertName(name) ?? name;
            foreach (var property in json.EnumerateObject())
            {
                if (string.Equals(property.Name, key, options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                    return property.Value.ValueKind == JsonValueKind.Null ? fallback : property.Value.Deserialize<T>(options)!;
            }
            return fallback;
        }

        var basis = Get(nameof(KanLayerOptions.Basis), KanBasis.BSpline);
        var range = (Min: Get(nameof(KanGridRangeOptions.GridMin), -1.0), Max: Get(nameof(KanGridRangeOptions.GridMax), 1.0));
        int gridSize = Get(nameof(KanGridOptions.GridSize), 5);
        return basis switch
        {
            KanBasis.BSpline => new BSplineKanOptions
            {
                GridSize = gridSize, GridMin = range.Min, GridMax = range.Max,
                SplineOrder = Get(nameof(BSplineKanOptions.SplineOrder), 3),
                StandaloneSplineScaler = Get(nameof(BSplineKanOptions.StandaloneSplineScaler), true),
                GridEps = Get(nameof(BSplineKanOptions.GridEps), 0.02),
            },
            KanBasis.Chebyshev => new ChebyshevKanOptions { Degree = Get(nameof(ChebyshevKanOptions.Degree), 8) },
            KanBasis.Fourier => new FourierKanOptions { Harmonics = Get(nameof(FourierKanOptions.Harmonics), 5) },
            KanBasis.Rbf => new RbfKanOptions
            {
                GridSize = gridSize, GridMin = range.Min, GridMax = range.Max,
                RbfLayerNorm = Get(nameof(RbfKanOptions.RbfLayerNorm), true),
            },
            KanBasis.Sinc => new SincKanOptions
            {
                GridMin = range.Min, GridMax = range.Max, SincSteps = Get<double[]>(nameof(SincKanOptions.SincSteps), [1.0, 0.5]),
            },
            KanBasis.PiecewiseLinear => new PiecewiseLinearKanOptions { GridSize = gridSize, GridMin = range.Min, GridMax = range.Max },
            _ => throw new JsonException($"{nameof(KanLayerOptions.Basis)} = {(int)basis} is not a {nameof(KanBasis)} value."),
        };
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, KanLayerOptions value, JsonSerializerOptions options)
    {
        var grid = value as KanGridOptions;
        var range = value as KanGridRangeOptions;
        var spline = value as BSplineKanOptions;
        writer.WriteStartObject();
        void Field<T>(string name, T v)
        {
            writer.WritePropertyName(options.PropertyNamingPolicy?.ConvertName(name) ?? name);
            JsonSerializer.Serialize(writer, v, options);
        }
        Field(nameof(KanLayerOptions.Basis), value.Basis);
        Field(nameof(KanGridOptions.GridSize), grid?.GridSize ?? 5);
        Field(nameof(BSplineKanOptions.SplineOrder), spline?.SplineOrder ?? 3);
        Field(nameof(KanGridRangeOptions.GridMin), range?.GridMin ?? -1.0);
        Field(nameof(KanGridRangeOptions.GridMax), range?.GridMax ?? 1.0);
        Field(nameof(ChebyshevKanOptions.Degree), (value as ChebyshevKanOptions)?.Degree ?? 8);
        Field(nameof(FourierKanOptions.Harmonics), (value as FourierKanOptions)?.Harmonics ?? 5);
        Field(nameof(SincKanOptions.SincSteps), (value as SincKanOptions)?.SincSteps ?? [1.0, 0.5]);
        Field(nameof(BSplineKanOptions.StandaloneSplineScaler), spline?.StandaloneSplineScaler ?? true);
        Field(nameof(RbfKanOptions.RbfLayerNorm), (value as RbfKanOptions)?.RbfLayerNorm ?? true);
        Field(nameof(BSplineKanOptions.GridEps), spline?.GridEps ?? 0.02);
        writer.WriteEndObject();
    }
}
