// The full QuantumKan recipe on FSD50K in its released layout (Zenodo record 4060432):
//
//   dotnet run -c Release --project examples/Fsd50k -- <FSD50K root> [work folder] [epochs]
//
// <FSD50K root> holds FSD50K.ground_truth/{dev,eval,vocabulary}.csv, FSD50K.dev_audio/ and FSD50K.eval_audio/.
// Steps: read the listings → featurize every clip once into a memory-mapped cache (parallel; a rerun reuses it) →
// train multi-label on train with val for early stopping, streaming from the cache, checkpointing into a workspace
// (kill it and run again to resume) → save one ML.NET zip that takes WAV paths → evaluate on eval (mAP, d′, lwlrap).
using Microsoft.ML;
using QuantumKan.ML;
using QuantumKan.ML.Training;
using QuantumKan.Audio.Mel;
using QuantumKan.ML.Classification;
using QuantumKan.Data;
using QuantumKan.Nn.Encoders;
using QuantumKan.Nn.Network;
using QuantumKan.Data.Cache;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Metrics;

if (args.Length is < 1 or > 3)
{
    Console.Error.WriteLine("usage: Fsd50k <FSD50K root> [work folder (default ./fsd50k-work)] [epochs (default 40)]");
    return 2;
}
string root = args[0], work = Path.GetFullPath(args.Length > 1 ? args[1] : "fsd50k-work");
int epochs = args.Length > 2 ? int.Parse(args[2]) : 40;
Directory.CreateDirectory(work);

// 64 log-mel bands at 16 kHz, every 10 ms frame kept: the frame encoder (a temporal convolution) reads them.
var frontEnd = new LogMelOptions { SampleRate = 16_000, MelBands = 64, Layout = FeatureLayout.Frames };

// 1. The listings. Errors name the file and line; missing audio is left out and counted rather than fatal.
var load = new Fsd50kLoadOptions { MissingAudio = MissingAudioPolicy.Skip };
var trainSet = Fsd50kReader.Read(root, Fsd50kSplit.Train, load);
var valSet = Fsd50kReader.Read(root, Fsd50kSplit.Val, load);
var evalSet = Fsd50kReader.Read(root, Fsd50kSplit.Eval, load);
Console.WriteLine($"{trainSet.Clips.Count} train, {valSet.Clips.Count} val, {evalSet.Clips.Count} eval clips, {trainSet.Vocabulary.Count} classes" +
                  $" ({trainSet.SkippedMissingAudio.Count + valSet.SkippedMissingAudio.Count + evalSet.SkippedMissingAudio.Count} listed clips without audio left out)");

// 2. The library's training recipe: one front end featurizes every clip once into a memory-mapped cache (all cores;
//    entries are keyed by file size, mtime and front-end options, so reruns reuse them). float16 storage halves the
//    cache (FSD50K's 51k clips × ~8 s at 100 frames/s × 64 bands: about 5 GB instead of 10).
var ml = new MLContext(seed: 1);
var run = new AudioClassifierTraining(ml, new AudioClassifierTrainingOptions
{
    CacheDirectory = Path.Combine(work, "cache"),
    FrontEnd = frontEnd,
    CacheFloat16 = true,
    // 3. Train, streaming 1 s random crops from the cache (SpecAugment masks, mixup); checkpoints every epoch make an
    //    interrupted run resumable. Validation scores every val clip as the mean over its 1 s patches.
    Classifier = new QuantumKanClassifierOptions
    {
        Network = new QuantumKanNetworkOptions
        {
            Encoder = new FrameEncoderOptions { Kind = FrameEncoderKind.Temporal },
            Augmentation = new FrameAugmentationOptions { FrequencyMasks = 2, TimeMasks = 2, MixupProbability = 0.5 },
        },
        Training = new TrainerOptions { Epochs = epochs, BatchSize = 64, Workspace = Path.Combine(work, "checkpoints")},
        ResumeFromWorkspace = true,
        EpochCompleted = e => Console.WriteLine($"epoch {e.Epoch + 1}: loss {e.TrainingLosses["total"]:F4}, val mAP {e.ValidationMetrics?.GetValueOrDefault(MetricNames.MeanAveragePrecision):F4}"),
    },
});
CachedFeatureSource Featurize(LabeledAudioSet set, string name) => run.Featurize(set,
    new Progress<FeatureCacheProgress>(p => { if (p.Computed % 2000 == 0 && p.Computed > 0) Console.WriteLine($"  {name}: {p.Computed}/{p.ToCompute} featurized"); }));
using var train = Featurize(trainSet, "train");
using var val = Featurize(valSet, "val");
using var eval = Featurize(evalSet, "eval");
var data = run.Prepare(trainSet, train, val);
Console.WriteLine(run.Describe(data));

// 4. One zip that takes WAV paths: LoadAudio → MelSpectrogram (the same front end) → the trained classifier.
var model = run.Train(data);
model.Save(Path.Combine(work, "model.zip"));
var classifier = model.Classifier;

// 5. Evaluate on eval from the cached frames (the same values the zip's MelSpectrogram computes), clip by clip.
int classes = trainSet.Vocabulary.Count;
var evalFrames = eval.AsFrameClips();
var scores = new float[evalFrames.Count * classes];
for (int c = 0; c < evalFrames.Count; c++)
{
    var frames = new float[evalFrames.FrameCount(c) * evalFrames.Bands];
    evalFrames.ReadFrames(c, 0, frames);
    classifier.Predict(frames).Scores.CopyTo(scores, c * classes);
}
var targets = Enumerable.Range(0, evalSet.Clips.Count).SelectMany(evalSet.MultiHot).ToArray();
var metrics = MultiLabelEvaluation.Evaluate(scores, targets, classes);
Console.WriteLine($"eval: mAP {metrics.MeanAveragePrecision:F4}, d′ {metrics.DPrime:F3}, lwlrap {metrics.Lwlrap.Overall:F4}");
foreach (var c in Enumerable.Range(0, classes).Where(c => !double.IsNaN(metrics.AveragePrecision[c])).OrderBy(c => metrics.AveragePrecision[c]).Take(5))
    Console.WriteLine($"  worst: {trainSet.Vocabulary.Labels[c],-30} AP {metrics.AveragePrecision[c]:F3}");
PredictionsCsvWriter.Write(Path.Combine(work, "eval-predictions.csv"), trainSet.Vocabulary.Labels, evalSet.Clips.Select(c => c.Fname).ToArray(), scores);
Console.WriteLine($"model, checkpoints and predictions in {work}");
return 0;

