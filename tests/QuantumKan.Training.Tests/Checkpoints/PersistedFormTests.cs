using System.Text.Json;
using QuantumKan.Training.Checkpoints;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;

namespace QuantumKan.Training.Tests.Checkpoints;

/// <summary>
/// Pins how checkpoint metadata spells what it persists, so that checkpoints written before a rename still load:
/// the task by member name, and the loss weights under their property names.
/// </summary>
public class PersistedFormTests
{
    [Theory]
    [InlineData(ClassificationTask.MultiLabel, "\"Task\": \"MultiLabel\"")]
    [InlineData(ClassificationTask.Multiclass, "\"Task\": \"Multiclass\"")]
    public void Task_IsWrittenByItsPersistedName(ClassificationTask task, string expected)
    {
        var metadata = new CheckpointMetadata(1, task, new TrainerOptions(), new TrainingState(), DateTime.UnixEpoch, new ParameterLayout([]));
        Assert.Contains(expected, JsonSerializer.Serialize(metadata, CheckpointJson.Options));
    }

    [Theory]
    [InlineData("MultiLabel", ClassificationTask.MultiLabel)]
    [InlineData("Multiclass", ClassificationTask.Multiclass)]
    public void Task_WrittenBeforeTheEnumsMerged_StillReads(string persisted, ClassificationTask expected)
    {
        var metadata = JsonSerializer.Deserialize<CheckpointMetadata>($$"""{"FormatVersion":1,"Task":"{{persisted}}"}""", CheckpointJson.Options)!;
        Assert.Equal(expected, metadata.Task);
    }

    [Fact]
    public void Task_MembersKeepTheirNumbers()
    {
        Assert.Equal(0, (int)ClassificationTask.MultiLabel);
        Assert.Equal(1, (int)ClassificationTask.Multiclass);
        Assert.Equal(["MultiLabel", "Multiclass"], Enum.GetNames<ClassificationTask>());
    }
}
