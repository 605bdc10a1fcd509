using static TorchSharp.torch;

namespace QuantumKan.Nn.Kan;

/// <summary>
/// What every KAN layer variant shares. A layer maps <c>x: (batch, InFeatures)</c> to <c>(batch, OutFeatures)</c>
/// by expanding each input into its K basis values as one contiguous <c>(batch, InFeatures·K)</c> tensor and doing one
/// matrix product; no <c>(batch, out, in, K)</c> tensor is ever built.
/// </summary>
public interface IKanLayer
{
    /// <summary>Input width.</summary>
    int InFeatures { get; }

    /// <summary>Output width.</summary>
    int OutFeatures { get; }

    /// <summary>The basis this layer uses.</summary>
    KanBasis Basis { get; }

    /// <summary>Basis functions per input (K).</summary>
    int BasisSize { get; }

    /// <summary>
    /// The regularization term of efficient-kan: <c>l1Weight · L1(mean |coefficients|) + entropyWeight · entropy</c>,
    /// a scalar tensor on the layer's device.
    /// </summary>
    Tensor RegularizationLoss(double l1Weight = 1.0, double entropyWeight = 1.0);
}
