using QuantumKan.ML;
using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using QuantumKan.Audio;
using QuantumKan.Cli.Options;
using QuantumKan.Cli.Presentation;
using QuantumKan.Cli.Workflow;
using QuantumKan.ML.Quantum;
using Spectre.Console;

namespace QuantumKan.Cli.Commands;

/// <summary>
/// <c>qkan similar</c>: embeds every WAV of a folder with the model's quantum field embedding and lists the clips whose
/// states have the highest Born-rule fidelity to the query's.
/// </summary>
internal static class SimilarCommand
{
    public static Command Create(CliConsole console)
    {
        var model = CommonOptions.Model();
        var index = new Option<string>("--index") { Description = "Folder of WAV files to search.", HelpName = "folder", Required = true };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Also search the folder's subfolders." };
        var top = CommonOptions.Top(5);
        var query = CommonOptions.Wav("The WAV file to find similar sounds to.");

        var command = new Command("similar", "Find the clips in a folder that sound most like a query clip (top-k by quantum-state fidelity).") { model, index, recursive, top, query };
        command.SetAction(parse =>
        {
            var loaded = AudioClassifier.Load(new MLContext(seed: 1), parse.GetValue(model)!);
            var folder = Path.GetFullPath(parse.GetValue(index)!);
            if (!Directory.Exists(folder))
                throw new DirectoryNotFoundException($"Index folder '{folder}' does not exist.");
            var queryPath = CommonOptions.RequireAudioFile(parse.GetValue(query)!);
            var files = Directory.EnumerateFiles(folder, "*.wav", new EnumerationOptions
            {
                RecurseSubdirectories = parse.GetValue(recursive), MatchCasing = MatchCasing.CaseInsensitive,
            }).Order(StringComparer.Ordinal).ToArray();
            if (files.Length == 0)
                throw new FileNotFoundException($"Index folder '{folder}' holds no .wav files{(parse.GetValue(recursive) ? "" : " (add --recursive to search subfolders)")}.");
            var matches = Search(console, loaded, files, queryPath, parse.GetValue(top));
            Write(console, queryPath, matches);
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>One result: a file and its fidelity to the query.</summary>
    internal sealed record Match(string Path, double Fidelity, double LogFidelity);

    internal static Match[] Search(CliConsole console, AudioClassifier model, IReadOnlyList<string> files, string query, int k)
    {
        var embedder = model.Scorer;
        var featurizer = model.FrontEnd;
        var skipped = new List<(string File, string Reason)>();
        var features = new float[]?[files.Count];
        new ProgressDisplay(console).Run($"Embedding {files.Count} clips of the index", files.Count, step =>
        {
            int done = 0;
            // Decode and featurize on every core; a clip that cannot be read is left out and reported.
            Parallel.For(0, files.Count, new ParallelOptions { CancellationToken = console.Cancellation }, i =>
            {
                try
                {
                    features[i] = featurizer.FeaturizeFile(files[i]);
                }
                catch (Exception ex) when (ex is AudioFormatException or IOException or UnauthorizedAccessException)
                {
                    lock (skipped)
                        skipped.Add((files[i], QuantumKan.Core.ExceptionText.ForUser(ex)));
                }
                step.SetDone(Interlocked.Increment(ref done));
            });
            return done;
        });
        foreach (var (file, reason) in skipped)
            console.Warn($"left out {file}: {reason}");
        var kept = Enumerable.Range(0, files.Count).Where(i => features[i] is not null).ToArray();
        if (kept.Length == 0)
            throw new InvalidDataException("No clip of the index could be read.");
        using var index = QuantumSimilarityIndex.Create(kept.Select(i => embedder.Embed(features[i]!)).ToArray(), embedder.EmbeddingSigma);
        var queryEmbedding = embedder.Embed(featurizer.FeaturizeFile(query));
        // The query itself may sit in the index folder; it is not a result.
        return index.Search(queryEmbedding, k + 1).Select(m => new Match(files[kept[m.Row]], m.Fidelity, m.LogFidelity))
            .Where(m => !string.Equals(m.Path, query, StringComparison.Ordinal)).Take(k).ToArray();
    }

    private static void Write(CliConsole console, string query, Match[] matches)
    {
        var table = new Table
        {
            Border = console.TableBorder,
            Title = new TableTitle(Markup.Escape($"Most similar to {query}")),
            // Fidelity is a product over the embedding's modes, so it falls off fast; ln F keeps distant clips comparable.
            Caption = new TableTitle("fidelity F = |⟨query|clip⟩|², Born-rule overlap of the quantum embeddings, 1 for the same sound; ln F = its natural log"),
        };
        table.AddColumn(new TableColumn("rank").RightAligned());
        table.AddColumn(new TableColumn("fidelity").RightAligned());
        table.AddColumn(new TableColumn("ln F").RightAligned());
        table.AddColumn("clip");
        for (int i = 0; i < matches.Length; i++)
            table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), FidelityText(matches[i].Fidelity),
                matches[i].LogFidelity.ToString("F3", CultureInfo.InvariantCulture), Markup.Escape(matches[i].Path));
        console.Ansi.Write(table);
    }

    // Fidelities of product states fall off fast (a product over modes); tiny ones keep their magnitude visible.
    private static string FidelityText(double f) =>
        f.ToString(f >= 1e-3 ? "F4" : "0.00e+0", CultureInfo.InvariantCulture);
}
