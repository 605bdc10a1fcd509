using QuantumKan.Training.Optimization;
using QuantumKan.Training.Tests.Fixtures;
using TorchSharp;

namespace QuantumKan.Training.Tests.Optimization;

public class WarmupCosineScheduleTests
{
    [Fact]
    public void Factor_RisesLinearlyThenFollowsTheCosine()
    {
        var schedule = new WarmupCosineSchedule(WarmupSteps: 4, TotalSteps: 14, FinalFactor: 0.1);
        Assert.Equal([0.25, 0.5, 0.75, 1.0], Enumerable.Range(0, 4).Select(s => schedule.Factor(s)));
        Assert.Equal(1.0, schedule.Factor(4), 12);
        // Half-way through the 10 decay steps the cosine is at its midpoint: 0.1 + 0.9·0.5.
        Assert.Equal(0.55, schedule.Factor(9), 12);
        Assert.Equal(0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * 0.9)), schedule.Factor(13), 12);
        Assert.Equal(0.1, schedule.Factor(14), 12);
        Assert.Equal(0.1, schedule.Factor(100), 12);
    }

    [Fact]
    public void Attach_AtStepK_ContinuesTheExactLearningRateSequence()
    {
        var schedule = new WarmupCosineSchedule(3, 20, 0.0);
        var continuous = LearningRates(schedule, startAt: 0, count: 20);
        var resumed = LearningRates(schedule, startAt: 7, count: 13);
        Assert.Equal(continuous[7..], resumed);
        Assert.Equal(2e-3 * schedule.Factor(0), continuous[0], 15);
        Assert.Equal(2e-3 * schedule.Factor(12), continuous[12], 15);
    }

    private static double[] LearningRates(WarmupCosineSchedule schedule, int startAt, int count)
    {
        var model = new MlpClassifier(2, 2, 2, seed: 1);
        using var optimizer = AdamWFactory.Create(model, learningRate: 2e-3, weightDecay: 0.01);
        var scheduler = schedule.Attach(optimizer, startAt);
        var rates = new double[count];
        for (int i = 0; i < count; i++)
        {
            rates[i] = optimizer.ParamGroups.First().LearningRate;
            Assert.All(optimizer.ParamGroups, g => Assert.Equal(rates[i], g.LearningRate));
            scheduler.step();
        }
        return rates;
    }
}
