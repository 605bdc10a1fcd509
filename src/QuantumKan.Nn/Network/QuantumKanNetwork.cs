using QuantumKan.Nn.Kan;
using QuantumKan.Nn.Quantum;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Network;

/// <summary>
/// The QuantumKan classifier: features → quantum field embedding → a representation built from the quantum state →
/// B-spline KAN semantic layers → KAN head → logits, with a KAN decoder that rebuilds the (standardized) input features
/// from the same representation (the "audio reconstruction" task).
/// <para>
/// The representation never bypasses the state: it is the state's own parameters, normalized to [−1, 1]
/// (α/α_max, β/β_max, cos γ, sin γ — the phase enters through the point on the unit circle, so ±π are the same state),
/// followed by the Born-rule fidelities of the state to K learned reference states. Width 4M + K.
/// </para>
/// </summary>
public sealed class QuantumKanNetwork : nn.Module<Tensor, Tensor>
{
    // Field names equal component names so TorchSharp's .to() swaps moved tensors into them.
    private readonly QuantumFieldEmbedding embedding;
    private readonly KanNetwork semantic;
    private readonly LayerNorm? head_norm;
    private readonly KanLayer head;
    private readonly KanLayer decoder;

    /// <summary>Builds the network.</summary>
    /// <param name="inFeatures">Input feature width D.</param>
    /// <param name="classes">Number of classes C (logits).</param>
    /// <param name="options">Architecture; default <see cref="QuantumKanNetworkOptions"/>.</param>
    public QuantumKanNetwork(int inFeatures, int classes, QuantumKanNetworkOptions? options = null) : base(nameof(QuantumKanNetwork))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        Options = options ?? new QuantumKanNetworkOptions();
        Options.Validate();
        InFeatures = inFeatures;
        Classes = classes;
        embedding = new QuantumFieldEmbedding(inFeatures, Options.Embedding);
        RepresentationSize = 4 * embedding.Modes + Options.Embedding.ReferenceStates;
        int[] widths = [RepresentationSize, .. Options.SemanticWidths];
        semantic = new KanNetwork(widths, Options.Semantic, Options.LayerNorm);
        head_norm = Options.LayerNorm ? nn.LayerNorm(widths[^1]) : null;
        head = KanLayer.Create(widths[^1], classes, Options.Head);
        decoder = KanLayer.Create(RepresentationSize, inFeatures, Options.Decoder);
        RegisterComponents();
    }

    /// <summary>The architecture options.</summary>
    public QuantumKanNetworkOptions Options { get; }

    /// <summary>Input feature width D.</summary>
    public int InFeatures { get; }

    /// <summary>Number of classes C.</summary>
    public int Classes { get; }

    /// <summary>Width of the representation built from the quantum state, 4M + K.</summary>
    public int RepresentationSize { get; }

    /// <summary>The quantum field embedding (for similarity search and the quantum losses).</summary>
    public QuantumFieldEmbedding Embedding => embedding;

    /// <summary>Logits: features (B, D) → (B, C).</summary>
    public override Tensor forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        var state = embedding.Encode(features);
        return Classify(Represent(state)).MoveToOuterDisposeScope();
    }

    /// <summary>Inference: logits (B, C) and the state α, β, γ (B, M) from one pass over features (B, D).</summary>
    public (Tensor Logits, CoherentStateParameters State) ForwardWithState(Tensor features)
    {
        var state = embedding.Encode(features);
        return (Classify(Represent(state)), state);
    }

    /// <summary>Everything one training step needs, from one pass: features (B, D).</summary>
    public NetworkOutputs ForwardAll(Tensor features)
    {
        var state = embedding.Encode(features);               // α, β, γ: (B, M)
        var representation = Represent(state);                 // (B, 4M + K)
        var logits = Classify(representation);                 // (B, C)
        var reconstruction = decoder.call(representation);     // (B, D)
        return new NetworkOutputs(logits, state, representation, reconstruction, embedding.Standardize(features));
    }

    /// <summary>The state-derived representation: (B, M) parameters → (B, 4M + K).</summary>
    public Tensor Represent(CoherentStateParameters state)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>
        {
            state.Alpha / embedding.Grid.MaxCenter,
            state.Beta / embedding.Options.BetaMax,
            state.Gamma.cos(),
            state.Gamma.sin(),
        };
        if (embedding.Options.ReferenceStates > 0)
            parts.Add(embedding.ReferenceFidelity(state));
        return cat(parts, 1).MoveToOuterDisposeScope();
    }

    private Tensor Classify(Tensor representation)
    {
        var h = semantic.call(representation);
        if (head_norm is not null)
            h = head_norm.call(h);
        return head.call(h);
    }

    /// <summary>The KAN regularization (L1 + entropy) of every KAN layer in the network; a scalar.</summary>
    public Tensor RegularizationLoss(double l1Weight = 1.0, double entropyWeight = 1.0)
    {
        using var scope = NewDisposeScope();
        var total = embedding.RegularizationLoss(l1Weight, entropyWeight)
                    + semantic.RegularizationLoss(l1Weight, entropyWeight)
                    + head.RegularizationLoss(l1Weight, entropyWeight)
                    + decoder.RegularizationLoss(l1Weight, entropyWeight);
        return total.MoveToOuterDisposeScope();
    }
}

/// <summary>The outputs of <see cref="QuantumKanNetwork.ForwardAll"/> for one batch.</summary>
/// <param name="Logits">(B, C) class scores.</param>
/// <param name="State">α, β, γ of the embedding, each (B, M).</param>
/// <param name="Representation">(B, 4M + K) state-derived representation.</param>
/// <param name="Reconstruction">(B, D) the decoder's rebuild of the standardized input.</param>
/// <param name="StandardizedInput">(B, D) the input after the embedding's standardization: the reconstruction target.</param>
public sealed record NetworkOutputs(Tensor Logits, CoherentStateParameters State, Tensor Representation, Tensor Reconstruction, Tensor StandardizedInput);
