using static TorchSharp.torch;

namespace QuantumKan.Nn.Quantum;

/// <summary>
/// The parameters of a batch of M-mode product states: centre α, wavenumber β and phase γ of every mode, each (B, M).
/// Packed as one (B, 3M) tensor in the order <c>[α_1..α_M, β_1..β_M, γ_1..γ_M]</c>, the layout of embedding vectors.
/// </summary>
/// <param name="Alpha">Packet centres α, (B, M), in position units.</param>
/// <param name="Beta">Wavenumbers β, (B, M), in radians per position unit.</param>
/// <param name="Gamma">Global phases γ, (B, M), in radians.</param>
public readonly record struct CoherentStateParameters(Tensor Alpha, Tensor Beta, Tensor Gamma)
{
    /// <summary>Number of modes M.</summary>
    public int Modes => (int)Alpha.shape[^1];

    /// <summary>The packed (B, 3M) layout <c>[α | β | γ]</c>.</summary>
    public Tensor Pack() => cat([Alpha, Beta, Gamma], -1);

    /// <summary>Splits a packed (..., 3M) tensor back into α, β, γ (views, no copy).</summary>
    /// <exception cref="ArgumentException">The last dimension is not a positive multiple of 3.</exception>
    public static CoherentStateParameters Unpack(Tensor packed)
    {
        ArgumentNullException.ThrowIfNull(packed);
        var size = packed.shape[^1];
        if (size == 0 || size % 3 != 0)
            throw new ArgumentException($"A packed embedding has 3·M values per row; got {size}.", nameof(packed));
        var parts = packed.chunk(3, -1);
        return new CoherentStateParameters(parts[0], parts[1], parts[2]);
    }
}
