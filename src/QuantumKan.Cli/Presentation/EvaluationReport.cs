using System.Globalization;
using QuantumKan.Cli.Workflow;
using Spectre.Console;

namespace QuantumKan.Cli.Presentation;

/// <summary>Prints an evaluation: the whole-set metrics, then the best and worst classes by AP.</summary>
internal static class EvaluationReport
{
    public static void Write(CliConsole console, EvaluationResult result, string setName, int shownClasses)
    {
        var m = result.MultiLabel;
        var summary = new Table { Border = console.TableBorder, Title = new TableTitle(Markup.Escape($"{setName}: {result.Set.Clips.Count} clips, {result.ClassCount} classes")) };
        summary.AddColumn("metric");
        summary.AddColumn(new TableColumn("value").RightAligned());
        summary.AddColumn("what it measures");
        if (result.Multiclass is { } mc)
        {
            summary.AddRow("accuracy", F(mc.Accuracy), "share of clips whose top class is right");
            summary.AddRow("macro-F1", F(mc.MacroF1), "F1 averaged over classes");
            summary.AddRow("log-loss", F(mc.LogLoss), "mean −ln p(true class), nats");
        }
        summary.AddRow("mAP", F(m.MeanAveragePrecision), "mean over classes of the average precision");
        summary.AddRow("d′", F(m.DPrime), "√2·Φ⁻¹(mean ROC AUC)");
        summary.AddRow("lwlrap", F(m.Lwlrap.Overall), "label-weighted label-ranking average precision");
        summary.AddRow("mean AUC", F(m.MeanAuc), "mean per-class ROC AUC");
        if (result.SimilarityPrecisionAt5 is double p5)
            summary.AddRow("similar P@5", F(p5), "share of each clip's 5 nearest (Born-rule fidelity) sharing a label");
        console.Ansi.Write(summary);

        if (m.ClassesWithoutPositives.Count > 0)
            console.Out.WriteLine($"{m.ClassesWithoutPositives.Count} class(es) have no positive clip here and are left out of mAP: " +
                                  string.Join(", ", m.ClassesWithoutPositives.Take(5).Select(c => result.ClassNames[c])) + (m.ClassesWithoutPositives.Count > 5 ? ", ..." : ""));
        WriteClasses(console, result, shownClasses);
    }

    private static void WriteClasses(CliConsole console, EvaluationResult result, int shown)
    {
        if (shown <= 0)
            return;
        var m = result.MultiLabel;
        var positives = result.Positives();
        var ranked = Enumerable.Range(0, result.ClassCount).Where(c => !double.IsNaN(m.AveragePrecision[c]))
            .OrderByDescending(c => m.AveragePrecision[c]).ThenBy(c => result.ClassNames[c], StringComparer.Ordinal).ToArray();
        // Few classes: one table of all of them; many: the best and the worst.
        var groups = ranked.Length <= 2 * shown
            ? new[] { ("Classes by AP", ranked) }
            : [($"Best {shown} classes", ranked.Take(shown).ToArray()), ($"Worst {shown} classes", ranked.Reverse().Take(shown).ToArray())];
        foreach (var (title, classes) in groups)
        {
            var table = new Table { Border = console.TableBorder, Title = new TableTitle(title) };
            table.AddColumn("class");
            table.AddColumn(new TableColumn("AP").RightAligned());
            table.AddColumn(new TableColumn("AUC").RightAligned());
            table.AddColumn(new TableColumn("d′").RightAligned());
            table.AddColumn(new TableColumn("positives").RightAligned());
            foreach (var c in classes)
                table.AddRow(Markup.Escape(result.ClassNames[c]), F(m.AveragePrecision[c]), F(m.Auc[c]), F(m.ClassDPrime[c]), positives[c].ToString(CultureInfo.InvariantCulture));
            console.Ansi.Write(table);
        }
    }

    public static string F(double v) => double.IsNaN(v) ? "n/a" : double.IsPositiveInfinity(v) ? "∞" : v.ToString("F3", CultureInfo.InvariantCulture);
}
