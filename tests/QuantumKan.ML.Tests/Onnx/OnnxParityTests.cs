using QuantumKan.ML.Classification;
using QuantumKan.Nn.Encoders;
using QuantumKan.Nn.Kan;
using QuantumKan.Nn.Network;
using QuantumKan.Nn.Quantum;
using QuantumKan.Onnx;
using QuantumKan.Training.Model;
using Xunit.Abstractions;

namespace QuantumKan.ML.Tests.Onnx;

/// <summary>
/// The exported graph on OnnxRuntime (CPU) against the TorchSharp transformer's own <c>Predict</c>: scores and
/// embedding within 1e-5 absolute, for every KAN basis, both heads' baselines, both tasks, every encoder family and
/// pooling, every inference recipe, and clips shorter than, equal to and longer than a patch.
/// </summary>
public sealed class OnnxParityTests : IDisposable
{
    private const double Tolerance = 1e-5;
    private readonly TempFolder _temp = new("qkan-onnx-");

    private string _directory => _temp.Path;
    private readonly ITestOutputHelper _output;

    public OnnxParityTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _temp.Dispose();

    private static QuantumFieldEmbeddingOptions SmallEmbedding(KanLayerOptions? extractor = null, int[]? hidden = null, bool normsBetween = false) => new()
    {
        Modes = 6,
        ReferenceStates = 4,
        Extractor = extractor ?? new ChebyshevKanOptions { Degree = 3 },
        HiddenWidths = hidden ?? [],
        LayerNormBetween = normsBetween,
    };

    public static TheoryData<KanBasis> Bases => new(Enum.GetValues<KanBasis>());

    [Theory]
    [MemberData(nameof(Bases))]
    public void PooledModel_EveryKanBasis_MatchesTorchSharp(KanBasis basis)
    {
        var layer = KanLayerOptions.For(basis) switch
        {
            BSplineKanOptions o => o with { GridSize = 4, SplineOrder = 3 },
            KanGridOptions o => o with { GridSize = 4 },
            ChebyshevKanOptions o => o with { Degree = 4 },
            FourierKanOptions o => o with { Harmonics = 3 },
            SincKanOptions o => o with { SincSteps = [1.0, 0.5] },
            var o => o,
        };
        var options = new QuantumKanNetworkOptions
        {
            Encoder = FrameEncoderOptions.None,
            // The basis under test in every KAN place: extractors (two layers, LayerNorm between), semantic layers, head.
            Embedding = SmallEmbedding(layer, hidden: [7], normsBetween: true),
            SemanticWidths = [10, 8],
            Semantic = layer,
            Head = layer,
        };
        AssertParity(OnnxTestModels.Classifier(20, 5, options, seed: 10 + (int)basis), $"pooled-{basis}", rows: 12, featureWidth: 20);
    }

    [Theory]
    [InlineData(ClassifierHead.Linear, ClassificationTask.MultiLabel)]
    [InlineData(ClassifierHead.Mlp, ClassificationTask.Multiclass)]
    [InlineData(ClassifierHead.QuantumKan, ClassificationTask.Multiclass)]
    public void PooledModel_BaselineHeadsAndSoftmax_MatchTorchSharp(ClassifierHead head, ClassificationTask task)
    {
        var options = new QuantumKanNetworkOptions
        {
            Encoder = FrameEncoderOptions.None, Embedding = SmallEmbedding(), SemanticWidths = [12], ClassifierHead = head, MlpHiddenWidth = 9, LayerNorm = false,
        };
        AssertParity(OnnxTestModels.Classifier(16, 4, options, seed: 3, task), $"pooled-{head}-{task}", rows: 8, featureWidth: 16);
    }

    public static TheoryData<FrameEncoderKind, TimePoolingKind, ClipInference, bool, KanBasis> Encoders => new()
    {
        { FrameEncoderKind.Temporal, TimePoolingKind.MeanMax, ClipInference.PatchMean, false, KanBasis.Chebyshev },
        { FrameEncoderKind.Temporal, TimePoolingKind.Attention, ClipInference.PatchMax, true, KanBasis.Chebyshev },
        { FrameEncoderKind.Conv2d, TimePoolingKind.MeanMax, ClipInference.WholeClip, false, KanBasis.Chebyshev },
        { FrameEncoderKind.Conv2d, TimePoolingKind.Attention, ClipInference.PatchMean, true, KanBasis.Chebyshev },
        { FrameEncoderKind.KanTemporal, TimePoolingKind.MeanMax, ClipInference.PatchMean, false, KanBasis.Chebyshev },
        { FrameEncoderKind.KanTemporal, TimePoolingKind.Attention, ClipInference.WholeClip, false, KanBasis.BSpline },
        { FrameEncoderKind.KanTemporal, TimePoolingKind.MeanMax, ClipInference.PatchMax, true, KanBasis.Rbf },
    };

