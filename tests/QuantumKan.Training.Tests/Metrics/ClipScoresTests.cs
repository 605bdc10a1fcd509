using QuantumKan.Training.Metrics;

namespace QuantumKan.Training.Tests.Metrics;

public class ClipScoresTests
{
    [Fact]
    public void FromPatchLogits_IsSigmoidOfTheMeanLogitPerClip()
    {
        // Patches 0 and 2 belong to clip 0, patch 1 to clip 1; two classes.
        float[] logits = [2, -4, 0, 1, 0, 0];
        var clips = ClipScores.FromPatchLogits(logits, [0, 1, 0], classCount: 2, clipCount: 2);
        Assert.Equal(1 / (1 + Math.Exp(-1)), clips[0], 6);   // mean(2, 0) = 1
        Assert.Equal(1 / (1 + Math.Exp(2)), clips[1], 6);    // mean(−4, 0) = −2
        Assert.Equal(0.5, clips[2], 6);
        Assert.Equal(1 / (1 + Math.Exp(-1)), clips[3], 6);
    }

    [Fact]
    public void FromPatchLogits_DiffersFromMeanOfProbabilities()
    {
        // Logits (4, −4): mean logit 0 → 0.5, whereas the mean of the probabilities is also 0.5 but (4, 0) gives
        // sigmoid(2) = 0.881 against (0.982 + 0.5)/2 = 0.741: the pooling rule is observable.
        var clip = ClipScores.FromPatchLogits([4, 0], [0, 0], 1, 1);
        Assert.Equal(1 / (1 + Math.Exp(-2)), clip[0], 6);
    }

    [Fact]
    public void FromPatchLogits_RejectsClipsWithoutPatchesAndBadIndices()
    {
        Assert.Contains("Clip 1", Assert.Throws<ArgumentException>(() => ClipScores.FromPatchLogits([1, 2], [0, 0], 1, 2)).Message);
        Assert.Contains("Patch 1", Assert.Throws<ArgumentException>(() => ClipScores.FromPatchLogits([1, 2], [0, 5], 1, 2)).Message);
    }

    [Fact]
    public void Sigmoid_DoesNotOverflow()
    {
        Assert.Equal(0f, ClipScores.Sigmoid(-1000f));
        Assert.Equal(1f, ClipScores.Sigmoid(1000f));
    }
}
