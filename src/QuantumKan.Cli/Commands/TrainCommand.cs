using QuantumKan.ML;
using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.ML;
using QuantumKan.Cli.Options;
using QuantumKan.Cli.Presentation;
using QuantumKan.Cli.Workflow;
using QuantumKan.ML.Classification;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;

namespace QuantumKan.Cli.Commands;

/// <summary><c>qkan train</c>: featurize once into the cache, train, save one model zip and its training curves.</summary>
internal static class TrainCommand
{
    public static Command Create(CliConsole console)
    {
        var data = new DataOptionSet(withSplit: false);
        var frontEnd = new MelOptionSet(CommonOptions.ClassifierFrontEnd, fixedSizeOnly: true);
        var network = new NetworkOptionSet();
        var training = new TrainingOptionSet(defaultEpochs: new TrainerOptions().Epochs, defaultBatchSize: new TrainerOptions().BatchSize);
        var output = new Option<string>("--out", "-o") { Description = "The model zip to write.", DefaultValueFactory = _ => "model.zip", HelpName = "model.zip" };
        var cache = new Option<string?>("--cache") { Description = "Feature cache folder (features are computed once, then reused while the audio and front end are unchanged). Default: qkan-cache beside --out.", HelpName = "dir" };
        var task = new Option<ClassificationTask>("--task") { Description = "MultiLabel (any subset of classes per clip, FSD50K) or Multiclass (exactly one per clip).", DefaultValueFactory = _ => ClassificationTask.MultiLabel };
        var cacheFloat16 = new Option<bool>("--cache-float16") { Description = "Store cached features as float16: half the disk and page cache, values rounded to 11 significant bits." };
        var continueFrom = new Option<string?>("--continue-from") { Description = "Train a saved model further (its front end and architecture are kept; --epochs is the new total).", HelpName = "model.zip" };

        var command = new Command("train", "Train a QuantumKan classifier on FSD50K or your own CSV and save it as an ML.NET model zip (plus its training-curve PNG).");
        data.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(cache);
        command.Options.Add(task);
        command.Options.Add(continueFrom);
        command.Options.Add(cacheFloat16);
        training.AddTo(command);
        network.AddTo(command);
        frontEnd.AddTo(command);
        command.SetAction(parse =>
        {
            var r = parse.CommandResult;
            var trainerOptions = training.Read(r);
            var modelPath = Path.GetFullPath(r.GetValue(output)!);
            var continued = r.GetValue(continueFrom) is { } from ? AudioClassifier.Load(new MLContext(), from) : null;
            if (continued is not null && continued.Classifier.Task != r.GetValue(task))
                throw new CliErrors.UsageException($"--continue-from names a {continued.Classifier.Task} model; pass --task {continued.Classifier.Task}.");
            var plan = new TrainingPlan(
                data.Read(r), modelPath, r.GetValue(cache) is { } dir ? Path.GetFullPath(dir) : ArtifactPaths.Cache(modelPath),
                frontEnd.Read(r), r.GetValue(task), network.Read(r), trainerOptions, r.GetValue(training.Seed),
                r.GetValue(training.ValidationFraction), r.GetValue(training.Resume), continued) { CacheFloat16 = r.GetValue(cacheFloat16) };
            var outcome = TrainingWorkflow.Run(plan, console);
            WriteSummary(console, outcome);
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>What was saved and how good the best validation was.</summary>
    public static void WriteSummary(CliConsole console, TrainingOutcome outcome)
    {
        var classifier = outcome.Model.Classifier;
        console.Out.WriteLine($"Saved the model to {outcome.ModelPath} ({new FileInfo(outcome.ModelPath).Length / 1024.0 / 1024.0:F1} MB: front end, network and training checkpoint).");
        if (outcome.CurvesPath is not null)
            console.Out.WriteLine($"Training curves: {outcome.CurvesPath}");
        // The trainer's own record of its best validation (monitored metric, minimum improvement), not a re-derivation.
        var meta = classifier.Checkpoint.Metadata;
        string metric = meta.Options.MonitorMetric ?? MetricNames.DefaultFor(meta.Task);
        if (meta.State.BestEpoch() is { } best && meta.State.BestMetric is double value)
            console.Out.WriteLine($"Best validation {TrainingProgressView.MetricLabel(metric)}: {value:F3} at epoch {best.Epoch + 1} of {classifier.TrainingHistory.Count} (the saved weights are the best epoch's).");
    }
}
