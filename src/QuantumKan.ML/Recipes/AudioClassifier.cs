using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.Audio;
using QuantumKan.Audio.Mel;
using QuantumKan.Core;
using QuantumKan.ML.Audio;
using QuantumKan.ML.Classification;
using QuantumKan.ML.Onnx;
using QuantumKan.ML.Persistence;

namespace QuantumKan.ML;

/// <summary>
/// A trained audio classifier as one ML.NET model zip: <c>LoadAudio</c> (Path → Audio) → <c>MelSpectrogram</c>
/// (Audio → Features) → the QuantumKan classifier (Features → Score, PredictedLabel, Embedding). Any zip with these
/// three stages works, including one saved by a user's own ML.NET pipeline, and so does a model exported by
/// <c>qkan export</c> (an .onnx file, or a zip whose classifier stage is the ONNX scorer): then OnnxRuntime scores.
/// The library's recipe for composing, loading, saving and scoring such a model; <c>qkan</c> and the examples use it.
/// </summary>
public sealed class AudioClassifier
{
    public const string PathColumn = "Path";
    public const string AudioColumn = "Audio";
    public const string FeatureColumn = "Features";
    public const string ScoreColumn = "Score";

    private readonly QuantumKanClassifierTransformer? _trainable;

    private AudioClassifier(MLContext context, ITransformer chain, DataViewSchema inputSchema, LoadAudioTransformer loader,
        MelSpectrogramTransformer mel, IQuantumKanClassifier scorer)
    {
        if (loader.Options.SampleRate != mel.Options.SampleRate)
            throw new ArgumentException($"LoadAudio reads audio at {loader.Options.SampleRate} Hz but MelSpectrogram expects {mel.Options.SampleRate} Hz.", nameof(loader));
        Context = context;
        Chain = chain;
        InputSchema = inputSchema;
        Loader = loader;
        Mel = mel;
        Scorer = scorer;
        _trainable = scorer as QuantumKanClassifierTransformer;
        FrontEnd = new AudioFrontEnd(loader.Reader, mel.Featurizer);
    }

    /// <summary>The context the model lives in.</summary>
    public MLContext Context { get; }

    /// <summary>The whole pipeline: paths in, scores out.</summary>
    public ITransformer Chain { get; }

    /// <summary>The schema of the pipeline's input (one Text column of WAV paths).</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>The pipeline's LoadAudio stage.</summary>
    public LoadAudioTransformer Loader { get; }

    /// <summary>The pipeline's MelSpectrogram stage.</summary>
    public MelSpectrogramTransformer Mel { get; }

    /// <summary>The classifier stage that scores clips: the TorchSharp network or an exported ONNX graph.</summary>
    public IQuantumKanClassifier Scorer { get; }

    /// <summary>The TorchSharp classifier, for training further; an exported (ONNX) model has none.</summary>
    public QuantumKanClassifierTransformer Classifier => _trainable
        ?? throw new InvalidDataException("This is an exported ONNX model: it scores clips but cannot be trained further; use the model zip it was exported from.");

    /// <summary>The classes, in score order.</summary>
    public IReadOnlyList<string> ClassNames => Scorer.ClassNames;

    /// <summary>
    /// The audio front end made of the pipeline's own two stages (<see cref="Loader"/>'s reader, <see cref="Mel"/>'s
    /// featurizer): the same features the pipeline computes, usable on many files in parallel.
    /// </summary>
    public AudioFrontEnd FrontEnd { get; }

