using QuantumKan.ML;
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML;
using QuantumKan.Audio.Mel;
using QuantumKan.Data.Synthesis;
using QuantumKan.Cli.Options;
using QuantumKan.Cli.Presentation;
using QuantumKan.Cli.Workflow;
using QuantumKan.ML.Classification;
using QuantumKan.Data;
using QuantumKan.Nn.Encoders;
using QuantumKan.Nn.Network;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;
using Spectre.Console;

namespace QuantumKan.Cli.Commands;

/// <summary>
/// <c>qkan demo</c>: the whole story in one command on the built-in synthetic sound-event set, in FSD50K's layout:
/// generate, featurize, train multi-label, evaluate on eval, save, reload in a fresh MLContext, PredictionEngine on a
/// few clips, and the training-curve and per-class AP pictures. Sized to finish in a minute or two on two cores.
/// </summary>
internal static class DemoCommand
{
    /// <summary>
    /// The demo's data set: 8 sound types, six of them three pairs that differ only in temporal order (each the exact
    /// time reversal of the other), 1–3 events per 2–4 s clip at 44.1 kHz. An event (0.2–0.7 s) usually falls inside one
    /// of the pooled model's 4 time segments, where mean and standard deviation cannot tell it from its reversal.
    /// </summary>
    public static SyntheticFsd50kOptions DataSet(long seed, int trainClips, int valClips, int evalClips) => new()
    {
        Sound = new SyntheticSoundSetOptions
        {
            Seed = seed, SampleRate = 44_100, MinClipSeconds = 2.0, MaxClipSeconds = 4.0,
            Types =
            [
                SyntheticSoundType.RisingChirp, SyntheticSoundType.FallingChirp,
                SyntheticSoundType.DingDong, SyntheticSoundType.DongDing,
                SyntheticSoundType.ShortLongBurst, SyntheticSoundType.LongShortBurst,
                SyntheticSoundType.LowNoiseBurst, SyntheticSoundType.HarmonicTone,
            ],
        },
        TrainClips = trainClips,
        ValClips = valClips,
        EvalClips = evalClips,
    };

    // Sized so that both trainings fit in under 2 minutes end to end on the 2-core development machine (README).
    public const int DefaultTrainClips = 1200;
    public const int DefaultValClips = 150;
    public const int DefaultEvalClips = 300;

    /// <summary>The demo's front end: the classifier default (64 mels, 4 pooled segments).</summary>
    public static LogMelOptions FrontEnd => CommonOptions.ClassifierFrontEnd;

    public const int DefaultEpochs = 20;

    /// <summary>The demo's encoder model: a small temporal convolution, so both trainings fit the demo's time budget; 2 s crops, since the
    /// demo's clips are 2–4 s and their labels belong to the whole clip, and 1 s crops often cut the ordered pair apart.</summary>
    public static QuantumKanNetworkOptions EncoderNetwork { get; } = new()
    {
        Encoder = new FrameEncoderOptions { Kind = FrameEncoderKind.Temporal, Channels = [32, 32, 48, 64], CropFrames = 200 },
    };

    public static Command Create(CliConsole console)
    {
        var work = new Option<string>("--work") { Description = "Work folder for the data set, the feature cache, the model and the pictures.", DefaultValueFactory = _ => "qkan-demo", HelpName = "dir" };
        var epochs = new Option<int>("--epochs") { Description = $"Training epochs.", DefaultValueFactory = _ => DefaultEpochs }.InRange(1, 10_000);
        var seed = new Option<int>("--seed") { Description = "Seed of the data set and of training.", DefaultValueFactory = _ => 1 };
        var trainClips = new Option<int>("--train-clips") { Description = $"Clips in the train split.", DefaultValueFactory = _ => DefaultTrainClips }.InRange(2, 1_000_000);
        var valClips = new Option<int>("--val-clips") { Description = $"Clips in the val split.", DefaultValueFactory = _ => DefaultValClips }.InRange(1, 1_000_000);
        var evalClips = new Option<int>("--eval-clips") { Description = $"Clips in the eval split.", DefaultValueFactory = _ => DefaultEvalClips }.InRange(1, 1_000_000);
        var command = new Command("demo", "Generate a synthetic sound-event set in FSD50K layout, train, evaluate, save, reload and predict: QuantumKan end to end in a minute or two.")
        {
            work, epochs, seed, trainClips, valClips, evalClips,
        };
        command.SetAction(parse => Run(console, Path.GetFullPath(parse.GetValue(work)!), parse.GetValue(epochs), parse.GetValue(seed),
            DataSet(parse.GetValue(seed), parse.GetValue(trainClips), parse.GetValue(valClips), parse.GetValue(evalClips))));
        return command;
    }

