using Microsoft.ML.Runtime;
using QuantumKan.ML.Persistence;
using QuantumKan.Training.Loop;

namespace QuantumKan.ML.Classification;

/// <summary>
/// Forwards trainer reports to the ML.NET log, the user's <see cref="IProgress{T}"/> and epoch callback, and turns
/// <c>MLContext.CancelExecution()</c> into cancellation of the run (checked at every step report).
/// </summary>
internal sealed class TrainingProgressRelay(IHostEnvironment env, IChannel channel, QuantumKanClassifierOptions options,
    CancellationTokenSource cancellation) : IProgress<TrainingReport>
{
    public void Report(TrainingReport value)
    {
        switch (value)
        {
            case EpochReport epoch:
                channel.Info(MessageSensitivity.None, Describe(epoch.Summary));
                options.EpochCompleted?.Invoke(epoch.Summary);
                break;
            case RunStartReport { ResumedFrom: { } source } start:
                channel.Info(MessageSensitivity.None, $"resumed from {source} at epoch {start.Epoch + 1}, step {start.StepInEpoch} of that epoch (global step {start.GlobalStep})");
                break;
            case EarlyStopReport stop:
                channel.Info(MessageSensitivity.None, $"early stop after epoch {stop.Epoch + 1}: {stop.Reason}");
                break;
            case StepReport { Skipped: true } skipped:
                channel.Warning(MessageSensitivity.None, $"step {skipped.GlobalStep} skipped: {skipped.SkipReason}");
                break;
        }
        options.Progress?.Report(value);
        if (MlNetInternals.IsCanceled(env))
            cancellation.Cancel();
    }

    private static string Describe(EpochSummary s)
    {
        var losses = string.Join(", ", s.TrainingLosses.Select(kv => $"{kv.Key} {kv.Value:G4}"));
        var metrics = s.ValidationMetrics is null ? "" : "; validation " + string.Join(", ", s.ValidationMetrics.Select(kv => $"{kv.Key} {kv.Value:G4}"));
        return $"epoch {s.Epoch + 1}: {losses}{metrics}";
    }
}
