using QuantumKan.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Kan;

/// <summary>
/// A stack of KAN layers of one variant built from widths <c>[in, h1, …, out]</c>, optionally with a LayerNorm after
/// every hidden layer. Input <c>(…, widths[0])</c> → output <c>(…, widths[^1])</c>.
/// </summary>
public sealed class KanNetwork : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<KanLayer> layers;
    private readonly ModuleList<LayerNorm>? norms;
    private readonly KanLayer[] layerArray;

    /// <summary>Builds the network.</summary>
    /// <param name="widths">Feature widths [in, h1, …, out]; at least two, each at least 1.</param>
    /// <param name="options">Basis and settings shared by every layer.</param>
    /// <param name="layerNormBetween">Whether a LayerNorm follows every layer but the last. Default false.</param>
    /// <exception cref="ArgumentException">Fewer than two widths, a width below 1, or invalid options.</exception>
    public KanNetwork(IReadOnlyList<int> widths, KanLayerOptions options, bool layerNormBetween = false)
        : base(nameof(KanNetwork))
    {
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(options);
        if (widths.Count < 2)
            throw new ArgumentException($"A KAN network needs at least two widths [in, out], got {widths.Count}.", nameof(widths));
        for (int i = 0; i < widths.Count; i++)
        {
            if (widths[i] < 1)
                throw new ArgumentException($"Width {i} must be at least 1, got {widths[i]}.", nameof(widths));
        }
        options.Validate();

        Widths = widths.ToArray();
        Options = options;
        layerArray = new KanLayer[widths.Count - 1];
        for (int i = 0; i < layerArray.Length; i++)
            layerArray[i] = KanLayer.Create(widths[i], widths[i + 1], options);
        layers = new ModuleList<KanLayer>(layerArray);
        register_module(nameof(layers), layers);
        if (layerNormBetween && layerArray.Length > 1)
        {
            norms = new ModuleList<LayerNorm>(widths.Skip(1).Take(widths.Count - 2).Select(w => nn.LayerNorm(w)).ToArray());
            register_module(nameof(norms), norms);
        }
    }

    /// <summary>The widths [in, h1, …, out] the network was built from.</summary>
    public IReadOnlyList<int> Widths { get; }

    /// <summary>The options every layer was built with.</summary>
    public KanLayerOptions Options { get; }

    /// <summary>The layers, input first.</summary>
    public IReadOnlyList<KanLayer> Layers => layerArray;

    /// <summary>Maps <c>(…, widths[0])</c> to <c>(…, widths[^1])</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x;
        for (int i = 0; i < layerArray.Length; i++)
        {
            h = layerArray[i].forward(h);
            if (norms is not null && i < norms.Count)
                h = norms[i].forward(h);
        }
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>Sum of every layer's <see cref="KanLayer.RegularizationLoss"/>: a scalar on the network's device.</summary>
    /// <param name="l1Weight">Weight of the L1 term. Default 1.</param>
    /// <param name="entropyWeight">Weight of the entropy term. Default 1.</param>
    public Tensor RegularizationLoss(double l1Weight = 1.0, double entropyWeight = 1.0)
    {
        using var scope = NewDisposeScope();
        var total = layerArray[0].RegularizationLoss(l1Weight, entropyWeight);
        for (int i = 1; i < layerArray.Length; i++)
            total = total.Plus(layerArray[i].RegularizationLoss(l1Weight, entropyWeight));
        return total.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Updates the grid of every B-spline layer from data, efficient-kan style: each layer adapts to the activations
    /// that reach it after the layers before it were updated. Layers of other bases are passed through unchanged.
    /// </summary>
    /// <param name="x">Representative inputs, <c>(batch, widths[0])</c>, at least 2 rows, all finite.</param>
    public void UpdateGrids(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var h = x;
        for (int i = 0; i < layerArray.Length; i++)
        {
            if (layerArray[i] is BSplineKanLayer spline)
                spline.UpdateGrid(h);
            h = layerArray[i].forward(h);
            if (norms is not null && i < norms.Count)
                h = norms[i].forward(h);
        }
    }
}
