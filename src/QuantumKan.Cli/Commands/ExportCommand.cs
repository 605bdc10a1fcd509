using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using QuantumKan.ML.Onnx;
using QuantumKan.Onnx;

namespace QuantumKan.Cli.Commands;

/// <summary>
/// <c>qkan export</c>: writes a saved model's classifier as an ONNX graph (features or log-mel frames → class
/// probabilities and the quantum embedding) that OnnxRuntime runs without libtorch; the class labels and the audio
/// front end go into its metadata.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(CliConsole console)
    {
        var model = CommonOptions.Model();
        var onnx = new Option<string>("--onnx", "-o")
        {
            Description = "The ONNX file to write (replaced atomically if it exists).",
            HelpName = "model.onnx",
            Required = true,
        };
        var command = new Command("export", $"Export a saved model as ONNX (opset {OnnxGraphBuilder.Opset}) for OnnxRuntime: no libtorch needed to score it.") { model, onnx };
        command.SetAction(parse =>
        {
            var target = Path.GetFullPath(parse.GetValue(onnx)!);
            new MLContext(seed: 1).ExportOnnx(parse.GetValue(model)!, target);
            using var exported = OnnxClassifier.Load(target);       // read back: what was written is a loadable QuantumKan model
            var size = new FileInfo(target).Length / 1024.0;
            var input = exported.ReadsFrames
                ? $"'{OnnxModelContract.FramesInput}' (frames × {exported.FeatureCount} mel bands, any clip length)"
                : $"'{OnnxModelContract.FeaturesInput}' (batch × {exported.FeatureCount})";
            console.Out.WriteLine($"wrote {target} ({size.ToString("F1", CultureInfo.InvariantCulture)} KiB, opset {OnnxGraphBuilder.Opset})");
            console.Out.WriteLine($"  input   {input}");
            console.Out.WriteLine($"  outputs '{OnnxModelContract.ScoresOutput}' ({exported.ClassNames.Count} classes, {(exported.IsMultiLabel ? "sigmoid" : "softmax")}), '{OnnxModelContract.EmbeddingOutput}' ({exported.EmbeddingSize} values: α | β | γ)");
            console.Out.WriteLine($"  front end {(exported.FrontEndJson is null ? "not recorded" : "recorded in the metadata")}");
            return CliApp.Success;
        });
        return command;
    }
}
