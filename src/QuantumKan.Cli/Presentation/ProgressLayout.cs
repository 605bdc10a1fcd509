using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace QuantumKan.Cli.Presentation;

/// <summary>
/// How one progress row shares the terminal's width: every column has a fixed width, so the description (title and
/// status, shortened here rather than by Spectre) can never squeeze the bar, and the row never wraps. The row is
/// description, bar, percentage, the labelled times ("elapsed 0:12 · left 1:03") and, on wide terminals, a spinner.
/// </summary>
internal sealed record ProgressLayout(int Width, int DescriptionWidth, int BarWidth, bool ShowSpinner)
{
    /// <summary>The narrowest bar any width gets.</summary>
    public const int MinimumBarWidth = 10;

    private const int MaximumBarWidth = 40;
    private const int PercentageWidth = 4; // "100%"
    private const int TimesWidth = 28; // "elapsed 59:59 · left 99h59m"
    private const int SpinnerFrom = 100; // narrower terminals spend the spinner's cells on the description
    private const int MinimumTitle = 8; // of the title (printed whole above the bar), before the status is cut instead

    /// <summary>The layout for a terminal <paramref name="width"/> columns wide.</summary>
    public static ProgressLayout For(int width)
    {
        bool spinner = width >= SpinnerFrom;
        // One cell of padding after every column but the last; one cell spare so a terminal never wraps the row.
        int fixedCells = PercentageWidth + 1 + TimesWidth + (spinner ? 1 + 1 : 0) + 1;
        int bar = Math.Clamp((width - fixedCells) / 4, MinimumBarWidth, MaximumBarWidth);
        int description = Math.Max(width - fixedCells - (bar + 1) - 1, MinimumTitle);
        return new ProgressLayout(width, description, bar, spinner);
    }

    /// <summary>The columns of a row.</summary>
    public ProgressColumn[] Columns()
    {
        var columns = new List<ProgressColumn>
        {
            new DescriptionColumn(DescriptionWidth),
            new ProgressBarColumn { Width = BarWidth },
            new PercentageColumn(),
            new TimesColumn(),
        };
        if (ShowSpinner)
            columns.Add(new SpinnerColumn());
        return [.. columns];
    }

    /// <summary>
    /// The title and status shortened to fit the description column together (two spaces between them): the title
    /// gives way first, down to its first few characters, then the status.
    /// </summary>
    public (string Title, string Status) FitDescription(string title, string status)
    {
        if (status.Length == 0)
            return (Shorten(title, DescriptionWidth), "");
        int gap = 2;
        if (title.Length + gap + status.Length <= DescriptionWidth)
            return (title, status);
        int titleRoom = Math.Max(DescriptionWidth - gap - status.Length, Math.Min(MinimumTitle, title.Length));
        string shownTitle = Shorten(title, titleRoom);
        return (shownTitle, Shorten(status, DescriptionWidth - gap - shownTitle.Length));
    }

    /// <summary>"elapsed 0:12 · left 1:03"; the time left reads "left ?" until a rate is known.</summary>
    public static string DescribeTimes(TimeSpan? elapsed, TimeSpan? remaining) =>
        $"elapsed {Clock(elapsed ?? TimeSpan.Zero)} · left {(remaining is { } r ? Clock(r) : "?")}";

    /// <summary>A duration as a clock: "0:07", "12:03", and from an hour on "1h02m".</summary>
    public static string Clock(TimeSpan t) =>
        t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)t.TotalHours}h{t.Minutes:00}m")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:00}");

    private static string Shorten(string text, int width) =>
        text.Length <= width ? text : width <= 1 ? "" : text[..(width - 1)].TrimEnd() + "…";

    private sealed class DescriptionColumn(int width) : ProgressColumn
    {
        protected override bool NoWrap => true;

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Markup(task.Description).Overflow(Overflow.Ellipsis);

        public override int? GetColumnWidth(RenderOptions options) => width;
    }

    private sealed class TimesColumn : ProgressColumn
    {
        protected override bool NoWrap => true;

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(DescribeTimes(task.ElapsedTime, task.IsFinished ? TimeSpan.Zero : task.RemainingTime), new Style(Color.Grey));

        public override int? GetColumnWidth(RenderOptions options) => TimesWidth;
    }
}
