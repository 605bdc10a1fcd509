using Google.Protobuf;
using QuantumKan.Audio.Mel;
using QuantumKan.ML.Onnx;
using QuantumKan.Nn.Encoders;
using QuantumKan.Nn.Network;
using QuantumKan.Nn.Quantum;
using QuantumKan.Onnx;

namespace QuantumKan.ML.Tests.Onnx;

/// <summary>Files that cannot serve as an exported model are refused with an <see cref="OnnxModelException"/> naming the file and the problem.</summary>
public sealed class OnnxModelErrorTests : IDisposable
{
    private readonly TempFolder _temp = new("qkan-onnx-bad-");

    private string _directory => _temp.Path;

    public void Dispose() => _temp.Dispose();

    private static QuantumKanNetworkOptions Small => new()
    {
        Encoder = FrameEncoderOptions.None,
        Embedding = new QuantumFieldEmbeddingOptions { Modes = 4, ReferenceStates = 2 },
        SemanticWidths = [6],
    };

    [Fact]
    public void Load_FileThatIsNotOnnx_NamesTheFile()
    {
        var path = Path.Combine(_directory, "model.onnx");
        File.WriteAllText(path, "RIFF....WAVEfmt this is not a protobuf model at all");
        var error = Assert.Throws<OnnxModelException>(() => OnnxClassifier.Load(path));
        Assert.Equal(path, error.FilePath);
        Assert.StartsWith(path, error.Message);
        Assert.Contains("is not a valid ONNX model", error.Message);
    }

    [Fact]
    public void Load_Directory_SaysItIsADirectory()
    {
        var error = Assert.Throws<OnnxModelException>(() => OnnxClassifier.Load(_directory));
        Assert.Contains("is a directory", error.Message);
        Assert.Throws<FileNotFoundException>(() => OnnxClassifier.Load(Path.Combine(_directory, "missing.onnx")));
    }

    [Fact]
    public void Load_ForeignGraphWithOtherInputs_NamesTheInputsFound()
    {
        // A valid ONNX image model's shape: input "pixels" (1, 3, 8, 8) → "logits".
        var g = new OnnxGraphBuilder();
        var x = g.FloatInput("pixels", [1, 3, 8, 8], []);
        g.FloatOutput(g.ReduceMean(x, 1, keepDims: false), "logits", [1, 8, 8], []);
        var path = Path.Combine(_directory, "resnet.onnx");
        File.WriteAllBytes(path, g.ToModel([], "1").ToByteArray());

        var error = Assert.Throws<OnnxModelException>(() => OnnxClassifier.Load(path));
        Assert.StartsWith(path, error.Message);
        Assert.Contains("is not a QuantumKan model", error.Message);
        Assert.Contains("'pixels'", error.Message);
        Assert.Contains("'features'", error.Message);
    }

    [Fact]
    public void Load_GraphWithTheRightInputButNoQuantumKanMetadata_SaysItIsNotAnExport()
    {
        var g = new OnnxGraphBuilder();
        var x = g.FloatInput(OnnxModelContract.FeaturesInput, [null, 5], ["batch"]);
        g.FloatOutput(g.Relu(x), OnnxModelContract.ScoresOutput, [null, 5], ["batch"]);
        g.FloatOutput(g.Add(x, 1f), OnnxModelContract.EmbeddingOutput, [null, 5], ["batch"]);
        var path = Path.Combine(_directory, "lookalike.onnx");
        File.WriteAllBytes(path, g.ToModel([], "1").ToByteArray());

        var error = Assert.Throws<OnnxModelException>(() => OnnxClassifier.Load(path));
        Assert.Contains($"no '{OnnxModelContract.FormatKey}' metadata", error.Message);
    }

    [Fact]
    public void RequireFrontEnd_OtherMelSettings_NamesEachDifferingField()
    {
        var model = OnnxTestModels.Classifier(10, 3, Small, seed: 4);
        var frontEnd = new LogMelOptions { SampleRate = 16_000, MelBands = 10, Layout = FeatureLayout.Pooled, PoolingSegments = 1, PoolingStatistics = PoolingStatistics.Mean };
        var path = Path.Combine(_directory, "pooled.onnx");
        model.ExportOnnx(path, frontEnd);
        using var onnx = OnnxClassifier.Load(path);

        onnx.RequireFrontEnd(QuantumKanOnnxExport.FrontEndJson(frontEnd, 16_000));               // the same front end passes
        var other = frontEnd with { MelBands = 12, HopLength = 320 };
        var error = Assert.Throws<OnnxModelException>(() => onnx.RequireFrontEnd(QuantumKanOnnxExport.FrontEndJson(other, 22_050)));
        Assert.StartsWith(path, error.Message);
        Assert.Contains("another audio front end", error.Message);
        Assert.Contains("MelBands = 10 in the model, 12 here", error.Message);
        Assert.Contains("HopLength = 160 in the model, 320 here", error.Message);
        Assert.Contains("LoadSampleRate = 16000 in the model, 22050 here", error.Message);
        Assert.DoesNotContain("FftSize", error.Message);
    }

    [Fact]
    public void Predict_WrongLengthOrNonFiniteValues_AreRejectedBeforeOnnxRuntimeSeesThem()
    {
        var model = OnnxTestModels.Classifier(10, 3, Small, seed: 5);
        var path = Path.Combine(_directory, "m.onnx");
        model.ExportOnnx(path);
        using var onnx = OnnxClassifier.Load(path);
        Assert.Contains("Expected 10 features, got 9", Assert.Throws<ArgumentException>(() => onnx.Predict(new float[9])).Message);
        var features = new float[10];
        features[3] = float.NaN;
        Assert.Contains("Feature 3 is NaN", Assert.Throws<InvalidDataException>(() => onnx.Predict(features)).Message);
    }
}