    [Theory]
    [MemberData(nameof(Encoders))]
    public void FrameModel_EveryEncoderFamily_AnyClipLength_MatchesTorchSharp(FrameEncoderKind kind, TimePoolingKind pooling, ClipInference inference,
        bool subtractClipMean, KanBasis filterBasis)
    {
        const int bands = 12;
        var options = new QuantumKanNetworkOptions
        {
            Encoder = new FrameEncoderOptions
            {
                Kind = kind, Channels = [6, 8, 10], Kernel = 5, KanKernel = 3, Pooling = pooling, Inference = inference, CropFrames = 24,
                SubtractClipMean = subtractClipMean, KanFilter = KanLayerOptions.For(filterBasis) switch
                {
                    ChebyshevKanOptions o => o with { Degree = 3 },
                    KanGridOptions o => o with { GridSize = 4 },
                    var o => o,
                },
            },
            Embedding = SmallEmbedding(),
            SemanticWidths = [10],
        };
        var model = OnnxTestModels.Classifier(bands, 5, options, seed: 20 + (int)kind * 3 + (int)pooling);
        AssertFrameParity(model, $"frames-{kind}-{pooling}-{inference}", bands, subtractClipMean);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HeadInputStateAndClip_PooledAndFrames_MatchesTorchSharp(bool frames)
    {
        const int width = 12;
        var options = new QuantumKanNetworkOptions
        {
            Encoder = frames
                ? new FrameEncoderOptions { Kind = FrameEncoderKind.Temporal, Channels = [6, 8], Kernel = 5, CropFrames = 24 }
                : FrameEncoderOptions.None,
            Embedding = SmallEmbedding(),
            SemanticWidths = [10],
            HeadInput = HeadInput.StateAndClip,
        };
        var model = OnnxTestModels.Classifier(width, 4, options, seed: 41);
        if (frames)
            AssertFrameParity(model, "frames-state-and-clip", width, subtractClipMean: false);
        else
            AssertParity(model, "pooled-state-and-clip", rows: 8, featureWidth: width);
    }

    [Fact]
    public void NoSemanticLayers_TheHeadReadingStateAndClipDirectly_MatchesTorchSharp()
    {
        const int width = 12;
        var options = new QuantumKanNetworkOptions
        {
            Encoder = new FrameEncoderOptions { Kind = FrameEncoderKind.Temporal, Channels = [6, 8], Kernel = 5, CropFrames = 24 },
            Embedding = SmallEmbedding(),
            SemanticWidths = [],
            HeadInput = HeadInput.StateAndClip,
        };
        var model = OnnxTestModels.Classifier(width, 4, options, seed: 43);
        AssertFrameParity(model, "frames-no-semantic", width, subtractClipMean: false);
    }

    private void AssertFrameParity(QuantumKanClassifierTransformer model, string name, int bands, bool subtractClipMean)
    {
        using var onnx = OnnxTestModels.Export(model, _directory, name);
        Assert.True(onnx.ReadsFrames);
        var random = new Random(7);
        double worstScore = 0, worstEmbedding = 0;
        // Shorter than a patch (tiled), one patch exactly, odd lengths past it (a last patch aligned to the end), long.
        foreach (int frames in new[] { 1, 2, 7, 23, 24, 25, 37, 50, 97 })
        {
            // A one-frame clip tiles into identical frames; subtracting the clip's own mean then leaves nothing but each
            // engine's rounding of that mean (≈1e-7), so both score rounding noise and agree only to about 1e-4.
            if (frames == 1 && subtractClipMean)
                continue;
            var clip = OnnxTestModels.RandomFeatures(random, frames * bands, scale: 3);
            var (expectedScores, expectedEmbedding) = model.Predict(clip);
            var (scores, embedding) = onnx.Predict(clip);
            worstScore = Math.Max(worstScore, OnnxTestModels.MaxDifference(expectedScores, scores));
            worstEmbedding = Math.Max(worstEmbedding, OnnxTestModels.MaxDifference(expectedEmbedding, embedding, angleStart: 2 * expectedEmbedding.Length / 3));
        }
        _output.WriteLine($"{name}: max |Δscore| {worstScore:E2}, max |Δembedding| {worstEmbedding:E2}");
        Assert.True(worstScore <= Tolerance, $"scores differ by {worstScore:E3}");
        Assert.True(worstEmbedding <= Tolerance, $"embedding differs by {worstEmbedding:E3}");
    }

    private void AssertParity(QuantumKanClassifierTransformer model, string name, int rows, int featureWidth)
    {
        using var onnx = OnnxTestModels.Export(model, _directory, name);
        Assert.False(onnx.ReadsFrames);
        Assert.Equal(model.ClassNames, onnx.ClassNames);
        var random = new Random(name.Length);
        double worstScore = 0, worstEmbedding = 0;
        for (int r = 0; r < rows; r++)
        {
            var features = OnnxTestModels.RandomFeatures(random, featureWidth, scale: 2 + r);   // ever wider: past every grid
            var (expectedScores, expectedEmbedding) = model.Predict(features);
            var (scores, embedding) = onnx.Predict(features);
            worstScore = Math.Max(worstScore, OnnxTestModels.MaxDifference(expectedScores, scores));
            worstEmbedding = Math.Max(worstEmbedding, OnnxTestModels.MaxDifference(expectedEmbedding, embedding));
        }
        _output.WriteLine($"{name}: max |Δscore| {worstScore:E2}, max |Δembedding| {worstEmbedding:E2}");
        Assert.True(worstScore <= Tolerance, $"scores differ by {worstScore:E3}");
        Assert.True(worstEmbedding <= Tolerance, $"embedding differs by {worstEmbedding:E3}");
    }
}
