using System.Diagnostics;
using Spectre.Console;

namespace QuantumKan.Cli.Presentation;

/// <summary>What a long step reports while it runs. Every member is safe to call from several threads.</summary>
internal interface IStepProgress
{
    /// <summary>Changes the amount of work (e.g. once the number of clips to featurize is known).</summary>
    void SetTotal(double total);

    /// <summary>Sets the work done so far.</summary>
    void SetDone(double done);

    /// <summary>A short status shown next to the bar (e.g. the current loss).</summary>
    void SetStatus(string status);

    /// <summary>A line worth keeping in the output (e.g. an epoch summary).</summary>
    void Log(string line);
}

/// <summary>
/// Runs long steps with a Spectre.Console progress bar on a terminal, or plain progress lines (at most one every few
/// seconds) when the output is redirected or captured, so CI logs and pipes get readable text without escape codes.
/// </summary>
internal sealed class ProgressDisplay(CliConsole console)
{
    /// <summary>Runs <paramref name="work"/> under a progress display titled <paramref name="title"/>.</summary>
    /// <param name="title">What the step does, e.g. "Featurizing 480 clips".</param>
    /// <param name="total">The amount of work, in the unit <paramref name="work"/> reports.</param>
    /// <param name="work">The step.</param>
    /// <param name="plainPercentages">Whether plain output prints how far the step is (every few seconds while it runs).</param>
    public T Run<T>(string title, double total, Func<IStepProgress, T> work, bool plainPercentages = true)
    {
        var clock = Stopwatch.StartNew();
        T result;
        // The whole title on a line of its own (the bar's row may have room for only the start of it); a terminal's
        // lines go through Spectre, which wraps them between words at the terminal's width.
        Action<string> writeLine = console.IsInteractive ? console.Ansi.WriteLine : console.Out.WriteLine;
        writeLine($"{title} ...");
        if (console.IsInteractive)
        {
            var layout = ProgressLayout.For(console.Ansi.Profile.Width);
            result = new Progress(console.Ansi) { AutoClear = false, HideCompleted = false }
                .Columns(layout.Columns())
                .Start(context =>
                {
                    var step = new BarStep(context.AddTask(Markup.Escape(title), maxValue: Math.Max(total, 1)), title, layout, console);
                    var value = work(step);
                    step.Finish();
                    return value;
                });
        }
        else
        {
            result = work(new PlainStep(console.Out, total, plainPercentages));
        }
        writeLine($"{title}: done in {Durations.Format(clock.Elapsed)}.");
        return result;
    }

    private sealed class BarStep : IStepProgress
    {
        private readonly ProgressTask _task;
        private readonly string _title;
        private readonly ProgressLayout _layout;
        private readonly CliConsole _console;

        public BarStep(ProgressTask task, string title, ProgressLayout layout, CliConsole console)
        {
            (_task, _title, _layout, _console) = (task, title, layout, console);
            SetStatus("");
        }

        public void SetTotal(double total) => _task.MaxValue = Math.Max(total, 1);

        public void SetDone(double done) => _task.Value = Math.Min(done, _task.MaxValue);

        public void SetStatus(string status)
        {
            var (title, shownStatus) = _layout.FitDescription(_title, status);
            _task.Description = shownStatus.Length == 0 ? Markup.Escape(title) : $"{Markup.Escape(title)}  [grey]{Markup.Escape(shownStatus)}[/]";
        }

        // Spectre's live display redraws the bars below lines written through the same console.
        public void Log(string line) => _console.Ansi.WriteLine(line);

        public void Finish()
        {
            _task.Value = _task.MaxValue;
            _task.StopTask();
        }
    }

    private sealed class PlainStep(TextWriter output, double total, bool percentages) : IStepProgress
    {
        private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
        private readonly object _gate = new();
        private readonly Stopwatch _sinceLine = Stopwatch.StartNew();
        private double _total = Math.Max(total, 1);

        public void SetTotal(double total)
        {
            lock (_gate)
                _total = Math.Max(total, 1);
        }

        public void SetDone(double done)
        {
            if (!percentages)
                return;
            lock (_gate)
            {
                if (_sinceLine.Elapsed < Interval || done >= _total)
                    return;
                _sinceLine.Restart();
                output.WriteLine($"  {100 * done / _total:0}% ({done:0}/{_total:0})");
            }
        }

        public void SetStatus(string status)
        {
        }

        public void Log(string line)
        {
            lock (_gate)
            {
                output.WriteLine(line);
                _sinceLine.Restart();
            }
        }
    }
}

/// <summary>Human-readable durations: "850 ms", "12.3 s", "2 min 05 s".</summary>
internal static class Durations
{
    public static string Format(TimeSpan t) =>
        t.TotalSeconds < 1 ? $"{t.TotalMilliseconds:0} ms"
        : t.TotalMinutes < 1 ? $"{t.TotalSeconds:0.0} s"
        : $"{(int)t.TotalMinutes} min {t.Seconds:00} s";
}
