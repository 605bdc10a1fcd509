// ServingLatency <model.zip> <model.onnx> <clip.wav> [runs]
// Times single-clip WAV → scores through ML.NET's PredictionEngine three ways: the TorchSharp model zip, the exported
// graph in QuantumKan's ONNX transformer (OnnxAudioPipeline), and ML.NET's own ApplyOnnxModel after the same front
// end. Prints the median and 90th percentile per way, and the largest score difference from the TorchSharp path.
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.ML;
using QuantumKan.ML.Audio;
using QuantumKan.ML.Onnx;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: ServingLatency model.zip model.onnx clip.wav [runs]");
    return 2;
}
int runs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 200;
var clip = new Clip { Path = Path.GetFullPath(args[2]) };

var ml = new MLContext(seed: 1);
var torchChain = ml.LoadQuantumKanModel(args[0], out _);
var torch = ml.Model.CreatePredictionEngine<Clip, Scores>(torchChain);
var reference = Time("TorchSharp model zip (PredictionEngine)", () => torch.Predict(clip).Score);

var onnxChain = ml.LoadQuantumKanOnnx(args[1]);
var onnx = ml.Model.CreatePredictionEngine<Clip, Scores>(onnxChain);
Report(Time("QuantumKan ONNX transformer (PredictionEngine)", () => onnx.Predict(clip).Score));

// ML.NET's ApplyOnnxModel after the same LoadAudio → MelSpectrogram: raw tensors out, no labels or threshold.
var stages = ((IEnumerable<ITransformer>)onnxChain).ToArray();
var mel = (MelSpectrogramTransformer)stages[1];
try
{
    var empty = ml.Data.LoadFromEnumerable(Array.Empty<Clip>());
    var apply = new TransformerChain<ITransformer>(stages[0], stages[1])
        .Append(ml.Transforms.CopyColumns("features_in", mel.Options.OutputColumnName).Fit(stages[1].Transform(stages[0].Transform(empty))));
    var onnxEstimator = ml.Transforms.ApplyOnnxModel(["scores"], [mel.Options.Layout == QuantumKan.Audio.Mel.FeatureLayout.Frames ? "frames" : "features"],
        Path.GetFullPath(args[1]));
    var renamed = ml.Transforms.CopyColumns(mel.Options.Layout == QuantumKan.Audio.Mel.FeatureLayout.Frames ? "frames" : "features", "features_in");
    var full = apply.Append(renamed.Fit(apply.Transform(empty)));
    var withOnnx = full.Append(onnxEstimator.Fit(full.Transform(empty)));
    var engine = ml.Model.CreatePredictionEngine<Clip, RawScores>(withOnnx);
    Report(Time("ML.NET ApplyOnnxModel (PredictionEngine)", () => engine.Predict(clip).scores));
}
catch (Exception ex)
{
    Console.WriteLine($"ML.NET ApplyOnnxModel (PredictionEngine): failed: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
}
return 0;

void Report(float[] scores) =>
    Console.WriteLine(FormattableString.Invariant($"  max |score − TorchSharp score| = {scores.Zip(reference, (a, b) => Math.Abs(a - b)).Max():E2}"));

float[] Time(string what, Func<float[]> predict)
{
    float[] result = [];
    for (int i = 0; i < 5; i++)
        result = predict();
    var times = new double[runs];
    for (int i = 0; i < runs; i++)
    {
        long start = Stopwatch.GetTimestamp();
        predict();
        times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
    Array.Sort(times);
    Console.WriteLine(FormattableString.Invariant($"{what}: median {times[runs / 2]:F3} ms, p90 {times[(int)(runs * 0.9)]:F3} ms ({runs} runs)"));
    return result;
}

sealed class Clip
{
    public string Path { get; set; } = "";
}

sealed class Scores
{
    public float[] Score { get; set; } = [];
}

sealed class RawScores
{
    [ColumnName("scores")]
    public float[] scores { get; set; } = [];
}
