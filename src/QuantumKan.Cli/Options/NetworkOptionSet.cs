using System.CommandLine;
using System.CommandLine.Parsing;
using QuantumKan.Nn.Kan;
using QuantumKan.Nn.Network;
using QuantumKan.Nn.Quantum;

namespace QuantumKan.Cli.Options;

/// <summary>The architecture options of <c>train</c>: the quantum field embedding and the KAN layers.</summary>
internal sealed class NetworkOptionSet
{
    private static readonly QuantumKanNetworkOptions Defaults = new();

    public Option<int> Modes { get; } = new Option<int>("--modes")
    {
        Description = $"Modes M of the quantum field embedding (the embedding has 3·M values).",
        DefaultValueFactory = _ => Defaults.Embedding.Modes,
    }.InRange(1, 4096);

    public Option<int> References { get; } = new Option<int>("--references")
    {
        Description = $"Learned reference states the representation measures fidelity to (0 for none).",
        DefaultValueFactory = _ => Defaults.Embedding.ReferenceStates,
    }.InRange(0, 4096);

    public Option<KanBasis> ExtractorBasis { get; } = new("--extractor-basis")
    {
        Description = $"KAN basis of the embedding's α/β/γ extractors.",
        DefaultValueFactory = _ => Defaults.Embedding.Extractor.Basis,
    };

    public Option<int> ExtractorDegree { get; } = new Option<int>("--extractor-degree")
    {
        Description = $"Polynomial degree of a Chebyshev extractor.",
        DefaultValueFactory = _ => Defaults.Embedding.Extractor.Degree,
    }.InRange(1, 64);

    public Option<int[]> SemanticWidths { get; } = new("--semantic-widths")
    {
        Description = "Hidden widths of the semantic KAN layers, comma-separated (e.g. 128,64).",
        DefaultValueFactory = _ => Defaults.SemanticWidths,
        CustomParser = CommandValidation.ParsePositiveIntegers,
    };

    public Option<KanBasis> SemanticBasis { get; } = new("--semantic-basis")
    {
        Description = $"KAN basis of the semantic layers: BSpline, Chebyshev, Fourier, Rbf, Sinc or PiecewiseLinear.",
        DefaultValueFactory = _ => Defaults.Semantic.Basis,
    };

    public Option<KanBasis> HeadBasis { get; } = new("--head-basis")
    {
        Description = $"KAN basis of the classification head.",
        DefaultValueFactory = _ => Defaults.Head.Basis,
    };

    public Option<KanBasis> DecoderBasis { get; } = new("--decoder-basis")
    {
        Description = $"KAN basis of the reconstruction decoder.",
        DefaultValueFactory = _ => Defaults.Decoder.Basis,
    };

    public Option<int> GridSize { get; } = new Option<int>("--grid-size")
    {
        Description = $"Grid intervals G of grid-based bases (B-spline, RBF, piecewise linear) in the semantic layers and head.",
        DefaultValueFactory = _ => Defaults.Semantic.GridSize,
    }.InRange(1, 256);

    public Option<int> SplineOrder { get; } = new Option<int>("--spline-order")
    {
        Description = $"B-spline order k (3 = cubic) in the semantic layers and head.",
        DefaultValueFactory = _ => Defaults.Semantic.SplineOrder,
    }.InRange(1, 8);

    public Option<bool> NoLayerNorm { get; } = new("--no-layer-norm")
    {
        Description = "Leave out the LayerNorm between the semantic layers and before the head.",
    };

    public void AddTo(Command command)
    {
        Option[] options = [Modes, References, ExtractorBasis, ExtractorDegree, SemanticWidths, SemanticBasis, HeadBasis, DecoderBasis, GridSize, SplineOrder, NoLayerNorm];
        foreach (var option in options)
            command.Options.Add(option);
        command.ValidateBy(r => Read(r));
    }

    /// <summary>The architecture the arguments describe (validated).</summary>
    public QuantumKanNetworkOptions Read(SymbolResult r)
    {
        KanLayerOptions Layer(KanLayerOptions defaults, KanBasis basis) =>
            defaults with { Basis = basis, GridSize = r.GetValue(GridSize), SplineOrder = r.GetValue(SplineOrder) };
        var network = Defaults with
        {
            Embedding = Defaults.Embedding with
            {
                Modes = r.GetValue(Modes),
                ReferenceStates = r.GetValue(References),
                Extractor = Defaults.Embedding.Extractor with { Basis = r.GetValue(ExtractorBasis), Degree = r.GetValue(ExtractorDegree) },
            },
            SemanticWidths = r.GetValue(SemanticWidths) is { Length: > 0 } widths ? widths : Defaults.SemanticWidths,
            Semantic = Layer(Defaults.Semantic, r.GetValue(SemanticBasis)),
            Head = Layer(Defaults.Head, r.GetValue(HeadBasis)),
            Decoder = Defaults.Decoder with { Basis = r.GetValue(DecoderBasis) },
            LayerNorm = !r.GetValue(NoLayerNorm),
        };
        network.Validate();
        return network;
    }
}
