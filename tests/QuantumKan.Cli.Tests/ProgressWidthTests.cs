using System.Text.RegularExpressions;
using QuantumKan.Cli.Presentation;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Metrics;
using QuantumKan.Training.Model;

namespace QuantumKan.Cli.Tests;

/// <summary>
/// The interactive progress display rendered as a terminal of a given width would show it: a training step and an
/// epoch summary, captured with the escape codes stripped.
/// </summary>
public sealed partial class ProgressWidthTests
{
    private const string Title = "Training MultiLabel classifier (graph encoder, 480 clips, 200 classes, up to 30 epochs)";

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")]
    private static partial Regex EscapeCodes();

    private static string[] RenderTraining(int width)
    {
        var output = new StringWriter();
        var console = new CliConsole(output, new StringWriter(), isInteractive: true);
        console.Ansi.Profile.Width = width;
        console.Ansi.Profile.Capabilities.Ansi = true; // what a terminal reports; a StringWriter is detected as none
        console.Ansi.Profile.Capabilities.Unicode = true;
        new ProgressDisplay(console).Run(Title, 30 * 480, step =>
        {
            var view = new TrainingProgressView(step, epochs: 30, examplesPerEpoch: 480);
            var losses = new Dictionary<string, double>
            {
                [LossComponents.Total] = 0.8123, [LossComponents.Classification] = 0.3012, [LossComponents.AudioReconstruction] = 0.9121,
                [LossComponents.QuantumFidelity] = 0.2013, [LossComponents.Normalization] = 1.2e-14,
            };
            view.Report(new StepReport(2, 1000, losses, 1e-3, 1.0, 32, false, null));
            var metrics = new Dictionary<string, double>
            {
                [MetricNames.MeanAveragePrecision] = 0.874, [MetricNames.Lwlrap] = 0.9, [MetricNames.DPrime] = 2.345,
                [MetricNames.Accuracy] = 0.8, [MetricNames.MacroF1] = 0.7, [MetricNames.LogLoss] = 0.123,
            };
            view.Report(new EpochReport(2, 1000, new EpochSummary(2, 1000, 1e-3, losses, null, metrics, SkippedSteps: 3)));
            view.Report(new StepReport(3, 1001, losses, 1e-3, 1.0, 32, false, null));
            Thread.Sleep(400); // a few refreshes of the live display with the status set
            return 0;
        });
        return EscapeCodes().Replace(output.ToString(), "").Split('\n', '\r').Where(l => l.Trim().Length > 0).ToArray();
    }

    [Theory]
    [InlineData(80, ProgressLayout.MinimumBarWidth)]
    [InlineData(120, 20)]
    public void TrainingProgress_FitsTheTerminal_WithABarTimeLabelsAndNoBareEllipsis(int width, int minimumBar)
    {
        var lines = RenderTraining(width);
        string all = string.Join("\n", lines);

        Assert.All(lines, line => Assert.True(line.Length <= width, $"{line.Length} > {width}: '{line}'\n{all}"));
        var rows = lines.Where(l => l.Contains('%') && l.Contains("elapsed ")).ToArray();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            Assert.Matches(@"elapsed \d+:\d\d · left (\d+:\d\d|\?)", row);
            Assert.True(row.Count(c => c is '━' or '╸' or '╺') >= minimumBar, $"bar narrower than {minimumBar}: '{row}'");
            Assert.StartsWith("Training", row);
        }
        // The status ("epoch 4/30 loss 0.812") is shown whole beside the shortened title.
        Assert.Contains(rows, r => r.Contains("epoch 4/30 loss 0.812"));
        Assert.DoesNotMatch(@"(^|\s)…", all);
        // The epoch summary is split deliberately: the validation metrics continue under the loss, none cut off (the
        // live display redraws its row between the lines written above it).
        var logged = lines.Except(rows).ToArray();
        var epoch = logged.SkipWhile(l => !l.StartsWith("  epoch  3/30  loss 0.812 (cls 0.301", StringComparison.Ordinal)).Take(3).ToArray();
        Assert.NotEmpty(epoch);
        Assert.Contains("val mAP 0.874", string.Join(" ", epoch));
        Assert.Contains("log-loss 0.123", string.Join(" ", epoch));
        Assert.Contains("(3 steps skipped)", string.Join(" ", epoch));
        // The whole title, on lines of its own (wrapped between words where the terminal is narrower).
        Assert.Contains(Title + " ...", Regex.Replace(string.Join(" ", logged), @"\s+", " "));
    }

    [Fact]
    public void DescribeEpoch_KeepsEveryLineWithin80Columns_AndOneLineWhenItFits()
    {
        var losses = new Dictionary<string, double> { [LossComponents.Total] = 0.5, [LossComponents.Classification] = 0.5 };
        var metrics = new Dictionary<string, double> { [MetricNames.MeanAveragePrecision] = 0.874 };
        var shortSummary = TrainingProgressView.DescribeEpoch(new EpochSummary(0, 1, 1e-3, losses, null, metrics, 0), 30);
        Assert.Equal(["  epoch  1/30  loss 0.500 (cls 0.500)  val mAP 0.874"], shortSummary);

        var allMetrics = new[] { MetricNames.MeanAveragePrecision, MetricNames.Lwlrap, MetricNames.DPrime, MetricNames.Accuracy, MetricNames.MacroF1, MetricNames.LogLoss }
            .ToDictionary(m => m, _ => 0.123456);
        var allLosses = new[] { LossComponents.Total, LossComponents.Classification, LossComponents.AudioReconstruction, LossComponents.QuantumFidelity, LossComponents.Normalization }
            .ToDictionary(c => c, _ => 123.456);
        var lines = TrainingProgressView.DescribeEpoch(new EpochSummary(119, 1, 1e-3, allLosses, null, allMetrics, 12345), 1000);
        Assert.True(lines.Count > 1);
        Assert.All(lines, l => Assert.True(l.Length <= TrainingProgressView.EpochLineWidth, l));
        Assert.All(lines.Skip(1), l => Assert.StartsWith(new string(' ', "  epoch  120/1000  ".Length), l));
        Assert.Equal(
            "epoch 120/1000 loss 123.456 (cls 123.456 audio 123.456 quantum 123.456 norm 123.456) val mAP 0.123 lwlrap 0.123 d′ 0.123 accuracy 0.123 macro-F1 0.123 log-loss 0.123 (12345 steps skipped)",
            Regex.Replace(string.Join(" ", lines).Trim(), @"\s+", " "));
    }

    [Theory]
    [InlineData(0, "0:00")]
    [InlineData(7, "0:07")]
    [InlineData(12 * 60 + 3, "12:03")]
    [InlineData(3600 + 2 * 60 + 9, "1h02m")]
    public void Clock_ReadsAsMinutesAndSeconds_ThenHours(int seconds, string expected) =>
        Assert.Equal(expected, ProgressLayout.Clock(TimeSpan.FromSeconds(seconds)));
}
