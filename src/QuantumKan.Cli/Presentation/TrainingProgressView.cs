using System.Globalization;
using System.Text;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;

namespace QuantumKan.Cli.Presentation;

/// <summary>
/// Shows a training run: the bar advances with every optimizer step (examples seen over epochs × clips), its status
/// shows the running loss, and each epoch leaves one line with every loss component and the validation metrics.
/// </summary>
internal sealed class TrainingProgressView(IStepProgress step, int epochs, int examplesPerEpoch, bool continuingAModel = false) : IProgress<TrainingReport>
{
    private int _epoch = -1;
    private long _seenThisEpoch;
    private string? _pendingStop; // the trainer reports the stop before the last epoch's summary

    public void Report(TrainingReport value)
    {
        switch (value)
        {
            case RunStartReport start:
                foreach (var line in DescribeStart(start, epochs, continuingAModel))
                    step.Log(line);
                step.SetDone((double)Math.Min(start.Epoch, epochs) * examplesPerEpoch);
                break;
            case StepReport s:
                if (s.Epoch != _epoch)
                {
                    _epoch = s.Epoch;
                    _seenThisEpoch = 0;
                }
                _seenThisEpoch += s.Examples;
                step.SetDone((double)s.Epoch * examplesPerEpoch + _seenThisEpoch);
                if (s.Losses.TryGetValue(LossComponents.Total, out var loss))
                    step.SetStatus($"epoch {s.Epoch + 1}/{epochs} loss {loss:F3}");
                if (s.Skipped)
                    step.Log($"  step {s.GlobalStep} skipped: {s.SkipReason}");
                break;
            case EpochReport e:
                foreach (var line in DescribeEpoch(e.Summary, epochs))
                    step.Log(line);
                if (_pendingStop is not null)
                {
                    step.Log(_pendingStop);
                    _pendingStop = null;
                    step.SetDone((double)epochs * examplesPerEpoch);
                }
                break;
            case EarlyStopReport stop:
                _pendingStop = $"  stopped early: {stop.Reason}";
                break;
        }
    }

    /// <summary>The lines that say where a run starts: resumed (from which epoch and step), continued, or nothing for a fresh run.</summary>
    public static IEnumerable<string> DescribeStart(RunStartReport start, int epochs, bool continuingAModel)
    {
        if (start.RemovedTemporaries.Count > 0)
            yield return $"  removed {start.RemovedTemporaries.Count} temporary file(s) a crashed checkpoint write left in {start.Workspace}";
        if (start.ResumedFrom is null)
            yield break;
        string where = start.Epoch >= epochs
            ? $": all {epochs} epochs were already done (global step {start.GlobalStep})"
            : $" at epoch {start.Epoch + 1}/{epochs}, step {start.StepInEpoch} of that epoch (global step {start.GlobalStep})";
        yield return continuingAModel
            ? $"  continuing the saved model's training{where}"
            : $"  resumed from {start.ResumedFrom}{where}";
    }

    /// <summary>The widest line <see cref="DescribeEpoch"/> writes: an 80-column terminal shows each one unwrapped.</summary>
    public const int EpochLineWidth = 80;

    /// <summary>
    /// What an epoch leaves in the output, e.g. "  epoch  3/30  loss 0.812 (cls 0.301 audio 0.912 quantum 0.201 norm 0.000)"
    /// and the validation metrics ("val mAP 0.874 …") on the same line when it stays within <see cref="EpochLineWidth"/>
    /// columns, else on lines of their own indented under the loss.
    /// </summary>
    public static IReadOnlyList<string> DescribeEpoch(EpochSummary s, int epochs)
    {
        var losses = s.TrainingLosses;
        var parts = losses.Where(kv => kv.Key != LossComponents.Total).Select(kv => $"{ShortName(kv.Key)} {Number(kv.Value)}").ToList();
        if (parts.Count > 0)
        {
            parts[0] = "(" + parts[0];
            parts[^1] += ")";
        }
        string head = $"  epoch {(s.Epoch + 1).ToString(CultureInfo.InvariantCulture).PadLeft(epochs.ToString(CultureInfo.InvariantCulture).Length)}/{epochs}  ";
        // Groups are set two spaces apart, the words of a group one space apart; a line breaks between words only
        // where the next one would pass the width.
        List<IReadOnlyList<string>> groups = [[$"loss {Number(losses.GetValueOrDefault(LossComponents.Total))}", .. parts]];
        if (s.ValidationMetrics is { Count: > 0 } metrics)
            groups.Add(MetricOrder.Where(metrics.ContainsKey).Select((m, i) => $"{(i == 0 ? "val " : "")}{MetricLabel(m)} {metrics[m]:F3}").ToArray());
        if (s.SkippedSteps > 0)
            groups.Add([$"({s.SkippedSteps} steps skipped)"]);
        return Wrap(head, groups, EpochLineWidth);
    }

    private static List<string> Wrap(string head, IEnumerable<IReadOnlyList<string>> groups, int width)
    {
        var lines = new List<string>();
        string indent = new(' ', head.Length);
        var line = new StringBuilder(head);
        bool lineHasWords = false;
        foreach (var group in groups)
            for (int i = 0; i < group.Count; i++)
            {
                string separator = !lineHasWords ? "" : i == 0 ? "  " : " ";
                if (lineHasWords && line.Length + separator.Length + group[i].Length > width)
                {
                    lines.Add(line.ToString());
                    line.Clear().Append(indent);
                    separator = "";
                }
                line.Append(separator).Append(group[i]);
                lineHasWords = true;
            }
        lines.Add(line.ToString());
        return lines;
    }

    private static readonly string[] MetricOrder =
        [MetricNames.MeanAveragePrecision, MetricNames.Lwlrap, MetricNames.DPrime, MetricNames.Accuracy, MetricNames.MacroF1, MetricNames.LogLoss];

    /// <summary>The label a metric has in tables and charts.</summary>
    public static string MetricLabel(string metric) => metric switch
    {
        MetricNames.DPrime => "d′",
        MetricNames.MacroF1 => "macro-F1",
        MetricNames.LogLoss => "log-loss",
        _ => metric,
    };

    /// <summary>A short label for a loss component.</summary>
    public static string ShortName(string component) => component switch
    {
        LossComponents.Classification => "cls",
        LossComponents.AudioReconstruction => "audio",
        LossComponents.QuantumFidelity => "quantum",
        LossComponents.Normalization => "norm",
        _ => component,
    };

    private static string Number(double v) => Math.Abs(v) is > 0 and < 1e-3 ? v.ToString("0.0e0", CultureInfo.InvariantCulture) : v.ToString("F3", CultureInfo.InvariantCulture);
}
