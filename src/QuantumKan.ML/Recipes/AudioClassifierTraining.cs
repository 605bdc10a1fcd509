using Microsoft.ML;
using QuantumKan.Audio;
using QuantumKan.Audio.Mel;
using QuantumKan.Data;
using QuantumKan.Data.Cache;
using QuantumKan.ML.Classification;
using QuantumKan.ML.Training;
using QuantumKan.Nn.Network;
using QuantumKan.Training.Data;
using QuantumKan.Training.Data.Frames;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;

namespace QuantumKan.ML;

/// <summary>Options of the <see cref="AudioClassifierTraining"/> recipe: everything between labelled clips and a saved classifier.</summary>
public sealed record AudioClassifierTrainingOptions
{
    /// <summary>The feature cache folder (features are computed once and reused by later runs; train, val and eval may share it).</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>
    /// Log-mel options. With a frame encoder (the default network) the recipe keeps every frame
    /// (<see cref="FeatureLayout.Frames"/>) whatever <see cref="LogMelOptions.Layout"/> says; with the pooled network
    /// (<c>FrameEncoderKind.None</c>) the layout is used as given. Default: 16 kHz, 64 mels.
    /// </summary>
    public LogMelOptions FrontEnd { get; init; } = new();

    /// <summary>Channel and decoder limits of the front end. Default <see cref="SignalOptions.Default"/>.</summary>
    public SignalOptions Signal { get; init; } = SignalOptions.Default;

    /// <summary>Multi-label or multiclass. Default multi-label.</summary>
    public ClassificationTask Task { get; init; } = ClassificationTask.MultiLabel;

    /// <summary>The trainer's options (network, optimization, loss weights, workspace, progress, cancellation). Column names are the recipe's.</summary>
    public QuantumKanClassifierOptions Classifier { get; init; } = new();

    /// <summary>Store cached features as float16 (half the cache; values rounded to 11 significant bits). Default false.</summary>
    public bool CacheFloat16 { get; init; }

    /// <summary>Share of training clips held out for validation when no validation set is given; 0 for none. Default 0.1.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Seeds the hold-out: the same clips are held out by a rerun, a resumed run, a pooled and a frame run. Default 1.</summary>
    public int HoldOutSeed { get; init; } = 1;

    /// <summary>A model to train further: its front end and architecture are kept. Default null.</summary>
    public AudioClassifier? ContinueFrom { get; init; }
}

/// <summary>
/// The features a run trains on, after featurization and any hold-out: frame matrices for a frame encoder
/// (<see cref="TrainFrames"/>), fixed-size vectors for the pooled network (<see cref="TrainSource"/>).
/// </summary>
public sealed class AudioTrainingData
{
    internal AudioTrainingData(IFeatureSource? trainSource, IFeatureSource? validationSource, FrameClips? trainFrames, FrameClips? validationFrames,
        IReadOnlyList<string> classNames)
    {
        (TrainSource, ValidationSource, TrainFrames, ValidationFrames, ClassNames) = (trainSource, validationSource, trainFrames, validationFrames, classNames);
    }

    /// <summary>Training examples of the pooled network; null with a frame encoder.</summary>
    public IFeatureSource? TrainSource { get; }

    /// <summary>Validation examples of the pooled network; null with a frame encoder or without validation.</summary>
    public IFeatureSource? ValidationSource { get; }

    /// <summary>Training clips of a frame encoder; null for the pooled network.</summary>
    public FrameClips? TrainFrames { get; }

    /// <summary>Validation clips of a frame encoder; null for the pooled network or without validation.</summary>
    public FrameClips? ValidationFrames { get; }

    /// <summary>The classes, in label order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Clips trained on.</summary>
    public int TrainClips => TrainFrames?.Count ?? TrainSource!.Count;

    /// <summary>Clips validated on.</summary>
    public int ValidationClips => ValidationFrames?.Count ?? ValidationSource?.Count ?? 0;
}

/// <summary>What an <see cref="AudioClassifierTraining"/> run produced.</summary>
/// <param name="Model">The trained classifier behind its front end: paths in, scores out. Save it with <see cref="AudioClassifier.Save"/>.</param>
/// <param name="TrainClips">Clips trained on (after any hold-out).</param>
/// <param name="ValidationClips">Clips validated on.</param>
public sealed record AudioClassifierTrainingResult(AudioClassifier Model, int TrainClips, int ValidationClips);

