using System.Text.Json;
using QuantumKan.ML.Classification;
using QuantumKan.ML.Persistence;
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
}
