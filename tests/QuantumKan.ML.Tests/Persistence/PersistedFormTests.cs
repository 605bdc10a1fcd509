using System.Text.Json;
using QuantumKan.ML.Classification;
using QuantumKan.ML.Persistence;
using QuantumKan.Nn.Kan;
using QuantumKan.Nn.Network;
using QuantumKan.Training.Model;

namespace QuantumKan.ML.Tests.Persistence;

/// <summary>
/// Pins the JSON of the classifier's persisted sections, so that model zips saved before a refactoring still load.
/// </summary>
public class PersistedFormTests
{
    private static readonly ClassifierColumns Columns = new("Features", "Score", "PredictedLabel", "Embedding", "Label", 64);

    [Theory]
    [InlineData(ClassificationTask.MultiLabel, "\"Task\":\"MultiLabel\"")]
    [InlineData(ClassificationTask.Multiclass, "\"Task\":\"Multiclass\"")]
    public void Header_WritesTheTaskByItsPersistedName(ClassificationTask task, string expected)
    {
        var header = new QuantumKanClassifierTransformer.ClassifierHeader(task, ["a", "b"], Columns, 0.5f);
        Assert.Contains(expected, JsonSerializer.Serialize(header, ModelStateJson.Options));
    }

    [Theory]
    [InlineData("MultiLabel", ClassificationTask.MultiLabel)]
    [InlineData("Multiclass", ClassificationTask.Multiclass)]
    public void Header_SavedBeforeTheEnumsMerged_StillReads(string persisted, ClassificationTask expected)
    {
        // The Header section exactly as the classifier wrote it when the task was ML's own ClassificationTask.
        var json = $$"""{"Task":"{{persisted}}","ClassNames":["a","b"],"Columns":{"Features":"Features","Score":"Score","PredictedLabel":"PredictedLabel","Embedding":"Embedding","Label":"Label","FeatureCount":64},"DecisionThreshold":0.5}""";
        var header = JsonSerializer.Deserialize<QuantumKanClassifierTransformer.ClassifierHeader>(json, ModelStateJson.Options)!;
        Assert.Equal(expected, header.Task);
        Assert.Equal(json, JsonSerializer.Serialize(header, ModelStateJson.Options));
    }

    // KAN layer options exactly as every version before the typed per-basis records wrote them (one flat record, every
    // field of every basis, in this order), taken from the Network section of model zips.
    private static string LegacyKan(string basis, int gridSize = 5, int splineOrder = 3, string gridMin = "-1", string gridMax = "1",
        int degree = 8, int harmonics = 5, string sincSteps = "1,0.5", bool scaler = true, bool rbfLayerNorm = true, string gridEps = "0.02") =>
        $$"""{"Basis":"{{basis}}","GridSize":{{gridSize}},"SplineOrder":{{splineOrder}},"GridMin":{{gridMin}},"GridMax":{{gridMax}},"Degree":{{degree}},"Harmonics":{{harmonics}},"SincSteps":[{{sincSteps}}],"StandaloneSplineScaler":{{(scaler ? "true" : "false")}},"RbfLayerNorm":{{(rbfLayerNorm ? "true" : "false")}},"GridEps":{{gridEps}}}""";

    public static TheoryData<string, KanLayerOptions> LegacyKanShapes() => new()
    {
        { LegacyKan("BSpline", gridSize: 7, splineOrder: 2, gridMin: "-2", gridMax: "1.5", scaler: false, gridEps: "0.1"),
            new BSplineKanOptions { GridSize = 7, SplineOrder = 2, GridMin = -2, GridMax = 1.5, StandaloneSplineScaler = false, GridEps = 0.1 } },
        { LegacyKan("Chebyshev", degree: 2), new ChebyshevKanOptions { Degree = 2 } },
        { LegacyKan("Fourier", harmonics: 3), new FourierKanOptions { Harmonics = 3 } },
        { LegacyKan("Rbf", gridSize: 4, gridMin: "-2", gridMax: "2", rbfLayerNorm: false), new RbfKanOptions { GridSize = 4, GridMin = -2, GridMax = 2, RbfLayerNorm = false } },
        { LegacyKan("PiecewiseLinear", gridSize: 40, gridMin: "0", gridMax: "2"), new PiecewiseLinearKanOptions { GridSize = 40, GridMin = 0, GridMax = 2 } },
    };

    [Theory]
    [MemberData(nameof(LegacyKanShapes))]
    public void KanLayerOptions_SavedAsOneFlatRecord_ReadAsTheirBasisRecord_AndAreWrittenTheSame(string legacy, KanLayerOptions expected)
    {
        var read = JsonSerializer.Deserialize<KanLayerOptions>(legacy, ModelStateJson.Options)!;
        Assert.Equal(expected, read);
        Assert.Equal(legacy, JsonSerializer.Serialize(read, ModelStateJson.Options));
    }

    [Fact]
    public void KanLayerOptions_LegacySinc_ReadsItsStepsAndRange()
    {
        var legacy = LegacyKan("Sinc", gridMin: "-2", gridMax: "2", sincSteps: "0.25");
        var read = Assert.IsType<SincKanOptions>(JsonSerializer.Deserialize<KanLayerOptions>(legacy, ModelStateJson.Options));
        Assert.Equal([0.25], read.SincSteps);
        Assert.Equal((-2.0, 2.0), (read.GridMin, read.GridMax));
        Assert.Equal(legacy, JsonSerializer.Serialize<KanLayerOptions>(read, ModelStateJson.Options));
    }

    [Fact]
    public void KanLayerOptions_FieldsOfOtherBasesInALegacyRecord_AreIgnored()
    {
        // `qkan train --semantic-basis Chebyshev --grid-size 3` saved GridSize 3 into a Chebyshev record, where it did nothing.
        var read = JsonSerializer.Deserialize<KanLayerOptions>(LegacyKan("Chebyshev", gridSize: 3, splineOrder: 1, degree: 4), ModelStateJson.Options);
        Assert.Equal(new ChebyshevKanOptions { Degree = 4 }, read);
        Assert.IsType<BSplineKanOptions>(JsonSerializer.Deserialize<KanLayerOptions>("""{"GridSize":6}""", ModelStateJson.Options));
    }

    [Fact]
    public void NetworkSection_WritesTheDefaultLayersInTheLegacyShape_AndReadsThemBack()
    {
        var json = JsonSerializer.Serialize(new QuantumKanNetworkOptions(), ModelStateJson.Options);
        Assert.Contains("\"Extractor\":" + LegacyKan("Chebyshev", degree: 2), json);
        Assert.Contains("\"Semantic\":" + LegacyKan("BSpline"), json);
        Assert.Contains("\"Decoder\":" + LegacyKan("PiecewiseLinear"), json);
        Assert.Contains("\"KanFilter\":" + LegacyKan("Chebyshev", degree: 3), json);
        var read = JsonSerializer.Deserialize<QuantumKanNetworkOptions>(json, ModelStateJson.Options)!;
        Assert.Equal(new ChebyshevKanOptions { Degree = 2 }, read.Embedding.Extractor);
        Assert.Equal(new BSplineKanOptions(), read.Head);
        Assert.Equal(json, JsonSerializer.Serialize(read, ModelStateJson.Options));
    }
}
