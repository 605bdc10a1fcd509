using QuantumKan.Cli.Presentation;
using QuantumKan.Core;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;
using ScottPlot;

namespace QuantumKan.Cli.Plots;

/// <summary>
/// The training curves PNG: one panel per loss component (training and validation loss per epoch, since the
/// components differ by orders of magnitude and would flatten each other on one axis) and a panel of the validation
/// metrics (mAP and lwlrap, or accuracy and macro-F1, on [0, 1]; d′ on its own right-hand axis).
/// </summary>
internal static class TrainingCurvesChart
{
    private const int PanelWidth = 560;
    private const int PanelHeight = 400;
    private const int Columns = 3;

    private static readonly Color TrainColor = Colors.C0;
    private static readonly Color ValidationColor = Colors.C1;

    /// <summary>Draws the history and writes the PNG atomically.</summary>
    /// <param name="history">Per-epoch summaries, in order (at least one).</param>
    /// <param name="path">The PNG file.</param>
    /// <param name="bestEpoch">The 1-based epoch whose weights the model keeps (marked on every panel); null marks none.</param>
    public static void Save(IReadOnlyList<EpochSummary> history, string path, int? bestEpoch = null)
    {
        if (history.Count == 0)
            throw new ArgumentException("There is no epoch to draw.", nameof(history));
        var components = ComponentOrder(history);
        bool hasMetrics = history.Any(e => e.ValidationMetrics is { Count: > 0 });
        int panels = components.Count + (hasMetrics ? 1 : 0);
        int rows = (panels + Columns - 1) / Columns;

        var multiplot = new Multiplot();
        multiplot.AddPlots(panels);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, Columns);
        var epochs = history.Select(e => (double)(e.Epoch + 1)).ToArray();
        for (int i = 0; i < components.Count; i++)
            DrawLoss(multiplot.GetPlot(i), components[i], history, epochs);
        if (hasMetrics)
            DrawMetrics(multiplot.GetPlot(components.Count), history, epochs);
        if (bestEpoch is { } best)
            foreach (var plot in multiplot.GetPlots())
                MarkBest(plot, best);

        // Multiplot has no figure title; the first panel's title names the run.
        int width = Columns * PanelWidth, height = rows * PanelHeight;
        PngFile.Write(path, multiplot.Render(width, height));
    }

    // Total first, then the components in the order the loss reports them.
    private static List<string> ComponentOrder(IReadOnlyList<EpochSummary> history)
    {
        var names = history.SelectMany(e => e.TrainingLosses.Keys).Distinct().Where(k => k != LossComponents.Total).ToList();
        names.Insert(0, LossComponents.Total);
        return names;
    }

    private static void DrawLoss(Plot plot, string component, IReadOnlyList<EpochSummary> history, double[] epochs)
    {
        Style(plot, component == LossComponents.Total ? "Total weighted loss" : $"{Title(component)} loss (unweighted)", "loss");
        var training = history.Select(e => e.TrainingLosses.GetValueOrDefault(component, double.NaN)).ToArray();
        AddSeries(plot, epochs, training, "training", TrainColor, LinePattern.Solid);
        var validation = history.Select(e => e.ValidationLosses?.GetValueOrDefault(component, double.NaN) ?? double.NaN).ToArray();
        if (validation.Any(double.IsFinite))
            AddSeries(plot, epochs, validation, "validation", ValidationColor, LinePattern.Dashed);
        // A component that stays negligible (the normalization penalty is ~1e-14) would otherwise be autoscaled into a
        // dramatic-looking curve; drawn on [0, Negligible] it reads as the flat zero it is.
        if (training.Concat(validation).Where(double.IsFinite).DefaultIfEmpty(0).Max(Math.Abs) < Negligible)
            plot.Axes.SetLimitsY(-Negligible / 20, Negligible);
        plot.ShowLegend(Alignment.UpperRight);
    }

    private static void DrawMetrics(Plot plot, IReadOnlyList<EpochSummary> history, double[] epochs)
    {
        Style(plot, "Validation metrics", "score");
        string[] unitMetrics = [MetricNames.MeanAveragePrecision, MetricNames.Lwlrap, MetricNames.Accuracy, MetricNames.MacroF1];
        var palette = new[] { Colors.C2, Colors.C3, Colors.C4, Colors.C5 };
        int drawn = 0;
        foreach (var metric in unitMetrics)
        {
            var values = Metric(history, metric);
            if (values.Any(double.IsFinite))
                AddSeries(plot, epochs, values, TrainingProgressView.MetricLabel(metric), palette[drawn++ % palette.Length], LinePattern.Solid);
        }
        plot.Axes.SetLimitsY(0, 1.02);

        var dPrime = Metric(history, MetricNames.DPrime);
        if (dPrime.Any(double.IsFinite))
        {
            // d′ is unbounded (about 0–5), so it gets the right-hand axis rather than squeezing [0, 1].
            var scatter = AddSeries(plot, epochs, dPrime.Select(v => double.IsPositiveInfinity(v) ? double.NaN : v).ToArray(), "d′ (right axis)", Colors.C6, LinePattern.Dotted);
            scatter.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "d′";
            plot.Axes.Right.Label.FontSize = 16;
        }
        plot.ShowLegend(Alignment.LowerRight);
    }

    private static void MarkBest(Plot plot, int epoch)
    {
        var line = plot.Add.VerticalLine(epoch, 1.5f, Colors.Gray, LinePattern.Dotted);
        line.LegendText = $"best epoch ({epoch})";
    }

    private static double[] Metric(IReadOnlyList<EpochSummary> history, string metric) =>
        history.Select(e => e.ValidationMetrics?.GetValueOrDefault(metric, double.NaN) ?? double.NaN).ToArray();

    private static ScottPlot.Plottables.Scatter AddSeries(Plot plot, double[] xs, double[] ys, string label, Color color, LinePattern pattern)
    {
        // Epochs without a value (no validation that epoch) are left out rather than drawn as gaps at zero.
        var keep = Enumerable.Range(0, xs.Length).Where(i => double.IsFinite(ys[i])).ToArray();
        var scatter = plot.Add.Scatter(keep.Select(i => xs[i]).ToArray(), keep.Select(i => ys[i]).ToArray(), color);
        scatter.LegendText = label;
        scatter.LineWidth = 2;
        scatter.LinePattern = pattern;
        scatter.MarkerSize = keep.Length > 40 ? 0 : 5;
        return scatter;
    }

    /// <summary>Loss values below this in magnitude are drawn on a fixed [0, Negligible] axis instead of autoscaled.</summary>
    internal const double Negligible = 1e-9;

    private static void Style(Plot plot, string title, string yLabel)
    {
        plot.Title(title, 18);
        plot.XLabel("epoch", 15);
        plot.YLabel(yLabel, 15);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        // Some components are tiny (the normalization penalty is ~1e-13); fixed decimals would label every tick "0".
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = TickLabel };
        // Epochs are whole numbers; autoscaled ticks would fall at half epochs.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Legend.FontSize = 13;
    }

    private static string TickLabel(double value) =>
        value == 0 ? "0" : Math.Abs(value) is < 1e-3 or >= 1e5
            ? value.ToString("0.##E+0", System.Globalization.CultureInfo.InvariantCulture)
            : value.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);

    private static string Title(string component) => component switch
    {
        LossComponents.Classification => "Classification",
        LossComponents.AudioReconstruction => "Audio reconstruction",
        LossComponents.QuantumFidelity => "Quantum fidelity contrastive",
        LossComponents.Normalization => "Wavefunction normalization",
        LossComponents.L2 => "L2",
        _ => component,
    };
}
