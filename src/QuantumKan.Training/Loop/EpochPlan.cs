using QuantumKan.Training.Data;

namespace QuantumKan.Training.Loop;

/// <summary>
/// Splits an epoch's (shuffled) example order into optimizer steps, each a group of up to
/// <c>accumulation</c> micro-batches of up to <c>batchSize</c> examples. The last micro-batch and the last group of
/// an epoch may be smaller; nothing is dropped.
/// </summary>
internal sealed class EpochPlan(int count, int batchSize, int accumulation, long seed, bool shuffle)
{
    /// <summary>The number of micro-batches in one epoch.</summary>
    public int MicroBatchesPerEpoch { get; } = (count + batchSize - 1) / batchSize;

    /// <summary>The number of optimizer steps in one epoch.</summary>
    public int StepsPerEpoch => (MicroBatchesPerEpoch + accumulation - 1) / accumulation;

    /// <summary>The optimizer steps of <paramref name="epoch"/>: for each, its micro-batches' example indices.</summary>
    public IReadOnlyList<int[][]> Steps(int epoch)
    {
        var order = shuffle ? ShuffledOrder.ForEpoch(count, seed, epoch) : ShuffledOrder.Sequential(count);
        var microBatches = order.Chunk(batchSize).ToArray();
        return microBatches.Chunk(accumulation).ToArray();
    }
}
