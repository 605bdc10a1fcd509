using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace QuantumKan.ML.Tests.Persistence;

/// <summary>
/// Models saved by an earlier build (Fixtures/SavedModels: tiny `qkan train` runs of 2026-12-07, commit 51854db, one
/// per encoder family, several KAN bases, both tasks) load and score two clips as that build scored them (its
/// `qkan predict --json` scores, saved beside each zip): the pooled model bit for bit, the frame-encoder models to float
/// rounding (2e-6), because since 2026-12-08 the encoders evaluate channels-last, the same sums in another order
/// (README, "Known issues"). Fails if a persisted format, an option's saved shape or the scoring path changes what an
/// existing model zip means.
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
            var streamed = audio.Predict(Path.Combine(Folder, clip.Name)).Scores;
            // The recipe's streamed path (qkan predict's) scores the same as the engine, bit for bit.
            Assert.Equal(got, streamed);
            if (name.Contains("pooled"))
                Assert.Equal(want, got);
            else
            {
                Assert.Equal(want.Length, got.Length);
                for (int i = 0; i < want.Length; i++)
                    Assert.True(Math.Abs(want[i] - got[i]) <= 2e-6, $"{clip.Name} class {i}: saved-build score {want[i]}, now {got[i]}");
            }
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
