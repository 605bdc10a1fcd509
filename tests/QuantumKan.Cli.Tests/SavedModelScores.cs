using Microsoft.ML;
using QuantumKan.ML;

namespace QuantumKan.Cli.Tests;

/// <summary>Scores clips with a saved zip through plain ML.NET (a fresh MLContext and a PredictionEngine), not the CLI's code.</summary>
internal static class SavedModelScores
{
    public sealed class ClipInput
    {
        public string Path { get; set; } = "";
    }

    public sealed class ClipOutput
    {
        public float[] Score { get; set; } = [];
    }

    public static float[][] Predict(string modelPath, IEnumerable<string> clips)
    {
        var ml = new MLContext(seed: 7);
        var model = ml.LoadQuantumKanModel(modelPath, out _);
        var engine = ml.Model.CreatePredictionEngine<ClipInput, ClipOutput>(model);
        return clips.Select(c => engine.Predict(new ClipInput { Path = c }).Score).ToArray();
    }

    public static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
