// QuantumKan.ML quick start: an audio classifier as one ML.NET pipeline. Run: dotnet run --project examples/QuickStart
using Microsoft.ML;
using QuantumKan.Audio.Mel;
using QuantumKan.ML;
using QuantumKan.ML.Audio;
using QuantumKan.ML.Classification;
using QuantumKan.ML.Data;

// 1. A small synthetic sound-event set in FSD50K's layout: 8 classes, 1–3 events per clip.
var root = Path.Combine(Path.GetTempPath(), "qkan-quickstart");
SyntheticFsd50kWriter.Write(root, new SyntheticFsd50kOptions { Sound = new() { SampleRate = 16_000, MaxClipSeconds = 2 }, TrainClips = 600, ValClips = 0, EvalClips = 200 });
var ml = new MLContext(seed: 1);
var train = ml.Data.LoadFsd50k(root, Fsd50kSplit.Train, null, out var trainSet);
var eval = ml.Data.LoadFsd50k(root, Fsd50kSplit.Eval, null, out var evalSet);

// 2. WAV path → mono 16 kHz samples → log-mel frames → frame encoder (a temporal convolution, picked because the
//    features are frames) → quantum field embedding → KAN classifier. Training takes 1 s random crops; a clip of any
//    length is scored as the mean over 1 s patches with 50% overlap.
var pipeline = ml.Transforms.LoadAudio("Audio", "Path", sampleRate: 16_000)
    .Append(ml.Transforms.MelSpectrogram(new MelSpectrogramOptions { InputColumnName = "Audio", OutputColumnName = "Features", Layout = FeatureLayout.Frames }))
    .Append(ml.MultiLabelClassification().Trainers.QuantumKan(labelColumnName: "Labels", epochs: 15));
var model = pipeline.Fit(train); // runs the multi-task AdamW training loop

// 3. Metrics over the whole eval split.
var metrics = ml.MultiLabelClassification().Evaluate(model.Transform(eval), labelColumnName: "Labels");
Console.WriteLine($"eval mAP {metrics.MeanAveragePrecision:F3}, d′ {metrics.DPrime:F3}, lwlrap {metrics.Lwlrap.Overall:F3}");

// 4. Save one zip (front end, network, training checkpoint), load it in a fresh context, predict one clip.
var zip = Path.Combine(root, "model.zip");
ml.Model.Save(model, train.Schema, zip);
var fresh = new MLContext().RegisterQuantumKan();
var engine = fresh.Model.CreatePredictionEngine<Clip, Prediction>(fresh.Model.Load(zip, out _));
var clip = evalSet.Clips[0];
var scores = engine.Predict(new Clip { Path = clip.Path }).Score;
var labels = trainSet.Vocabulary.Labels;
Console.WriteLine($"{Path.GetFileName(clip.Path)}: true {string.Join(", ", clip.LabelIndices.Select(i => labels[i]))}");
foreach (var c in Enumerable.Range(0, scores.Length).OrderByDescending(c => scores[c]).Take(3))
    Console.WriteLine($"  {labels[c],-18} {scores[c]:F3}");

public sealed class Clip { public string Path { get; set; } = ""; }

public sealed class Prediction { public float[] Score { get; set; } = []; }
