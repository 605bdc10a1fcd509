namespace QuantumKan.Training.Model;

/// <summary>The names of the multi-task loss components, as reported per step and per epoch.</summary>
public static class LossComponents
{
    /// <summary>Multi-label BCE or multiclass cross-entropy on the logits (computed by the trainer).</summary>
    public const string Classification = "classification";

    /// <summary>MSE between the reconstructed and the input features (returned by the model).</summary>
    public const string AudioReconstruction = "audio_reconstruction";

    /// <summary>The Born-rule fidelity contrastive loss of the quantum embedding (returned by the model).</summary>
    public const string QuantumFidelity = "quantum_fidelity";

    /// <summary>Σ θ² over the trainable parameters (computed by the trainer when its weight is non-zero).</summary>
    public const string L2 = "l2";

    /// <summary>The wavefunction normalization penalty (returned by the model).</summary>
    public const string Normalization = "normalization";

    /// <summary>The weighted sum of all components: the quantity that is optimized.</summary>
    public const string Total = "total";
}
