using QuantumKan.Nn.Kan;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Kan;

/// <summary>
/// The KAN paper's toy, f(x, y) = exp(sin(πx) + y²) on [−1, 1]²: every variant must reach a held-out RMSE of 0.02 or
/// less (in f's own units; f spans 0.37 … 7.4) within a fixed Adam step budget. Widths, grid and learning rate are
/// chosen per variant to converge quickly; the target is standardized for training.
/// </summary>
public sealed class KanToyRegressionTests(ITestOutputHelper output)
{
    public sealed record ToyRun(KanLayerOptions Options, int Hidden, int Steps, double LearningRate, int TrainingPoints)
    {
        public override string ToString() => Options.Basis.ToString();
    }

    public static TheoryData<ToyRun> Runs() => new()
    {
        new ToyRun(new BSplineKanOptions(), Hidden: 5, Steps: 1500, LearningRate: 0.03, TrainingPoints: 2048),
        new ToyRun(new ChebyshevKanOptions { Degree = 5 }, Hidden: 5, Steps: 3000, LearningRate: 0.03, TrainingPoints: 2048),
        new ToyRun(new FourierKanOptions { Harmonics = 5 }, Hidden: 5, Steps: 2000, LearningRate: 0.03, TrainingPoints: 2048),
        // A LayerNorm over the two raw coordinates would map every point to (±1, ∓1); see RbfKanOptions.RbfLayerNorm.
        new ToyRun(new RbfKanOptions { GridSize = 10, GridMin = -2, GridMax = 2, RbfLayerNorm = false }, Hidden: 5, Steps: 2000, LearningRate: 0.03, TrainingPoints: 2048),
        new ToyRun(new SincKanOptions { SincSteps = [1.0, 0.5], GridMin = -2, GridMax = 2 }, Hidden: 8, Steps: 1200, LearningRate: 0.02, TrainingPoints: 2048),
        new ToyRun(new PiecewiseLinearKanOptions { GridSize = 40, GridMin = -2, GridMax = 2 }, Hidden: 2, Steps: 2000, LearningRate: 0.01, TrainingPoints: 4096),
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void LearnsExpOfSinPlusSquare_ToHeldOutRmseOfTwoHundredths(ToyRun run)
    {
        manual_seed(1);
        var xTrain = rand(run.TrainingPoints, 2) * 2 - 1;
        var xTest = rand(2048, 2) * 2 - 1;
        var yTrain = Target(xTrain);
        var yTest = Target(xTest);
        float mean = yTrain.mean().item<float>(), std = yTrain.std().item<float>();
        var standardized = (yTrain - mean) / std;

        using var network = new KanNetwork([2, run.Hidden, 1], run.Options);
        var optimizer = optim.Adam(network.parameters(), run.LearningRate);
        var schedule = optim.lr_scheduler.CosineAnnealingLR(optimizer, run.Steps);
        for (int step = 0; step < run.Steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            (network.forward(xTrain) - standardized).square().mean().backward();
            optimizer.step();
            schedule.step();
        }

        using var noGrad = no_grad();
        var rmse = (network.forward(xTest) * std + mean - yTest).square().mean().sqrt().item<float>();
        output.WriteLine($"{run.Options.Basis}: held-out RMSE {rmse:F4} after {run.Steps} steps");
        Assert.True(rmse <= 0.02f, $"{run.Options.Basis}: held-out RMSE {rmse:F4} > 0.02");
    }

    private static Tensor Target(Tensor points) =>
        (sin(points[.., 0] * Math.PI) + points[.., 1].square()).exp().unsqueeze(1); // (N, 1)
}
