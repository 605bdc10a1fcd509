using QuantumKan.Core;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;
using QuantumKan.Training.Tests.Fixtures;

namespace QuantumKan.Training.Tests.Loop;

public class TrainerOptionsTests
{
    [Theory]
    [InlineData(nameof(TrainerOptions.BatchSize))]
    [InlineData(nameof(TrainerOptions.AccumulationSteps))]
    [InlineData(nameof(TrainerOptions.LearningRate))]
    [InlineData(nameof(TrainerOptions.WarmupFraction))]
    [InlineData(nameof(TrainerOptions.MonitorMetric))]
    public void Validate_NamesTheBadOption(string option)
    {
        var bad = option switch
        {
            nameof(TrainerOptions.BatchSize) => new TrainerOptions { BatchSize = 0 },
            nameof(TrainerOptions.AccumulationSteps) => new TrainerOptions { AccumulationSteps = 0 },
            nameof(TrainerOptions.LearningRate) => new TrainerOptions { LearningRate = double.NaN },
            nameof(TrainerOptions.WarmupFraction) => new TrainerOptions { WarmupFraction = 1 },
            _ => new TrainerOptions { MonitorMetric = "f2" },
        };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(new MlpClassifier(2, 2, 2, 1), ClassificationTask.MultiLabel, bad));
        Assert.Equal(option, error.ParamName);
    }

    [Fact]
    public void Constructor_RejectsAMonitoredMetricTheTaskDoesNotReport()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Trainer(new MlpClassifier(2, 2, 2, 1), ClassificationTask.Multiclass, new TrainerOptions { MonitorMetric = MetricNames.MeanAveragePrecision }));
        Assert.Contains("mAP", error.Message);
    }

    [Fact]
    public void Fit_OnAnUnavailableGpu_ThrowsUnlessFallbackIsAllowed()
    {
        var data = SyntheticSets.MultiLabel(8, 2, 3, seed: 1);
        if (TorchSharp.torch.cuda.is_available())
            return; // this check is about machines without a GPU backend
        Assert.Throws<DeviceUnavailableException>(() =>
            new Trainer(new MlpClassifier(3, 4, 2, 1), ClassificationTask.MultiLabel, new TrainerOptions { Epochs = 1, Device = "cuda" }).Fit(data));
        var result = new Trainer(new MlpClassifier(3, 4, 2, 1), ClassificationTask.MultiLabel, new TrainerOptions { Epochs = 1, Device = "cuda", AllowCpuFallback = true }).Fit(data);
        Assert.Single(result.History);
    }

    [Fact]
    public void Fit_RejectsValidationDataOfAnotherShape()
    {
        var train = SyntheticSets.MultiLabel(8, 2, 4, seed: 1);
        var validation = SyntheticSets.MultiLabel(8, 3, 4, seed: 1);
        var error = Assert.Throws<ArgumentException>(() =>
            new Trainer(new MlpClassifier(4, 4, 2, 1), ClassificationTask.MultiLabel, new TrainerOptions { Epochs = 1 }).Fit(train, validation));
        Assert.Contains("3 classes", error.Message);
    }

    [Fact]
    public void LossWeights_HaveOneDefault_TheOneTheClassifierAndCliAlwaysUsed()
    {
        // The ML.NET classifier and `qkan train` have always trained with auxiliary weights 0.3; the trainer's own default
        // is now the same record, so no caller has to copy it.
        var defaults = new TrainerOptions().LossWeights;
        Assert.Equal((1.0, 0.3, 0.3, 0.0, 0.1), (defaults.Classification, defaults.AudioReconstruction, defaults.QuantumFidelity, defaults.L2, defaults.Normalization));
        Assert.Empty(defaults.Extra);
    }
}
