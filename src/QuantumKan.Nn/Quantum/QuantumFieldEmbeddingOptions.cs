using QuantumKan.Nn.Kan;

namespace QuantumKan.Nn.Quantum;

/// <summary>
/// Options of a <see cref="QuantumFieldEmbedding"/>. Serializable as JSON (public init properties), so models can
/// persist the options they were built with.
/// </summary>
public sealed record QuantumFieldEmbeddingOptions
{
    /// <summary>Number of modes M of the product state; the embedding has 3·M values. Default 16.</summary>
    public int Modes { get; init; } = 16;

    /// <summary>Number of learned reference states K that <see cref="QuantumFieldEmbedding.ReferenceFidelity"/> compares against. Default 16; 0 for none.</summary>
    public int ReferenceStates { get; init; } = 16;

    /// <summary>The sampling grid and packet width σ. Default N = 1024, L = 12, σ = 1.5.</summary>
    public WavefunctionGrid Grid { get; init; } = new();

    /// <summary>
    /// Bound on the wavenumbers, <c>|β| ≤ BetaMax</c>, in radians per position unit. Default 2, against a Nyquist limit
    /// π/Δx ≈ 134 on the default grid; at most a quarter of that limit is accepted.
    /// </summary>
    public double BetaMax { get; init; } = 2.0;

    /// <summary>The KAN layers that extract α, β and γ. Default Chebyshev of degree 8 (on tanh-squashed inputs).</summary>
    public KanLayerOptions Extractor { get; init; } = new ChebyshevKanOptions { Degree = 8 };

    /// <summary>Hidden widths of each extractor between the input and the M outputs. Default none (one KAN layer).</summary>
    public int[] HiddenWidths { get; init; } = [];

    /// <summary>Whether the extractors put LayerNorm between hidden KAN layers. Default false.</summary>
    public bool LayerNormBetween { get; init; }

    /// <summary>
    /// Mean <c>−log F</c> between two unrelated inputs at initialization (assuming standardized inputs): the extractors'
    /// last layers are scaled down to this, so training starts where fidelities, and their gradients, are not vanishingly
    /// small. Default 1 (F ≈ 0.37).
    /// </summary>
    public double InitialSpread { get; init; } = 1.0;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (Modes < 1)
            throw new ArgumentOutOfRangeException(nameof(Modes), Modes, "At least one mode is needed.");
        if (ReferenceStates < 0)
            throw new ArgumentOutOfRangeException(nameof(ReferenceStates), ReferenceStates, "The number of reference states cannot be negative.");
        ArgumentNullException.ThrowIfNull(Grid, nameof(Grid));
        Grid.Validate();
        if (!(BetaMax > 0) || BetaMax > Grid.NyquistWavenumber / 4)
            throw new ArgumentOutOfRangeException(nameof(BetaMax), BetaMax,
                $"BetaMax must be positive and well under the grid's Nyquist limit π/Δx = {Grid.NyquistWavenumber:G4} (at most a quarter of it).");
        ArgumentNullException.ThrowIfNull(Extractor, nameof(Extractor));
        Extractor.Validate();
        ArgumentNullException.ThrowIfNull(HiddenWidths, nameof(HiddenWidths));
        if (HiddenWidths.Any(w => w < 1))
            throw new ArgumentOutOfRangeException(nameof(HiddenWidths), string.Join(", ", HiddenWidths), "Hidden widths must be at least 1.");
        if (!(InitialSpread > 0) || double.IsInfinity(InitialSpread))
            throw new ArgumentOutOfRangeException(nameof(InitialSpread), InitialSpread, "The initial spread must be positive and finite.");
    }
}
