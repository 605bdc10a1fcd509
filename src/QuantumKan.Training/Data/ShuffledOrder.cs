namespace QuantumKan.Training.Data;

/// <summary>
/// The example order of each epoch: a Fisher–Yates permutation drawn from a SplitMix64 stream seeded by
/// (seed, epoch). Because the order is a pure function of those two numbers, resuming mid-epoch only needs the
/// epoch index and the position in it; no generator state has to be saved.
/// </summary>
/// <remarks>
/// SplitMix64 is written here (a dozen lines) because <see cref="Random"/>'s seeded sequence is not specified to stay
/// the same across .NET versions, and a checkpoint must replay the same order wherever it is resumed.
/// </remarks>
public static class ShuffledOrder
{
    /// <summary>The permutation of <c>0..count-1</c> used for <paramref name="epoch"/> (0-based).</summary>
    public static int[] ForEpoch(int count, long seed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        ulong state = Mix((ulong)seed ^ Mix(0x5EED_0000UL + (ulong)epoch));
        for (int i = count - 1; i > 0; i--)
        {
            int j = (int)(Next(ref state) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>The identity order, for runs without shuffling (and for validation).</summary>
    public static int[] Sequential(int count) => Enumerable.Range(0, count).ToArray();

    private static ulong Next(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
