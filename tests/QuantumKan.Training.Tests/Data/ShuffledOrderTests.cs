using QuantumKan.Training.Data;

namespace QuantumKan.Training.Tests.Data;

public class ShuffledOrderTests
{
    [Fact]
    public void ForEpoch_IsAPermutationThatDependsOnlyOnSeedAndEpoch()
    {
        var a = ShuffledOrder.ForEpoch(1000, seed: 5, epoch: 3);
        Assert.Equal(Enumerable.Range(0, 1000), a.Order());
        Assert.Equal(a, ShuffledOrder.ForEpoch(1000, seed: 5, epoch: 3));
        Assert.NotEqual(a, ShuffledOrder.ForEpoch(1000, seed: 5, epoch: 4));
        Assert.NotEqual(a, ShuffledOrder.ForEpoch(1000, seed: 6, epoch: 3));
        Assert.NotEqual(Enumerable.Range(0, 1000), a);
    }

    [Fact]
    public void ForEpoch_MovesEveryElementToEveryPositionAboutEqually()
    {
        // 3 elements, 6000 epochs: each of the 6 permutations should appear ~1000 times.
        var counts = Enumerable.Range(0, 6000)
            .Select(e => string.Join(",", ShuffledOrder.ForEpoch(3, seed: 9, epoch: e)))
            .GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(6, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 850, 1150));
    }
}
