namespace QuantumKan.Cli.Tests;

/// <summary>A chart that cannot be written fails nothing the user asked for: a warning, exit 0, the model and results saved.</summary>
[Collection(TrainedModelCollection.Name)]
public sealed class ChartFailureTests(TrainedModelFixture fixture)
{
    [Fact]
    public void Train_WhenTheCurvesPngCannotBeWritten_WarnsAndSucceeds()
    {
        var folder = fixture.NewFolder("curves-blocked");
        var model = Path.Combine(folder, "model.zip");
        var curves = Path.Combine(folder, "model.training.png");
        Directory.CreateDirectory(curves); // a directory where the PNG should go: the rename onto it fails

        var result = Qkan.Run("train", "--fsd50k", fixture.DataRoot, "--out", model, "--epochs", "1",
            "--mels", "16", "--modes", "4", "--references", "4", "--semantic-widths", "8", "--seed", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Saved the model to {model}", result.Output);
        Assert.DoesNotContain("Training curves:", result.Output);
        Assert.StartsWith($"warning: could not write the training-curve chart to {curves}: ", result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.True(File.Exists(model));
    }

    [Fact]
    public void Evaluate_WhenTheDefaultApPngCannotBeWritten_WarnsAndSucceeds()
    {
        var folder = fixture.NewFolder("ap-blocked");
        var model = Path.Combine(folder, "model.zip");
        File.Copy(fixture.ModelPath, model);
        var chart = Path.Combine(folder, "model.class-ap.png");
        Directory.CreateDirectory(chart);
        var predictions = Path.Combine(folder, "preds.csv");

        var result = Qkan.Run("evaluate", "--model", model, "--fsd50k", fixture.DataRoot, "--predictions", predictions);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("mAP", result.Output);
        Assert.StartsWith($"warning: could not write the per-class AP chart to {chart}: ", result.Error);
        Assert.True(File.Exists(predictions));
    }

    [Fact]
    public void Evaluate_WhenANamedPlotCannotBeWritten_FailsNamingIt_AfterWritingThePredictions()
    {
        var folder = fixture.NewFolder("plot-named");
        var plot = Path.Combine(folder, "ap.png");
        Directory.CreateDirectory(plot);
        var predictions = Path.Combine(folder, "preds.csv");

        var result = Qkan.Run("evaluate", "--model", fixture.ModelPath, "--fsd50k", fixture.DataRoot, "--plot", plot, "--predictions", predictions);

        Assert.Equal(CliApp.DataError, result.ExitCode);
        Assert.StartsWith($"error: Could not write the per-class AP chart to {plot}: ", result.Error);
        Assert.False(result.HasStackTrace, result.ToString());
        Assert.True(File.Exists(predictions));
    }
}
