using QuantumKan.ML;
using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using QuantumKan.Cli.Options;
using QuantumKan.Cli.Plots;
using QuantumKan.Cli.Presentation;
using QuantumKan.Cli.Workflow;
using QuantumKan.Data;

namespace QuantumKan.Cli.Commands;

/// <summary><c>qkan evaluate</c>: whole-set metrics, best and worst classes, a per-class AP chart, optional predictions CSV.</summary>
internal static class EvaluateCommand
{
    public static Command Create(CliConsole console)
    {
        var model = CommonOptions.Model();
        var data = new DataOptionSet(withSplit: true);
        var predictions = new Option<string?>("--predictions") { Description = "Also write every clip's scores to this CSV: fname, then one column per class named by its label.", HelpName = "preds.csv" };
        var plot = new Option<string?>("--plot") { Description = "Where to draw the per-class AP bar chart. Default: <model>.class-ap.png beside the model (if that cannot be written, a warning says so and the evaluation still succeeds; a --plot you name must be written).", HelpName = "file.png" };
        var shown = new Option<int>("--show") { Description = "Best and worst classes listed.", DefaultValueFactory = _ => 5 }.InRange(1, 10_000);

        var command = new Command("evaluate", "Score a labeled set with a saved model: mAP, d′, lwlrap (or accuracy for multiclass models), best and worst classes.");
        command.Options.Add(model);
        data.AddTo(command);
        command.Options.Add(predictions);
        command.Options.Add(plot);
        command.Options.Add(shown);
        command.SetAction(parse =>
        {
            var r = parse.CommandResult;
            var loaded = AudioClassifier.Load(new MLContext(seed: 1), r.GetValue(model)!);
            var source = data.Read(r);
            var plotPath = r.GetValue(plot) is { } p ? Path.GetFullPath(p) : ArtifactPaths.ClassPrecision(r.GetValue(model)!);
            Run(console, loaded, source, r.GetValue(predictions), plotPath, r.GetValue(shown), plotRequired: r.GetValue(plot) is not null);
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>
    /// Evaluates, prints the report, writes the chart (when a path is given) and the predictions CSV (when asked). When
    /// <c>plotRequired</c> (the user named the chart's path), failing to write the chart fails the command after the
    /// predictions are written; otherwise it is a warning.
    /// </summary>
    public static EvaluationResult Run(CliConsole console, AudioClassifier model, DataSource source, string? predictionsPath, string? plotPath, int shown,
        bool plotRequired = false)
    {
        var set = source.LoadForEvaluation(model.ClassNames);
        if (set.SkippedMissingAudio.Count > 0)
            console.Warn($"left out {set.SkippedMissingAudio.Count} listed clip(s) whose audio is missing, first: {set.SkippedMissingAudio[0]}");
        var result = EvaluationWorkflow.Run(model, set, source.EvaluationListing, console);
        EvaluationReport.Write(console, result, source.Describe(), shown);

        string title = $"Per-class average precision, {source.EvaluatedSplit} clips (mAP {result.MultiLabel.MeanAveragePrecision.ToString("F3", CultureInfo.InvariantCulture)})";
        Exception? plotFailure = null;
        if (plotPath is not null)
        {
            try
            {
                ClassPrecisionChart.Save(result.ClassNames, result.MultiLabel.AveragePrecision, title, plotPath);
                console.Out.WriteLine($"Per-class AP chart: {plotPath}");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
            {
                if (plotRequired)
                    plotFailure = ex;
                else
                    console.Warn($"could not write the per-class AP chart to {plotPath}: {CliErrors.MessageOf(ex)}");
            }
        }
        if (predictionsPath is not null)
        {
            var full = Path.GetFullPath(predictionsPath);
            PredictionsCsvWriter.Write(full, result.ClassNames, set.Clips.Select(c => c.Fname).ToArray(), result.Scores);
            console.Out.WriteLine($"Predictions ({set.Clips.Count} clips × {result.ClassCount} classes): {full}");
        }
        if (plotFailure is not null)
            throw new IOException($"Could not write the per-class AP chart to {plotPath}: {CliErrors.MessageOf(plotFailure)}", plotFailure);
        return result;
    }
}
