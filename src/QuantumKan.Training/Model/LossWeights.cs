namespace QuantumKan.Training.Model;

/// <summary>
/// The weight of each multi-task loss component: total = Σ weight·component. A component whose weight is 0 is neither
/// computed (L2) nor added, so a NaN in a disabled component cannot poison the total.
/// </summary>
/// <remarks>
/// <para>
/// The defaults here are the only ones: the trainer (<see cref="Loop.TrainerOptions.LossWeights"/>), the ML.NET
/// classifier and the CLI all start from <c>new LossWeights()</c>. Classification 1.0, audio reconstruction and quantum
/// fidelity 0.3, normalization 0.1, L2 0.
/// </para>
/// <para>
/// Why the auxiliary weights are 0.3 and not the original system's 1.0: on the benchmark's synthetic multi-label set,
/// full-weight reconstruction and contrastive terms pull the shared embedding away from what the classes need, and held-out
/// mAP fell; at 0.3 they cost no measurable accuracy and still shape the embedding (the contrastive term is what makes it
/// useful for similarity search). The numbers and the command that reproduces them (<c>bench/run.sh --probe</c>) are in
/// bench/RESULTS.md, section "Quality: QuantumKan against a plain MLP of the same size".
/// </para>
/// <para>
/// L2 defaults to 0 (the original used 1e-5) because the optimizer's decoupled weight decay
/// (<see cref="Loop.TrainerOptions.WeightDecay"/>) already regularizes the weights; an L2 term in the loss under Adam is
/// rescaled per parameter by the adaptive step and mostly acts as noise (Loshchilov &amp; Hutter, 2019).
/// </para>
/// </remarks>
public sealed record LossWeights
{
    /// <summary>Weight of the classification loss; default 1.0.</summary>
    public double Classification { get; init; } = 1.0;

    /// <summary>Weight of the audio (feature) reconstruction MSE; default 0.3 (see remarks).</summary>
    public double AudioReconstruction { get; init; } = 0.3;

    /// <summary>Weight of the quantum fidelity contrastive loss; default 0.3 (see remarks).</summary>
    public double QuantumFidelity { get; init; } = 0.3;

    /// <summary>Weight of Σ θ² over the trainable parameters; default 0 (see remarks).</summary>
    public double L2 { get; init; }

    /// <summary>Weight of the wavefunction normalization penalty; default 0.1.</summary>
    public double Normalization { get; init; } = 0.1;

    /// <summary>Weights of further model-specific auxiliary losses, by name; default none.</summary>
    public IReadOnlyDictionary<string, double> Extra { get; init; } = new Dictionary<string, double>();

    /// <summary>The weight of a component by name.</summary>
    /// <exception cref="KeyNotFoundException">No weight is configured for that name.</exception>
    public double For(string component) => component switch
    {
        LossComponents.Classification => Classification,
        LossComponents.AudioReconstruction => AudioReconstruction,
        LossComponents.QuantumFidelity => QuantumFidelity,
        LossComponents.L2 => L2,
        LossComponents.Normalization => Normalization,
        _ => Extra.TryGetValue(component, out var w)
            ? w
            : throw new KeyNotFoundException($"The model returned a loss component '{component}' but no weight is configured for it; add it to LossWeights.Extra."),
    };

    /// <summary>Throws when a weight is negative or not finite.</summary>
    public void Validate()
    {
        foreach (var (name, w) in All())
        {
            if (!double.IsFinite(w) || w < 0)
                throw new ArgumentOutOfRangeException(nameof(LossWeights), w, $"Loss weight '{name}' must be finite and ≥ 0.");
        }
    }

    internal IEnumerable<(string Name, double Weight)> All()
    {
        yield return (LossComponents.Classification, Classification);
        yield return (LossComponents.AudioReconstruction, AudioReconstruction);
        yield return (LossComponents.QuantumFidelity, QuantumFidelity);
        yield return (LossComponents.L2, L2);
        yield return (LossComponents.Normalization, Normalization);
        foreach (var (name, w) in Extra) yield return (name, w);
    }
}
