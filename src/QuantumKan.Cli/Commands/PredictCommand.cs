using QuantumKan.ML;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using QuantumKan.Cli.Options;
using QuantumKan.Cli.Workflow;
using QuantumKan.Training.Model;

namespace QuantumKan.Cli.Commands;

/// <summary>
/// <c>qkan predict</c>: each clip's top-k labels, through the model's own front end streamed and its scorer (the same scores as the saved pipeline's PredictionEngine, without holding the whole clip). A bad or missing clip
/// is reported (naming the file) and the others are still scored; the exit code is then 1.
/// </summary>
internal static class PredictCommand
{
    public static Command Create(CliConsole console)
    {
        var model = CommonOptions.Model();
        var wavs = new Argument<string[]>("wav") { Description = "WAV files to classify.", Arity = ArgumentArity.OneOrMore };
        var top = CommonOptions.Top(5);
        var json = new Option<bool>("--json") { Description = "Write JSON: per clip the top labels and every class score (floats in round-trip form)." };

        var command = new Command("predict", "Classify WAV files with a saved model: the top-k labels and their scores.") { model, wavs, top, json };
        command.RejectDashedPaths(wavs);
        command.SetAction(parse =>
        {
            var loaded = AudioClassifier.Load(new MLContext(seed: 1), parse.GetValue(model)!);
            var clips = parse.GetValue(wavs)!.Select(Path.GetFullPath).ToArray();
            var results = Predict(loaded, clips);
            int k = Math.Min(parse.GetValue(top), loaded.ClassNames.Count);
            if (parse.GetValue(json))
                WriteJson(console.Out, loaded, results, k);
            else
                WriteText(console.Out, loaded, results, k);
            foreach (var failed in results.Where(r => r.Error is not null))
                console.Error.WriteLine($"error: {failed.Error}");
            return results.Any(r => r.Error is not null) ? CliApp.DataError : CliApp.Success;
        });
        return command;
    }

    /// <summary>One clip's scores, or why it could not be scored.</summary>
    internal sealed record ClipPrediction(string Path, float[]? Scores, string? Error);

    internal static ClipPrediction[] Predict(AudioClassifier model, IReadOnlyList<string> paths)
    {
        var results = new ClipPrediction[paths.Count];
        for (int i = 0; i < paths.Count; i++)
        {
            var path = paths[i];
            if (!File.Exists(path))
            {
                results[i] = new ClipPrediction(path, null, $"Audio file '{path}' does not exist.");
                continue;
            }
            try
            {
                results[i] = new ClipPrediction(path, model.Predict(path).Scores, null);
            }
            catch (Exception ex) when (CliErrors.TryDescribeUserError(ex, out var message))
            {
                results[i] = new ClipPrediction(path, null, message);
            }
        }
        return results;
    }

    /// <summary>Class indices of the k highest scores, best first (ties by class order).</summary>
    internal static int[] TopClasses(float[] scores, int k) =>
        Enumerable.Range(0, scores.Length).OrderByDescending(c => scores[c]).ThenBy(c => c).Take(k).ToArray();

    private static void WriteText(TextWriter output, AudioClassifier model, ClipPrediction[] results, int k)
    {
        int width = model.ClassNames.Max(n => n.Length);
        float threshold = model.Scorer.DecisionThreshold;
        bool multiLabel = model.Scorer.Task == ClassificationTask.MultiLabel;
        foreach (var result in results.Where(r => r.Scores is not null))
        {
            output.WriteLine(result.Path);
            foreach (var c in TopClasses(result.Scores!, k))
            {
                float score = result.Scores![c];
                // Multi-label: the labels at or above the decision threshold are the ones the model predicts.
                string mark = multiLabel && score >= threshold ? "  *" : "";
                output.WriteLine($"  {model.ClassNames[c].PadRight(width)}  {score.ToString("F4", CultureInfo.InvariantCulture)}{mark}");
            }
        }
        if (multiLabel && results.Any(r => r.Scores is not null))
            output.WriteLine($"(* = predicted: score ≥ {threshold.ToString(CultureInfo.InvariantCulture)})");
    }

    private static void WriteJson(TextWriter output, AudioClassifier model, ClipPrediction[] results, int k)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("task", model.Scorer.Task.ToString());
            json.WriteNumber("threshold", model.Scorer.DecisionThreshold);
            json.WriteStartArray("classes");
            foreach (var name in model.ClassNames)
                json.WriteStringValue(name);
            json.WriteEndArray();
            json.WriteStartArray("predictions");
            foreach (var result in results.Where(r => r.Scores is not null))
            {
                json.WriteStartObject();
                json.WriteString("file", result.Path);
                json.WriteStartArray("top");
                foreach (var c in TopClasses(result.Scores!, k))
                {
                    json.WriteStartObject();
                    json.WriteString("label", model.ClassNames[c]);
                    json.WriteNumber("score", result.Scores![c]); // float32: the shortest text that reads back to the same bits
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteStartArray("scores");
                foreach (var s in result.Scores!)
                    json.WriteNumberValue(s);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("errors");
            foreach (var result in results.Where(r => r.Error is not null))
            {
                json.WriteStartObject();
                json.WriteString("file", result.Path);
                json.WriteString("error", result.Error);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