/// <summary>
/// The library's training recipe, from labelled clips to a model that takes WAV paths: featurize every clip once into the
/// memory-mapped feature cache with the <see cref="AudioFrontEnd"/> (in parallel; a rerun reuses it), hold out a share
/// for validation when no validation set is given, train the QuantumKan classifier streaming from the cache (frame
/// matrices for a frame encoder, fixed-size vectors for the pooled network), then put the same front end in front of
/// the classifier (<c>LoadAudio → MelSpectrogram → classifier</c>). <see cref="Run"/> does it all; the steps are public
/// for a caller that shows each one's progress (<c>qkan train</c> and the demo do).
/// </summary>
public sealed class AudioClassifierTraining
{
    private readonly MLContext _context;
    private readonly LogMelClipFeaturizer _featurizer;

    /// <summary>Prepares a run: resolves the network (a continued model keeps its own) and the front end.</summary>
    /// <param name="context">The ML.NET context (its seed drives initialization and shuffling).</param>
    /// <param name="options">The recipe's options.</param>
    public AudioClassifierTraining(MLContext context, AudioClassifierTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.CacheDirectory, nameof(options.CacheDirectory));
        _context = context;
        Options = options;
        Network = options.ContinueFrom?.Classifier.NetworkOptions ?? options.Classifier.Network.ResolveEncoder(inputIsFrames: true);
        var mel = Network.Encoder.IsEnabled ? options.FrontEnd with { Layout = FeatureLayout.Frames } : options.FrontEnd;
        FrontEnd = options.ContinueFrom?.FrontEnd ?? new AudioFrontEnd(mel, options.Signal);
        _featurizer = new LogMelClipFeaturizer(FrontEnd);
    }

    /// <summary>The recipe's options.</summary>
    public AudioClassifierTrainingOptions Options { get; }

    /// <summary>The network trained: the options' (an <c>Auto</c> encoder resolved), or a continued model's.</summary>
    public QuantumKanNetworkOptions Network { get; }

    /// <summary>The front end every clip is featurized with, and that the saved model puts in front of the classifier.</summary>
    public AudioFrontEnd FrontEnd { get; }

    /// <summary>Runs every step.</summary>
    /// <param name="context">The ML.NET context (its seed drives initialization and shuffling).</param>
    /// <param name="train">The training clips and their labels.</param>
    /// <param name="validation">The validation clips (same vocabulary), or null to hold out <see cref="AudioClassifierTrainingOptions.ValidationFraction"/>.</param>
    /// <param name="options">The recipe's options.</param>
    /// <returns>The model and the clip counts.</returns>
    /// <exception cref="FeaturizationException">A clip cannot be featurized (names the file).</exception>
    /// <exception cref="OperationCanceledException">The classifier options' cancellation token fired.</exception>
    public static AudioClassifierTrainingResult Run(MLContext context, LabeledAudioSet train, LabeledAudioSet? validation, AudioClassifierTrainingOptions options)
    {
        var run = new AudioClassifierTraining(context, options);
        using var trainFeatures = run.Featurize(train);
        using var validationFeatures = validation is null ? null : run.Featurize(validation);
        var data = run.Prepare(train, trainFeatures, validationFeatures);
        return new AudioClassifierTrainingResult(run.Train(data), data.TrainClips, data.ValidationClips);
    }

    /// <summary>Featurizes a set into the cache (only clips that are new or changed) and opens its features.</summary>
    /// <param name="set">The clips.</param>
    /// <param name="progress">Receives a report after each featurized clip; may be null.</param>
    /// <returns>The cached features with the set's labels; dispose after training.</returns>
    public CachedFeatureSource Featurize(LabeledAudioSet set, IProgress<FeatureCacheProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        var cacheOptions = new FeatureCacheOptions { Float16Storage = Options.CacheFloat16 };
        return set.OpenFeatureCache(Options.CacheDirectory, _featurizer, cacheOptions, progress, Options.Classifier.CancellationToken);
    }

    /// <summary>
    /// The examples to train and validate on: frame clips for a frame encoder, feature vectors otherwise; without a
    /// validation set, <see cref="AudioClassifierTrainingOptions.ValidationFraction"/> of the training clips held out.
    /// </summary>
    /// <param name="train">The training set (for its vocabulary).</param>
    /// <param name="trainFeatures">Its features, from <see cref="Featurize"/>.</param>
    /// <param name="validationFeatures">The validation set's features, or null.</param>
    /// <param name="message">Told about a hold-out, in words; may be null.</param>
    public AudioTrainingData Prepare(LabeledAudioSet train, CachedFeatureSource trainFeatures, CachedFeatureSource? validationFeatures, Action<string>? message = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(trainFeatures);
        if (trainFeatures.LabelSize != train.Vocabulary.Count || validationFeatures is { } v && v.LabelSize != train.Vocabulary.Count)
            throw new ArgumentException(
                $"The training set has {train.Vocabulary.Count} classes, but its features carry {trainFeatures.LabelSize} labels" +
                (validationFeatures is null ? "." : $" and the validation features {validationFeatures.LabelSize}."), nameof(validationFeatures));
        IFeatureSource trainSource = trainFeatures;
        IFeatureSource? validationSource = validationFeatures;
        FrameClips? trainFrames = Network.Encoder.IsEnabled ? trainFeatures.AsFrameClips() : null;
        FrameClips? validationFrames = Network.Encoder.IsEnabled ? validationFeatures?.AsFrameClips() : null;
        if (validationFeatures is null && Options.ValidationFraction > 0 && trainFeatures.ClipCount >= 2)
        {
            int heldOut;
            if (trainFrames is not null)
            {
                (trainFrames, validationFrames) = trainFrames.HoldOut(Options.ValidationFraction, Options.HoldOutSeed);
                heldOut = validationFrames.Count;
            }
            else
            {
                var (kept, held) = HoldOutSplit.Split(trainSource, Options.ValidationFraction, Options.HoldOutSeed);
                (trainSource, validationSource) = (kept, held);
                heldOut = held.Count;
            }
            message?.Invoke($"No val split: holding out {heldOut} of {trainFeatures.ClipCount} training clips for validation.");
        }
        return trainFrames is not null
            ? new AudioTrainingData(null, null, trainFrames, validationFrames, train.Vocabulary.Labels)
            : new AudioTrainingData(trainSource, validationSource, null, null, train.Vocabulary.Labels);
    }

    /// <summary>A one-line description of the training step, e.g. for a progress display.</summary>
    public string Describe(AudioTrainingData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        string encoder = Network.Encoder.IsEnabled ? $"{Network.Encoder.Kind} encoder, " : "";
        return $"Training {Options.Task} classifier ({encoder}{data.TrainClips} clips, {data.ClassNames.Count} classes, up to {Options.Classifier.Training.Epochs} epochs)";
    }

    /// <summary>Trains the classifier and puts the front end in front of it.</summary>
    /// <param name="data">The examples, from <see cref="Prepare"/>.</param>
    /// <param name="progress">Training reports (overrides the classifier options' progress sink); may be null.</param>
    /// <returns>The model: paths in, scores out.</returns>
    public AudioClassifier Train(AudioTrainingData data, IProgress<QuantumKan.Training.Loop.TrainingReport>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var options = Options.Classifier with
        {
            FeatureColumnName = AudioClassifier.FeatureColumn,
            Network = Network,
            Progress = progress ?? Options.Classifier.Progress,
        };
        var trainer = Options.Task == ClassificationTask.Multiclass
            ? _context.MulticlassClassification.Trainers.QuantumKan(options)
            : _context.MultiLabelClassification().Trainers.QuantumKan(options);
        var continueFrom = Options.ContinueFrom?.Classifier;
        var classifier = data.TrainFrames is not null
            ? trainer.Fit(data.TrainFrames, data.ValidationFrames, data.ClassNames, continueFrom)
            : trainer.Fit(data.TrainSource!, data.ValidationSource, data.ClassNames, continueFrom);
        return AudioClassifier.Compose(_context, FrontEnd, classifier);
    }
}