    private static int Run(CliConsole console, string work, int epochs, int seed, SyntheticFsd50kOptions dataSet)
    {
        var clock = Stopwatch.StartNew();
        var data = Path.Combine(work, "data");
        var modelPath = Path.Combine(work, "model.zip");
        console.Out.WriteLine("QuantumKan.ML demo: WAV → log-mel → quantum field embedding → KAN layers → multi-label scores.");
        console.Out.WriteLine($"Work folder: {work}");
        console.Out.WriteLine();

        Section(console, 1, "Data: a synthetic sound-event set in FSD50K's layout");
        var vocabulary = Generate(console, data, dataSet);
        console.Out.WriteLine($"Classes: {string.Join(", ", vocabulary.Labels)}.");
        console.Out.WriteLine("Rising/Falling_chirp and Ding_dong/Dong_ding differ only in temporal order; clips hold 1–3 overlapping events.");

        Section(console, 2, "Train two classifiers on the same clips: pooled statistics, and a frame encoder that hears time");
        var training = new TrainerOptions { Epochs = epochs };
        var source = DataSource.ForFsd50k(data, "train", skipMissing: false);
        var cache = Path.Combine(work, "cache");
        var pooledPath = Path.Combine(work, "model-pooled.zip");
        console.Out.WriteLine("Pooled: per-band mean and std over 4 time segments → quantum embedding → KAN layers (no encoder).");
        // One cache folder per front end: a cache holds the features of one featurizer, and these two differ in layout.
        var pooled = TrainingWorkflow.Run(new TrainingPlan(source, pooledPath, Path.Combine(cache, "pooled"), FrontEnd, ClassificationTask.MultiLabel,
            new QuantumKanNetworkOptions { Encoder = FrameEncoderOptions.None }, training, seed, ValidationFraction: 0, ResumeFromWorkspace: false, ContinueFrom: null), console);
        TrainCommand.WriteSummary(console, pooled);
        console.Out.WriteLine();
        console.Out.WriteLine("Encoder: every log-mel frame → temporal convolution (2 s random crops) → quantum embedding + skip → KAN layers.");
        var outcome = TrainingWorkflow.Run(new TrainingPlan(source, modelPath, Path.Combine(cache, "frames"), FrontEnd, ClassificationTask.MultiLabel,
            EncoderNetwork, training, seed, ValidationFraction: 0, ResumeFromWorkspace: false, ContinueFrom: null), console);
        TrainCommand.WriteSummary(console, outcome);

        Section(console, 3, "Evaluate both on the eval split (whole set, through the saved pipelines)");
        var evalSource = DataSource.ForFsd50k(data, "eval", skipMissing: false);
        console.Out.WriteLine("Pooled model:");
        var pooledEvaluation = EvaluateCommand.Run(console, pooled.Model, evalSource, predictionsPath: null, plotPath: null, shown: 0);
        console.Out.WriteLine("Encoder model:");
        var evaluation = EvaluateCommand.Run(console, outcome.Model, evalSource,
            predictionsPath: Path.Combine(work, "eval-predictions.csv"), ArtifactPaths.ClassPrecision(modelPath), shown: 5);
        console.Out.WriteLine($"Eval mAP: pooled {EvaluationReport.F(pooledEvaluation.MultiLabel.MeanAveragePrecision)}, " +
                              $"encoder {EvaluationReport.F(evaluation.MultiLabel.MeanAveragePrecision)}. Per class (AP), the time-reversed pairs:");
        foreach (var (name, index) in evaluation.Set.Vocabulary.Labels.Select((n, i) => (n, i)).Take(6))
            console.Out.WriteLine($"  {name,-18} pooled {EvaluationReport.F(pooledEvaluation.MultiLabel.AveragePrecision[index])}  encoder {EvaluationReport.F(evaluation.MultiLabel.AveragePrecision[index])}");

        Section(console, 4, "Reload model.zip in a fresh MLContext and run PredictionEngine on a few eval clips");
        ShowPredictions(console, outcome.Model, modelPath, evaluation.Set);

        console.Out.WriteLine();
        console.Out.WriteLine($"Demo finished in {Durations.Format(clock.Elapsed)}: eval mAP {EvaluationReport.F(evaluation.MultiLabel.MeanAveragePrecision)}, " +
                              $"d′ {EvaluationReport.F(evaluation.MultiLabel.DPrime)}, lwlrap {EvaluationReport.F(evaluation.MultiLabel.Lwlrap.Overall)}.");
        console.Out.WriteLine("Try next (qkan = dotnet run -c Release --project src/QuantumKan.Cli --):");
        var example = evaluation.Set.Clips[0].Path;
        console.Out.WriteLine($"  qkan predict --model {modelPath} {example}");
        console.Out.WriteLine($"  qkan similar --model {modelPath} --index {Path.GetDirectoryName(example)} {example}");
        console.Out.WriteLine($"  qkan evaluate --model {modelPath} --fsd50k {data} --split eval");
        return CliApp.Success;
    }

