using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace QuantumKan.ML.Tests.Persistence;

/// <summary>
/// Models saved by an earlier build (Fixtures/SavedModels: tiny `qkan train` runs of 2026-12-07, commit 51854db, one
/// per encoder family, several KAN bases, both tasks) load and score two clips exactly as that build scored them (its
/// `qkan predict --json` scores, saved beside each zip). Fails if a persisted format, an option's saved shape or the
/// scoring path changes what an existing model zip means.
/// </summary>
public sealed class SavedModelCompatibilityTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "SavedModels");

    public static TheoryData<string> Models() => new()
    {
        "m-pooled-bspline", "m-temporal-cheb", "m-conv2d-sinc", "m-kantemporal-linear", "m-multiclass-temporal",
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Model_saved_by_an_earlier_build_scores_clips_as_it_did(string name)
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name + ".expected.json")));
        var context = new MLContext(seed: 1);
        var model = context.LoadQuantumKanModel(Path.Combine(Folder, name + ".zip"), out _);
        var engine = context.Model.CreatePredictionEngine<PathRow, ScoreRow>(model);
        var audio = AudioClassifier.Load(context, Path.Combine(Folder, name + ".zip"));
        foreach (var clip in expected.RootElement.GetProperty("scores").EnumerateObject())
        {
            var want = clip.Value.EnumerateArray().Select(v => v.GetSingle()).ToArray();
            var got = engine.Predict(new PathRow { Path = Path.Combine(Folder, clip.Name) }).Score;
            Assert.Equal(want, got);
            // The recipe's streamed path (qkan predict's) scores the same, bit for bit.
            Assert.Equal(want, audio.Predict(Path.Combine(Folder, clip.Name)).Scores);
        }
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = "";
    }

    private sealed class ScoreRow
    {
        public float[] Score { get; set; } = [];
    }
}
