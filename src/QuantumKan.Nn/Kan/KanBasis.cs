namespace QuantumKan.Nn.Kan;

/// <summary>The basis a KAN layer expands each input into.</summary>
public enum KanBasis
{
    /// <summary>B-splines with a SiLU base branch, as efficient-kan. The default for semantic layers and heads.</summary>
    BSpline,

    /// <summary>Chebyshev polynomials T_0..T_K of tanh(x). The default for the quantum-embedding extractors.</summary>
    Chebyshev,

    /// <summary>cos/sin harmonics.</summary>
    Fourier,

    /// <summary>Gaussian radial basis functions on a fixed grid, with LayerNorm in front (FastKAN).</summary>
    Rbf,

    /// <summary>sinc(x/h + j) over several step sizes h, plus a linear skip.</summary>
    Sinc,

    /// <summary>Hat functions on a grid (piecewise linear), the fastest variant.</summary>
    PiecewiseLinear,
}