    private static void Section(CliConsole console, int number, string title)
    {
        console.Out.WriteLine();
        console.Out.WriteLine($"[{number}/4] {title}");
    }

    // The set is a pure function of its options, so a folder generated with the same options is reused as it is.
    private static LabelVocabulary Generate(CliConsole console, string root, SyntheticFsd50kOptions options)
    {
        var stampPath = Path.Combine(root, "qkan-demo-set.json");
        var stamp = JsonSerializer.Serialize(new { options.TrainClips, options.ValClips, options.EvalClips, options.Sound });
        if (File.Exists(stampPath) && File.ReadAllText(stampPath) == stamp && File.Exists(Fsd50kLayout.EvalCsv(root)))
        {
            console.Out.WriteLine($"Reusing the set generated earlier in {root}.");
            return LabelVocabulary.ReadFsd50kCsv(Fsd50kLayout.VocabularyCsv(root));
        }
        int total = options.TrainClips + options.ValClips + options.EvalClips;
        var vocabulary = new ProgressDisplay(console).Run(
            $"Generating {options.TrainClips} train, {options.ValClips} val and {options.EvalClips} eval clips ({options.Sound.SampleRate} Hz WAV)", total,
            step => SyntheticFsd50kWriter.Write(root, options, new Progress(step), console.Cancellation));
        QuantumKan.Core.AtomicFile.WriteAllText(stampPath, stamp);
        return vocabulary;
    }

    private static void ShowPredictions(CliConsole console, AudioClassifier trained, string modelPath, LabeledAudioSet eval)
    {
        var reloaded = AudioClassifier.Load(new MLContext(seed: 2), modelPath);
        var engine = reloaded.CreatePredictionEngine();
        var inMemory = trained.CreatePredictionEngine();
        var clips = PickVariedClips(eval, 6);
        var table = new Table { Border = console.TableBorder };
        table.AddColumn("clip");
        table.AddColumn("true labels");
        float threshold = reloaded.Classifier.DecisionThreshold;
        table.AddColumn("top-3 scores (* = predicted)");
        table.AddColumn("exact");
        int identical = 0;
        foreach (var clip in clips)
        {
            var scores = engine.Predict(new AudioPathInput { Path = clip.Path }).Score;
            if (scores.SequenceEqual(inMemory.Predict(new AudioPathInput { Path = clip.Path }).Score))
                identical++;
            var truth = clip.LabelIndices.Select(i => reloaded.ClassNames[i]).ToArray();
            var top = PredictCommand.TopClasses(scores, 3);
            var predicted = Enumerable.Range(0, scores.Length).Where(c => scores[c] >= threshold).ToHashSet();
            string shown = string.Join(", ", top.Select(c => $"{reloaded.ClassNames[c]} {scores[c]:F2}{(predicted.Contains(c) ? "*" : "")}"));
            bool exact = predicted.SetEquals(clip.LabelIndices);
            table.AddRow(Markup.Escape(clip.Fname + ".wav"), Markup.Escape(string.Join(", ", truth)), Markup.Escape(shown), exact ? "yes" : "no");
        }
        console.Ansi.Write(table);
        console.Out.WriteLine($"* = score at or above the decision threshold {threshold}; \"exact\" = the predicted set is the true set.");
        console.Out.WriteLine($"Reloaded scores bit-identical to the in-memory model's on {identical} of {clips.Count} clips.");
    }

    // Clips that between them show as many different labels as possible, in listing order.
    private static List<LabeledAudioClip> PickVariedClips(LabeledAudioSet set, int count)
    {
        var seen = new HashSet<int>();
        var picked = new List<LabeledAudioClip>();
        foreach (var clip in set.Clips.OrderByDescending(c => c.LabelIndices.Count > 1))
        {
            if (picked.Count == count)
                break;
            if (clip.LabelIndices.Any(seen.Add))
                picked.Add(clip);
        }
        return picked;
    }

    private sealed class Progress(IStepProgress step) : IProgress<int>
    {
        public void Report(int value) => step.SetDone(value);
    }
}
