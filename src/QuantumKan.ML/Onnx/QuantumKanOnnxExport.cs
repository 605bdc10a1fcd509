using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Google.Protobuf;
using Microsoft.ML;
using QuantumKan.Audio.Mel;
using QuantumKan.ML.Audio;
using QuantumKan.ML.Classification;
using QuantumKan.ML.Persistence;
using QuantumKan.Onnx;
using QuantumKan.Training.Model;

namespace QuantumKan.ML.Onnx;

/// <summary>
/// Exports a trained QuantumKan classifier as an ONNX model (opset <see cref="OnnxGraphBuilder.Opset"/>) that runs on
/// OnnxRuntime without libtorch: from the front end's features (or one clip's log-mel frames) to the class
/// probabilities and the quantum embedding. The graph follows <see cref="OnnxModelContract"/>; the class labels, the
/// task, the inference recipe and the audio front end's options are written as metadata, so the file describes itself.
/// </summary>
public static class QuantumKanOnnxExport
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Writes <paramref name="model"/> to <paramref name="onnxPath"/> (atomically).</summary>
    /// <param name="model">The trained classifier.</param>
    /// <param name="onnxPath">The .onnx file to write.</param>
    /// <param name="frontEnd">The log-mel front end that made the model's features, recorded in the metadata; null records none.</param>
    /// <param name="sampleRate">The audio loader's sample rate in Hz, recorded with the front end; null takes the front end's.</param>
    public static void ExportOnnx(this QuantumKanClassifierTransformer model, string onnxPath, LogMelOptions? frontEnd = null, int? sampleRate = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(onnxPath);
        var proto = Build(model, frontEnd, sampleRate);
        Core.AtomicFile.Write(onnxPath, stream => proto.WriteTo(stream));
    }

    /// <summary>
    /// Exports the classifier of a saved audio pipeline (LoadAudio → MelSpectrogram → QuantumKan) or of a zip holding the
    /// classifier alone, recording the pipeline's front end.
    /// </summary>
    /// <param name="mlContext">The context to load the zip in.</param>
    /// <param name="modelZip">The ML.NET model zip.</param>
    /// <param name="onnxPath">The .onnx file to write.</param>
    /// <exception cref="ModelFormatException">The zip is unreadable or holds no QuantumKan classifier; the message names it.</exception>
    public static void ExportOnnx(this MLContext mlContext, string modelZip, string onnxPath)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var chain = mlContext.LoadQuantumKanModel(modelZip, out _);
        var stages = chain is IEnumerable<ITransformer> many ? many.ToArray() : [chain];
        var classifier = stages.OfType<QuantumKanClassifierTransformer>().LastOrDefault()
            ?? throw ModelFormatException.ForFile(Path.GetFullPath(modelZip),
                $"holds no QuantumKan classifier to export (its stages: {string.Join(" → ", stages.Select(s => s.GetType().Name))}).");
        var mel = stages.OfType<MelSpectrogramTransformer>().LastOrDefault();
        var loader = stages.OfType<LoadAudioTransformer>().LastOrDefault();
        classifier.ExportOnnx(onnxPath, mel?.Options, loader?.Options.SampleRate);
    }

    internal static global::Onnx.ModelProto Build(QuantumKanClassifierTransformer model, LogMelOptions? frontEnd, int? sampleRate)
    {
        bool multiclass = model.Task == ClassificationTask.Multiclass;
        var network = model.Network;
        var metadata = new Dictionary<string, string>
        {
            [OnnxModelContract.FormatKey] = OnnxModelContract.FormatVersion.ToString(CultureInfo.InvariantCulture),
            [OnnxModelContract.TaskKey] = multiclass ? OnnxModelContract.Multiclass : OnnxModelContract.MultiLabel,
            [OnnxModelContract.LabelsKey] = JsonSerializer.Serialize(model.ClassNames),
            [OnnxModelContract.InputKindKey] = network.HasEncoder ? OnnxModelContract.FramesInput : OnnxModelContract.FeaturesInput,
            [OnnxModelContract.FeatureCountKey] = model.FeatureCount.ToString(CultureInfo.InvariantCulture),
            [OnnxModelContract.ThresholdKey] = model.DecisionThreshold.ToString("R", CultureInfo.InvariantCulture),
            [OnnxModelContract.EmbeddingSigmaKey] = model.EmbeddingSigma.ToString("R", CultureInfo.InvariantCulture),
            [OnnxModelContract.InputColumnKey] = model.Columns.Features,
        };
        if (network.HasEncoder)
            metadata[OnnxModelContract.InferenceKey] = JsonSerializer.Serialize(network.Options.Encoder, Json);
        if (frontEnd is not null)
            metadata[OnnxModelContract.FrontEndKey] = FrontEndJson(frontEnd, sampleRate ?? frontEnd.SampleRate);
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var noGrad = TorchSharp.torch.no_grad();
        return NetworkGraph.Build(network, multiclass, metadata);
    }

    /// <summary>
    /// The front end as JSON: every <see cref="LogMelOptions"/> field plus the loader's <c>LoadSampleRate</c>. A scorer
    /// compares this field by field with the front end it is given (<see cref="OnnxClassifier.RequireFrontEnd"/>).
    /// </summary>
    public static string FrontEndJson(LogMelOptions frontEnd, int loadSampleRate)
    {
        ArgumentNullException.ThrowIfNull(frontEnd);
        var node = JsonSerializer.SerializeToNode<LogMelOptions>(frontEnd, Json)!.AsObject();
        node["LoadSampleRate"] = loadSampleRate;
        return node.ToJsonString();
    }
}
