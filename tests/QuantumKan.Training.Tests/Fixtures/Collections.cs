namespace QuantumKan.Training.Tests.Fixtures;

/// <summary>
/// Tests whose results depend on torch's process-wide generator (dropout) or on bit-exact replays run alone: another
/// test drawing from the global generator at the same time would change their random streams.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGlobalStateCollection
{
    public const string Name = "Torch global state";
}

/// <summary>A synchronous IProgress (System.Progress posts to the thread pool, which would reorder reports).</summary>
internal sealed class ReportLog(Action<QuantumKan.Training.Loop.TrainingReport>? onReport = null) : IProgress<QuantumKan.Training.Loop.TrainingReport>
{
    public List<QuantumKan.Training.Loop.TrainingReport> Reports { get; } = new();

    public void Report(QuantumKan.Training.Loop.TrainingReport value)
    {
        Reports.Add(value);
        onReport?.Invoke(value);
    }

    public IEnumerable<T> Of<T>() => Reports.OfType<T>();
}
