using Microsoft.ML.Runtime;
using QuantumKan.ML.Persistence;
using QuantumKan.Training.Checkpoints;
using QuantumKan.Training.Data;
using QuantumKan.Training.Loop;

namespace QuantumKan.ML.Classification;

/// <summary>
/// Forwards trainer reports to the ML.NET log, the user's <see cref="IProgress{T}"/> and epoch callback (either may be
/// null), and turns <c>MLContext.CancelExecution()</c> into cancellation of the run (checked at every step report).
/// Shared by the estimators that train through the <see cref="Trainer"/>.
/// </summary>
internal sealed class TrainingProgressRelay(IHostEnvironment env, IChannel channel, IProgress<TrainingReport>? progress,
    Action<EpochSummary>? epochCompleted, CancellationTokenSource cancellation) : IProgress<TrainingReport>
{
    /// <summary>
    /// Runs <paramref name="trainer"/> with its reports relayed: continues <paramref name="continueFrom"/> (allowing
    /// option changes) when given, else resumes from the workspace when <paramref name="resumeFromWorkspace"/>, else fits afresh.
    /// </summary>
    public static TrainingResult Run(IHost host, string channelName, Trainer trainer, IFeatureSource train, IFeatureSource? validation,
        IProgress<TrainingReport>? progress, Action<EpochSummary>? epochCompleted, CancellationToken cancellationToken,
        bool resumeFromWorkspace, TrainingCheckpoint? continueFrom = null)
    {
        using var channel = host.Start(channelName);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var relay = new TrainingProgressRelay(host, channel, progress, epochCompleted, cancellation);
        if (continueFrom is not null)
            return trainer.Resume(continueFrom, train, validation, relay, cancellation.Token, allowOptionChanges: true);
        if (resumeFromWorkspace)
            return trainer.FitOrResumeFromWorkspace(train, validation, relay, cancellation.Token);
        return trainer.Fit(train, validation, relay, cancellation.Token);
    }

    public void Report(TrainingReport value)
    {
        switch (value)
        {
            case EpochReport epoch:
                channel.Info(MessageSensitivity.None, Describe(epoch.Summary));
                epochCompleted?.Invoke(epoch.Summary);
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
        progress?.Report(value);
        if (MlNetInternals.IsCanceled(env))
            cancellation.Cancel();
    }

    private static string Describe(EpochSummary s)
    {
        var losses = string.Join(", ", s.TrainingLosses.Concat(s.TrainingMetrics ?? new Dictionary<string, double>()).Select(kv => $"{kv.Key} {kv.Value:G4}"));
        var metrics = s.ValidationMetrics is null ? "" : "; validation " + string.Join(", ", s.ValidationMetrics.Select(kv => $"{kv.Key} {kv.Value:G4}"));
        return $"epoch {s.Epoch + 1}: {losses}{metrics}";
    }
}
