using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.ML.Audio;
using QuantumKan.Onnx;

namespace QuantumKan.ML.Onnx;

/// <summary>
/// An exported model as a whole ML.NET audio pipeline, WAV paths in: <c>LoadAudio</c> → <c>MelSpectrogram</c> with the
/// front end recorded in the model → <see cref="QuantumKanOnnxTransformer"/>. The same columns as a pipeline saved by
/// <c>qkan train</c>, so a <c>PredictionEngine</c> or <c>Transform</c> reads <c>Score</c>, <c>PredictedLabel</c> and
/// <c>Embedding</c> as before, with OnnxRuntime doing the network's work.
/// </summary>
public static class OnnxAudioPipeline
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Builds the pipeline for an exported model.</summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="onnxPath">The .onnx file written by <c>qkan export</c>.</param>
    /// <param name="pathColumn">The input column of WAV paths. Default "Path".</param>
    /// <param name="audioColumn">The intermediate column of decoded samples. Default "Audio".</param>
    /// <exception cref="OnnxModelException">The file is not an exported model, or records no audio front end.</exception>
    public static TransformerChain<ITransformer> LoadQuantumKanOnnx(this MLContext mlContext, string onnxPath, string pathColumn = "Path", string audioColumn = "Audio")
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        mlContext.RegisterQuantumKan();
        var scorer = QuantumKanOnnxTransformer.Load(mlContext, onnxPath);
        try
        {
            var (mel, sampleRate) = FrontEnd(scorer.Scorer, scorer.Columns.Features, audioColumn);
            var paths = mlContext.Data.LoadFromEnumerable(Array.Empty<PathRow>());
            var audio = mlContext.Transforms.LoadAudio(audioColumn, pathColumn, sampleRate: sampleRate)
                .Append(mlContext.Transforms.MelSpectrogram(mel))
                .Fit(paths);    // nothing is learned: Fit only checks the schema
            return audio.Append<ITransformer>(scorer);
        }
        catch
        {
            scorer.Dispose();
            throw;
        }
    }

    private static (MelSpectrogramOptions Mel, int SampleRate) FrontEnd(OnnxClassifier scorer, string featureColumn, string audioColumn)
    {
        if (scorer.FrontEndJson is not { } json)
            throw new OnnxModelException(scorer.FilePath,
                "records no audio front end, so it cannot score WAV files: export it from a model zip with LoadAudio and MelSpectrogram (qkan export --model model.zip).");
        try
        {
            var mel = JsonSerializer.Deserialize<MelSpectrogramOptions>(json, Json)! with { OutputColumnName = featureColumn, InputColumnName = audioColumn };
            int rate = JsonNode.Parse(json)?["LoadSampleRate"]?.GetValue<int>() ?? mel.SampleRate;
            return (mel, rate);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new OnnxModelException(scorer.FilePath, $"has an unreadable '{OnnxModelContract.FrontEndKey}' metadata entry ({ex.Message}).", ex);
        }
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = "";
    }
}
