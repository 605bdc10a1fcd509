using System.Text.Json;
using System.Text.Json.Nodes;
using QuantumKan.Training.Checkpoints;
using QuantumKan.Training.Model;

namespace QuantumKan.Training.Loop;

/// <summary>
/// Decides whether a checkpoint can be resumed by a run with given options and data. An exact resume needs the same
/// task, the same training-set size and every option that shapes the trajectory unchanged; options that only say where
/// or how often things are written (workspace, device, checkpoint interval) may change.
/// </summary>
internal static class ResumeCompatibility
{
    private static readonly HashSet<string> FreeOptions =
        [nameof(TrainerOptions.Workspace), nameof(TrainerOptions.Device), nameof(TrainerOptions.AllowCpuFallback), nameof(TrainerOptions.CheckpointEverySteps)];

    public static void Check(TrainingCheckpoint checkpoint, ClassificationTask task, TrainerOptions options, int trainingSetSize, bool allowOptionChanges)
    {
        var meta = checkpoint.Metadata;
        if (meta.Task != task)
            throw new CheckpointMismatchException(checkpoint.Source, $"it was trained for a {meta.Task} task, not {task}.");
        if (allowOptionChanges)
            return;
        if (meta.State.TrainingSetSize != trainingSetSize)
            throw new CheckpointMismatchException(checkpoint.Source,
                $"it was trained on {meta.State.TrainingSetSize} examples, but the training set has {trainingSetSize}; an exact resume needs the same data (or allow option changes).");
        var changed = ChangedOptions(meta.Options, options);
        if (changed.Count > 0)
            throw new CheckpointMismatchException(checkpoint.Source,
                $"the options {string.Join(", ", changed)} differ from the checkpoint's, which would change the training trajectory; restore them or allow option changes.");
    }

    internal static List<string> ChangedOptions(TrainerOptions saved, TrainerOptions current)
    {
        var a = JsonSerializer.SerializeToNode(saved, CheckpointJson.Options)!.AsObject();
        var b = JsonSerializer.SerializeToNode(current, CheckpointJson.Options)!.AsObject();
        return a.Select(kv => kv.Key)
            .Where(name => !FreeOptions.Contains(name) && !JsonNode.DeepEquals(a[name], b[name]))
            .ToList();
    }
}
