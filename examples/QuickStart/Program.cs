// QuantumKan.ML quick start: a sound-event classifier as one ML.NET pipeline; trains, evaluates, saves, loads, predicts.
// Run: dotnet run -- <data folder>. The folder is an FSD50K root (FSD50K.ground_truth/, FSD50K.dev_audio/,
// FSD50K.eval_audio/); a folder that does not exist yet first gets a small synthetic set in that layout (8 classes).
using Microsoft.ML;
using QuantumKan.Data;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: QuickStart <data folder>");
    return 2;
}
var root = Path.GetFullPath(args[0]);
if (!Directory.Exists(root))
    SyntheticFsd50kWriter.Write(root, new SyntheticFsd50kOptions { Sound = new() { SampleRate = 16_000, MaxClipSeconds = 2 }, TrainClips = 600, ValClips = 0, EvalClips = 200 });

var ml = new MLContext(seed: 1);
var train = ml.Data.LoadFsd50k(root, Fsd50kSplit.Train, null, out var trainSet); // columns Path, Label (multi-hot), LabelNames
var eval = ml.Data.LoadFsd50k(root, Fsd50kSplit.Eval, null, out var evalSet);

// WAV path → mono 16 kHz samples → log-mel frames every 10 ms → frame encoder → quantum field embedding → KAN layers.
// The default column names chain (Path → Audio → Features; Label), so no stage names one.
var pipeline = ml.Transforms.LoadAudio()
    .Append(ml.Transforms.MelSpectrogram())
    .Append(ml.MultiLabelClassification().Trainers.QuantumKan(epochs: 15));
var model = pipeline.Fit(train); // multi-task AdamW; holds out 10% of train for validation (ValidationFraction)

var metrics = ml.MultiLabelClassification().Evaluate(model.Transform(eval));
Console.WriteLine($"eval mAP {metrics.MeanAveragePrecision:F3}, d′ {metrics.DPrime:F3}, lwlrap {metrics.Lwlrap.Overall:F3}");

// One zip: front end, network, training checkpoint. A fresh MLContext registers QuantumKan once, then loads it.
var zip = Path.Combine(root, "model.zip");
ml.Model.Save(model, train.Schema, zip);
var fresh = new MLContext().RegisterQuantumKan();
var engine = fresh.Model.CreatePredictionEngine<Clip, Prediction>(fresh.Model.Load(zip, out _));
var clip = evalSet.Clips[0];
var prediction = engine.Predict(new Clip { Path = clip.Path });
var classes = trainSet.Vocabulary.Labels;
Console.WriteLine($"{Path.GetFileName(clip.Path)}: true {string.Join(", ", clip.LabelIndices.Select(i => classes[i]))}");
foreach (var c in Enumerable.Range(0, classes.Count).OrderByDescending(c => prediction.Score[c]).Take(3))
    Console.WriteLine($"  {classes[c],-18} {prediction.Score[c]:F3}{(prediction.PredictedLabel[c] ? "  (predicted)" : "")}");
return 0;

public sealed class Clip
{
    public string Path { get; set; } = "";
}

/// <summary>Score: a probability per class (slot names = class names). PredictedLabel: Score ≥ 0.5, per class.</summary>
public sealed class Prediction
{
    public float[] Score { get; set; } = [];
    public bool[] PredictedLabel { get; set; } = [];
}
