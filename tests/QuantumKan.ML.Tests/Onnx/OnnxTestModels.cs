using Microsoft.ML;
using QuantumKan.ML.Classification;
using QuantumKan.ML.Onnx;
using QuantumKan.Nn.Network;
using QuantumKan.Onnx;
using QuantumKan.Training.Model;
using static TorchSharp.torch;

namespace QuantumKan.ML.Tests.Onnx;

/// <summary>Small random classifiers in eval mode, with every parameter, BatchNorm statistic and standardization moved off its initial value.</summary>
internal static class OnnxTestModels
{
    public static QuantumKanClassifierTransformer Classifier(int inFeatures, int classes, QuantumKanNetworkOptions options, int seed,
        ClassificationTask task = ClassificationTask.MultiLabel)
    {
        QuantumKanNetwork network;
        lock (typeof(OnnxTestModels))
        {
            var generator = new Generator((ulong)seed);
            network = Core.TorchRuntime.Seeded(seed, () => new QuantumKanNetwork(inFeatures, classes, options));
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            foreach (var parameter in network.parameters())
                parameter.add_(randn(parameter.shape, generator: generator) * 0.1);
            foreach (var (name, tensor) in network.state_dict())
            {
                if (name.EndsWith("running_mean", StringComparison.Ordinal))
                    tensor.copy_(randn(tensor.shape, generator: generator) * 0.2);
                else if (name.EndsWith("running_var", StringComparison.Ordinal))
                    tensor.copy_(rand(tensor.shape, generator: generator) * 1.5 + 0.25);                 // positive variances
            }
            int width = network.InFeatures;
            network.SetInputStandardization(randn(width, generator: generator), rand(width, generator: generator) + 0.5);
            network.eval();
        }
        var names = Enumerable.Range(0, classes).Select(c => $"class_{c}").ToArray();
        var columns = new ClassifierColumns("Features", "Score", "PredictedLabel", "Embedding", "Labels", inFeatures);
        return new QuantumKanClassifierTransformer(new MLContext(seed), task, network, names, columns, 0.5f, checkpoint: null!, []);
    }

    /// <summary>Exports to a temporary file and opens it on OnnxRuntime.</summary>
    public static OnnxClassifier Export(QuantumKanClassifierTransformer model, string directory, string name)
    {
        var path = Path.Combine(directory, name + ".onnx");
        model.ExportOnnx(path);
        return OnnxClassifier.Load(path);
    }

    /// <summary>Largest absolute difference, with angles (the γ third of an embedding) compared on the circle.</summary>
    public static double MaxDifference(float[] expected, float[] actual, int angleStart = int.MaxValue)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs(expected[i] - (double)actual[i]);
            if (i >= angleStart)
                d = Math.Min(d, 2 * Math.PI - d);
            Assert.False(double.IsNaN(d), $"value {i}: expected {expected[i]}, got {actual[i]}");
            worst = Math.Max(worst, d);
        }
        return worst;
    }

    public static float[] RandomFeatures(Random random, int count, double scale = 1.5) =>
        Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
}
