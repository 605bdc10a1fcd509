using ScottPlot;

namespace QuantumKan.Cli.Plots;

/// <summary>
/// The per-class AP bar chart of an evaluation: one horizontal bar per class, best at the top, the class name on the
/// left and the AP value at the bar's end. The image grows with the number of classes so 200 FSD50K names stay legible.
/// </summary>
internal static class ClassPrecisionChart
{
    private const int Width = 1100;
    private const int RowHeight = 26;
    private const int Margins = 200;

    /// <summary>Draws the chart and writes the PNG atomically.</summary>
    /// <param name="classNames">The class names.</param>
    /// <param name="averagePrecision">AP per class; NaN for classes without positives (drawn as "no positives").</param>
    /// <param name="title">The chart title, e.g. "Per-class AP, eval split (mAP 0.912)".</param>
    /// <param name="path">The PNG file.</param>
    public static void Save(IReadOnlyList<string> classNames, IReadOnlyList<double> averagePrecision, string title, string path)
    {
        if (classNames.Count != averagePrecision.Count || classNames.Count == 0)
            throw new ArgumentException($"{classNames.Count} class names for {averagePrecision.Count} AP values.", nameof(averagePrecision));
        // Best first, classes without positives last; the first row is drawn at the top.
        var order = Enumerable.Range(0, classNames.Count)
            .OrderByDescending(c => double.IsNaN(averagePrecision[c]) ? -1 : averagePrecision[c])
            .ThenBy(c => classNames[c], StringComparer.Ordinal)
            .ToArray();
        int n = order.Length;

        var plot = new Plot();
        var bars = new List<Bar>();
        for (int row = 0; row < n; row++)
        {
            double ap = averagePrecision[order[row]];
            bool defined = !double.IsNaN(ap);
            bars.Add(new Bar
            {
                Position = n - 1 - row,
                Value = defined ? ap : 0,
                Orientation = Orientation.Horizontal,
                Size = 0.75,
                FillColor = defined ? BarColor(ap) : Colors.LightGray,
                LineWidth = 0,
                Label = defined ? ap.ToString("F3", System.Globalization.CultureInfo.InvariantCulture) : "no positives",
            });
        }
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        barPlot.ValueLabelStyle.FontSize = 13;

        var positions = Enumerable.Range(0, n).Select(row => (double)(n - 1 - row)).ToArray();
        var labels = order.Select(c => classNames[c]).ToArray();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
        plot.Axes.Left.TickLabelStyle.FontSize = 14;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 14;
        var ticks = Enumerable.Range(0, 11).Select(i => i / 10.0).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, ticks.Select(t => t.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.SetLimits(0, 1.12, -0.7, n - 0.3);
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0; // horizontal grid lines would cut through the class names' rows
        plot.Title(title, 18);
        plot.XLabel("average precision", 15);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "AP ≥ 0.8", FillColor = BarColor(1) });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "0.5 ≤ AP < 0.8", FillColor = BarColor(0.6) });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "AP < 0.5", FillColor = BarColor(0) });
        plot.Legend.FontSize = 13;
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.ShowLegend(Edge.Bottom);

        PngFile.Write(path, plot.GetImage(Width, n * RowHeight + Margins));
    }

    // Green for well-ranked classes, amber for middling, red for poor: the worst classes stand out at a glance.
    private static Color BarColor(double ap) =>
        ap >= 0.8 ? new Color(46, 139, 87) : ap >= 0.5 ? new Color(218, 165, 32) : new Color(205, 92, 92);
}