    /// <summary>Puts the audio front end that produced a classifier's features in front of it.</summary>
    /// <param name="context">The context the classifier was trained in.</param>
    /// <param name="frontEnd">The front end the training features were computed with (its signal and log-mel options).</param>
    /// <param name="classifier">The trained classifier, reading column <see cref="FeatureColumn"/>.</param>
    public static AudioClassifier Compose(MLContext context, AudioFrontEnd frontEnd, QuantumKanClassifierTransformer classifier)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(frontEnd);
        ArgumentNullException.ThrowIfNull(classifier);
        var paths = context.Data.LoadFromEnumerable(Array.Empty<AudioPathInput>());
        var load = new LoadAudioOptions { OutputColumnName = AudioColumn, InputColumnName = PathColumn, SampleRate = frontEnd.Signal.SampleRate, Signal = frontEnd.Signal.Options };
        var audio = context.Transforms.LoadAudio(load)
            .Append(context.Transforms.MelSpectrogram(new MelSpectrogramOptions(frontEnd.Options) { OutputColumnName = FeatureColumn, InputColumnName = AudioColumn }))
            .Fit(paths); // nothing is learned: Fit only checks the schema
        var chain = audio.Append(classifier);
        var stages = chain.ToArray();
        return new AudioClassifier(context, chain, paths.Schema, (LoadAudioTransformer)stages[0], (MelSpectrogramTransformer)stages[1], classifier);
    }

    /// <summary>Loads a model zip (or an exported .onnx file) in <paramref name="context"/> and finds its three stages.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFormatException">The file is not a readable model zip, or a model but not an audio classifier; the message names it.</exception>
    public static AudioClassifier Load(MLContext context, string path)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(path);
        path = Path.GetFullPath(path);
        ITransformer chain;
        DataViewSchema inputSchema;
        if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            chain = context.LoadQuantumKanOnnx(path);
            inputSchema = context.Data.LoadFromEnumerable(Array.Empty<AudioPathInput>()).Schema;
        }
        else
            chain = context.LoadQuantumKanModel(path, out inputSchema);
        var stages = chain is IEnumerable<ITransformer> many ? many.ToArray() : [chain];
        var loader = stages.OfType<LoadAudioTransformer>().FirstOrDefault();
        var mel = stages.OfType<MelSpectrogramTransformer>().FirstOrDefault();
        var classifier = stages.OfType<IQuantumKanClassifier>().FirstOrDefault();
        if (loader is null || mel is null || classifier is null)
            throw ModelFormatException.ForFile(path, $"is a model zip but not an audio classifier: it needs LoadAudio, MelSpectrogram and a QuantumKan classifier stage, and has {string.Join(" → ", stages.Select(s => s.GetType().Name))}.");
        return new AudioClassifier(context, chain, inputSchema, loader, mel, classifier);
    }

    /// <summary>Saves the pipeline atomically (a crash never leaves a half-written zip under <paramref name="path"/>).</summary>
    public void Save(string path) =>
        AtomicFile.Write(path, stream => Context.Model.Save(Chain, InputSchema, stream)); // AtomicFile makes the folder and keeps its stream open

    /// <summary>
    /// Scores one WAV file through <see cref="FrontEnd"/>, streaming: the file is decoded, resampled and featurized a
    /// chunk at a time, so memory is the features plus a few chunks whatever the clip's length (the PredictionEngine's
    /// LoadAudio column holds the whole resampled clip). The scores equal the pipeline's bit for bit.
    /// </summary>
    /// <param name="path">The WAV file.</param>
    /// <returns>Per-class probabilities (in <see cref="ClassNames"/> order) and the embedding [α | β | γ].</returns>
    /// <exception cref="AudioFormatException">The file cannot be decoded or featurized (names the file).</exception>
    public (float[] Scores, float[] Embedding) Predict(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Scorer.Predict(FrontEnd.FeaturizeFile(Loader.ResolvePath(path)));
    }

    /// <summary>A single-clip prediction engine (not thread-safe: one per thread).</summary>
    public PredictionEngine<AudioPathInput, ClipScoreOutput> CreatePredictionEngine()
    {
        var input = SchemaDefinition.Create(typeof(AudioPathInput));
        input[0].ColumnName = Loader.Options.InputColumnName;
        return Context.Model.CreatePredictionEngine<AudioPathInput, ClipScoreOutput>(Chain, inputSchemaDefinition: input);
    }
}

/// <summary>The pipeline's input: one WAV path.</summary>
public sealed class AudioPathInput
{
    /// <summary>The WAV file.</summary>
    public string Path { get; set; } = "";
}

/// <summary>The pipeline's output read by the CLI: per-class probabilities, in the model's class order.</summary>
public sealed class ClipScoreOutput
{
    /// <summary>Per-class probabilities (sigmoid for multi-label, softmax for multiclass).</summary>
    public float[] Score { get; set; } = [];
}
