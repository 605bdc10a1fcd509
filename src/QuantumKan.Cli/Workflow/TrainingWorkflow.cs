using QuantumKan.ML.Training;
using Microsoft.ML;
using QuantumKan.Core;
using QuantumKan.Audio.Mel;
using QuantumKan.Cli.Plots;
using QuantumKan.Cli.Presentation;
using QuantumKan.ML.Classification;
using QuantumKan.Data;
using QuantumKan.Nn.Network;
using QuantumKan.ML;
using QuantumKan.Data.Cache;
using QuantumKan.Training.Checkpoints;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;

namespace QuantumKan.Cli.Workflow;

/// <summary>Everything one training run needs, gathered from the command line (or the demo's settings).</summary>
/// <param name="Data">The labeled clips: train rows train, val rows (or a held-out share) validate.</param>
/// <param name="ModelPath">Where the model zip goes.</param>
/// <param name="CacheDirectory">The feature cache folder (features are computed once and reused by later runs).</param>
/// <param name="FrontEnd">The log-mel options; one fixed-size vector per clip.</param>
/// <param name="Task">Multi-label or multiclass.</param>
/// <param name="Network">The architecture.</param>
/// <param name="Training">Optimization, loss weights, device, workspace.</param>
/// <param name="Seed">The MLContext seed.</param>
/// <param name="ValidationFraction">Share of training clips held out when the data has no val rows; 0 for none.</param>
/// <param name="ResumeFromWorkspace">Continue the run checkpointed in the workspace.</param>
/// <param name="ContinueFrom">A model to train further (its front end and architecture are kept), or null.</param>
internal sealed record TrainingPlan(
    DataSource Data,
    string ModelPath,
    string CacheDirectory,
    LogMelOptions FrontEnd,
    ClassificationTask Task,
    QuantumKanNetworkOptions Network,
    TrainerOptions Training,
    int Seed,
    double ValidationFraction,
    bool ResumeFromWorkspace,
    AudioClassifier? ContinueFrom)
{
    /// <summary>Store cached features as float16 (half the cache; see <see cref="FeatureCacheOptions.Float16Storage"/>).</summary>
    public bool CacheFloat16 { get; init; }
}

/// <summary>What a training run produced. <see cref="CurvesPath"/> is the training-curve PNG, or null when it could not be written (a warning said why).</summary>
internal sealed record TrainingOutcome(AudioClassifier Model, string ModelPath, string? CurvesPath, int TrainClips, int ValidationClips, int ClassCount);

/// <summary>
/// The <c>train</c> recipe: list the clips, featurize them once into the memory-mapped feature cache (in parallel),
/// train the QuantumKan classifier streaming from that cache, put the audio front end in front of it, save one model
/// zip, and draw the training curves beside it.
/// </summary>
internal static class TrainingWorkflow
{
    public static TrainingOutcome Run(TrainingPlan plan, CliConsole console)
    {
        try
        {
            return RunInWorkspace(plan, console);
        }
        catch (WorkspaceNotEmptyException ex)
        {
            throw new IOException($"workspace '{ex.Workspace}' holds the checkpoints of an earlier run; pass --resume to continue it, or --overwrite to start a new run that replaces them.", ex);
        }
        catch (OperationCanceledException) when (plan.Training.Workspace is null)
        {
            console.Error.WriteLine("cancelled; no --workspace was given, so nothing can be resumed.");
            throw;
        }
        catch (OperationCanceledException)
        {
            console.Error.WriteLine($"cancelled; the last checkpoint is in {plan.Training.Workspace}: rerun with --resume to continue.");
            throw;
        }
    }

