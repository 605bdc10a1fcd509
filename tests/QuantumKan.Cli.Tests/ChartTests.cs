using QuantumKan.Cli.Plots;
using QuantumKan.Training.Loop;

namespace QuantumKan.Cli.Tests;

/// <summary>The pictures: valid PNGs whose size follows what they show.</summary>
public sealed class ChartTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ClassPrecisionChart_GivesEveryClassARow_ForFsd50kSizedVocabularies()
    {
        var names = Enumerable.Range(0, 200).Select(i => $"Class_{i:D3}_with_a_long_name").ToArray();
        var ap = Enumerable.Range(0, 200).Select(i => i == 7 ? double.NaN : (i * 37 % 200) / 200.0).ToArray();
        var path = _folder.Combine("ap.png");

        ClassPrecisionChart.Save(names, ap, "Per-class AP", path);

        Assert.Equal((1100, 200 * 26 + 200), PngImage.Size(path));
    }

    [Fact]
    public void ClassPrecisionChart_RejectsMismatchedSizes()
    {
        Assert.Throws<ArgumentException>(() => ClassPrecisionChart.Save(["a", "b"], [0.5], "t", _folder.Combine("x.png")));
    }

    [Fact]
    public void TrainingCurves_OnePanelPerLossComponentPlusMetrics()
    {
        // Two components and a total: three loss panels and the metrics panel, so two rows of three.
        var history = Enumerable.Range(0, 5).Select(e => new EpochSummary(e, (e + 1) * 10, 1e-3,
            new Dictionary<string, double> { ["total"] = 1.0 / (e + 1), ["classification"] = 0.5 / (e + 1), ["normalization"] = 1e-13 * (e + 1) },
            new Dictionary<string, double> { ["total"] = 1.1 / (e + 1), ["classification"] = 0.6 / (e + 1), ["normalization"] = 2e-13 },
            new Dictionary<string, double> { ["mAP"] = 0.5 + 0.1 * e, ["lwlrap"] = 0.55 + 0.1 * e, ["d_prime"] = 1 + 0.3 * e },
            0)).ToArray();
        var path = _folder.Combine("curves.png");

        TrainingCurvesChart.Save(history, path);

        Assert.Equal((3 * 560, 2 * 400), PngImage.Size(path));
    }

    [Fact]
    public void TrainingCurves_WithoutValidation_DrawsOnlyTheLossPanels()
    {
        var history = new[] { new EpochSummary(0, 10, 1e-3, new Dictionary<string, double> { ["total"] = 1, ["classification"] = 1 }, null, null, 0) };
        var path = _folder.Combine("curves.png");

        TrainingCurvesChart.Save(history, path);

        Assert.Equal((3 * 560, 1 * 400), PngImage.Size(path));
    }
}
