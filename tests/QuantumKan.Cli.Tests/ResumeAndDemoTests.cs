using System.Text.RegularExpressions;
using Microsoft.ML;
using QuantumKan.ML;
using QuantumKan.ML.Classification;

namespace QuantumKan.Cli.Tests;

/// <summary>Checkpoint workspace, --resume, --continue-from, cancellation, and a scaled-down demo.</summary>
[Collection(TrainedModelCollection.Name)]
public class ResumeAndDemoTests(TrainedModelFixture fixture)
{
    private string[] SmallTraining(string folder, int epochs) =>
    [
        "train", "--fsd50k", fixture.DataRoot, "--epochs", epochs.ToString(), "--mels", "16", "--modes", "4", "--references", "4",
        "--semantic-widths", "8", "--cache", Path.Combine(folder, "cache"),
    ];

    [Fact]
    public void Resume_FromACompletedWorkspace_GivesTheSameModel_AndContinueFromAddsEpochs()
    {
        var folder = fixture.NewFolder("resume");
        var workspace = Path.Combine(folder, "workspace");
        var first = Path.Combine(folder, "first.zip");
        var resumed = Path.Combine(folder, "resumed.zip");
        var continued = Path.Combine(folder, "continued.zip");

        Qkan.Succeed([.. SmallTraining(folder, 2), "--out", first, "--workspace", workspace]);
        Assert.NotEmpty(Directory.EnumerateFiles(workspace));
        Qkan.Succeed([.. SmallTraining(folder, 2), "--out", resumed, "--workspace", workspace, "--resume"]);
        Qkan.Succeed([.. SmallTraining(folder, 3), "--out", continued, "--continue-from", first]);

        var clips = fixture.Eval.Clips.Take(2).Select(c => c.Path).ToArray();
        var a = SavedModelScores.Predict(first, clips);
        var b = SavedModelScores.Predict(resumed, clips);
        Assert.Equal(SavedModelScores.Bits(a[0]), SavedModelScores.Bits(b[0]));
        Assert.Equal(SavedModelScores.Bits(a[1]), SavedModelScores.Bits(b[1]));

        var firstHistory = Classifier(first).TrainingHistory;
        var continuedHistory = Classifier(continued).TrainingHistory;
        Assert.Equal(3, continuedHistory.Count);
        Assert.Equal(firstHistory[1].TrainingLosses["total"], continuedHistory[1].TrainingLosses["total"]);
    }

    [Fact]
    public void Cancellation_ExitsWith130_WithoutWritingAModel()
    {
        var folder = fixture.NewFolder("cancelled");
        var model = Path.Combine(folder, "m.zip");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var output = new StringWriter();
        var error = new StringWriter();

        int code = CliApp.Run([.. SmallTraining(folder, 2), "--out", model], output, error, cancelled.Token);

        Assert.Equal(CliApp.Cancelled, code);
        Assert.Contains("cancelled", error.ToString());
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void Demo_ScaledDown_WritesEveryArtifact_AndReloadsBitIdentically()
    {
        var work = fixture.NewFolder("demo");

        var result = Qkan.Succeed("demo", "--work", work, "--train-clips", "48", "--val-clips", "12", "--eval-clips", "16", "--epochs", "2");

        foreach (var section in new[] { "[1/4]", "[2/4]", "[3/4]", "[4/4]" })
            Assert.Contains(section, result.Output);
        foreach (var file in new[] { "model.zip", "model-pooled.zip", "model.training.png", "model.class-ap.png", "eval-predictions.csv", "data/FSD50K.ground_truth/eval.csv" })
            Assert.True(File.Exists(Path.Combine(work, file)), file);
        var reloaded = Regex.Match(result.Output, @"bit-identical to the in-memory model's on (\d+) of (\d+) clips");
        Assert.True(reloaded.Success, result.Output);
        Assert.Equal(reloaded.Groups[2].Value, reloaded.Groups[1].Value);
        Assert.Matches(@"Demo finished in .*: eval mAP \d\.\d{3}, d′ \S+, lwlrap \d\.\d{3}\.", result.Output);
        Assert.Matches(@"Eval mAP: pooled \d\.\d{3}, encoder \d\.\d{3}\.", result.Output);
        Assert.True(Classifier(Path.Combine(work, "model.zip")).ReadsFrames);
        Assert.False(Classifier(Path.Combine(work, "model-pooled.zip")).ReadsFrames);

        // A second run reuses the generated set and the cached features.
        var again = Qkan.Succeed("demo", "--work", work, "--train-clips", "48", "--val-clips", "12", "--eval-clips", "16", "--epochs", "2");
        Assert.Contains("Reusing the set generated earlier", again.Output);
        Assert.Contains("reused the cached features of 48 clip(s)", again.Output);
    }

    private static QuantumKanClassifierTransformer Classifier(string zip) =>
        ((IEnumerable<ITransformer>)new MLContext().LoadQuantumKanModel(zip, out _)).OfType<QuantumKanClassifierTransformer>().Single();
}