    private static TrainingOutcome RunInWorkspace(TrainingPlan plan, CliConsole console)
    {
        // An unavailable GPU, a workspace another run holds, or checkpoints a new run would replace are reported before
        // minutes of featurization, not after (the trainer takes the workspace's lock again for the run itself).
        TorchRuntime.ResolveDevice(plan.Training.Device, plan.Training.AllowCpuFallback);
        if (plan.Training.Workspace is { } workspace)
        {
            var mode = plan.ResumeFromWorkspace ? WorkspaceStart.Resume : plan.Training.OverwriteWorkspace ? WorkspaceStart.Overwrite : WorkspaceStart.Fresh;
            using var held = TrainingWorkspace.Open(workspace, mode);
            if (held.RemovedTemporaries.Count > 0)
                console.Out.WriteLine($"Removed {held.RemovedTemporaries.Count} temporary file(s) a crashed checkpoint write left in {held.Directory}.");
        }
        var display = new ProgressDisplay(console);
        var (trainSet, validationSet, testRowsLeftOut) = plan.Data.LoadForTraining();
        if (testRowsLeftOut > 0)
            console.Out.WriteLine($"Leaving out {testRowsLeftOut} eval/test row(s) of {plan.Data.TrainingListing}: they are never trained on.");
        ReportSkipped(console, trainSet, validationSet);
        if (plan.Task == ClassificationTask.Multiclass)
        {
            RequireOneLabelPerClip(trainSet, plan.Data.TrainingListing);
            if (validationSet is not null)
                RequireOneLabelPerClip(validationSet, plan.Data.TrainingListing);
        }

        var context = new MLContext(plan.Seed);
        var run = new AudioClassifierTraining(context, new AudioClassifierTrainingOptions
        {
            CacheDirectory = plan.CacheDirectory,
            FrontEnd = plan.FrontEnd,
            Task = plan.Task,
            Classifier = new QuantumKanClassifierOptions
            {
                Network = plan.Network,
                Training = plan.Training,
                ResumeFromWorkspace = plan.ResumeFromWorkspace,
                CancellationToken = console.Cancellation,
            },
            CacheFloat16 = plan.CacheFloat16,
            ValidationFraction = plan.ValidationFraction,
            HoldOutSeed = plan.Seed,
            ContinueFrom = plan.ContinueFrom,
        });
        // The library's recipe, one step at a time under the console's progress display.
        using var train = Featurize(display, "Featurizing training clips", trainSet, run);
        using var validation = validationSet is null ? null : Featurize(display, "Featurizing validation clips", validationSet, run);
        var data = run.Prepare(trainSet, train, validation, line => console.Out.WriteLine(line));
        int epochs = plan.Training.Epochs;
        var model = display.Run(run.Describe(data), (double)epochs * data.TrainClips,
            step => run.Train(data, new TrainingProgressView(step, epochs, data.TrainClips, plan.ContinueFrom is not null)), plainPercentages: false);

        var classifier = model.Classifier;
        var modelPath = Path.GetFullPath(plan.ModelPath);
        model.Save(modelPath);
        var curvesPath = ArtifactPaths.TrainingCurves(modelPath);
        // The chart is a by-product nobody asked for by name: failing to draw it must not fail a run whose model is saved.
        bool drawn = ChartWriting.TryOrWarn(console, "the training-curve chart", curvesPath,
            () => TrainingCurvesChart.Save(classifier.TrainingHistory, curvesPath, classifier.Checkpoint.Metadata.State.BestEpoch()?.Epoch + 1));
        return new TrainingOutcome(model, modelPath, drawn ? curvesPath : null, data.TrainClips, data.ValidationClips, trainSet.Vocabulary.Count);
    }

    /// <summary>Featurizes a set into the cache (only clips that are new or changed) with a progress display.</summary>
    public static CachedFeatureSource Featurize(ProgressDisplay display, string title, LabeledAudioSet set, AudioClassifierTraining run)
    {
        return display.Run($"{title} ({set.Clips.Count})", set.Clips.Count, step =>
        {
            var source = run.Featurize(set, new Progress(step));
            var report = source.View.Report;
            if (report.Reused > 0)
                step.Log($"  reused the cached features of {report.Reused} clip(s) in {run.Options.CacheDirectory}");
            if (report.DiscardedReason is { } reason)
                step.Log($"  rebuilt the feature cache: {reason}");
            return source;
        });
    }

    private static void ReportSkipped(CliConsole console, params LabeledAudioSet?[] sets)
    {
        var skipped = sets.Where(s => s is not null).SelectMany(s => s!.SkippedMissingAudio).ToArray();
        if (skipped.Length > 0)
            console.Warn($"left out {skipped.Length} listed clip(s) whose audio is missing, first: {skipped[0]}");
    }

    private static void RequireOneLabelPerClip(LabeledAudioSet set, string listing)
    {
        var clip = set.Clips.FirstOrDefault(c => c.LabelIndices.Count != 1);
        if (clip is not null)
            throw new AudioDatasetException(listing, clip.LineNumber,
                $"clip '{clip.Fname}' has {clip.LabelIndices.Count} labels; --task Multiclass needs exactly one per clip (use MultiLabel otherwise).");
    }

    // Cache builds report from several threads; the bar counts clips featurized in this build.
    private sealed class Progress(IStepProgress step) : IProgress<FeatureCacheProgress>
    {
        public void Report(FeatureCacheProgress value)
        {
            step.SetTotal(Math.Max(value.ToCompute, 1));
            step.SetDone(value.ToCompute == 0 ? 1 : value.Computed);
        }
    }
}

/// <summary>Writes the charts that go with a model, which are never worth failing a run for unless asked for by name.</summary>
internal static class ChartWriting
{
    /// <summary>Runs <paramref name="write"/>; if it fails, warns on stderr naming the file and returns false.</summary>
    public static bool TryOrWarn(CliConsole console, string what, string path, Action write)
    {
        try
        {
            write();
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
            console.Warn($"could not write {what} to {path}: {CliErrors.MessageOf(ex)}");
            return false;
        }
    }
}

/// <summary>Where the CLI puts the files that go with a model.</summary>
internal static class ArtifactPaths
{
    /// <summary>model.zip → model.training.png (per-epoch losses and validation metrics).</summary>
    public static string TrainingCurves(string modelPath) => Beside(modelPath, ".training.png");

    /// <summary>model.zip → model.class-ap.png (per-class AP of the last evaluation).</summary>
    public static string ClassPrecision(string modelPath) => Beside(modelPath, ".class-ap.png");

    /// <summary>The default feature cache: a "qkan-cache" folder beside the model.</summary>
    public static string Cache(string modelPath) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, "qkan-cache");

    private static string Beside(string modelPath, string suffix)
    {
        var full = Path.GetFullPath(modelPath);
        return Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + suffix);
    }
}
