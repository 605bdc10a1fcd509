using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using QuantumKan.ML.DataView;
using QuantumKan.ML.Persistence;
using QuantumKan.ML.Quantum;
using QuantumKan.Nn.Encoders;
using QuantumKan.Nn.Losses;
using QuantumKan.Nn.Network;
using QuantumKan.Training.Data.Frames;
using QuantumKan.Training.Checkpoints;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;
using static TorchSharp.torch;

namespace QuantumKan.ML.Classification;

/// <summary>
/// A trained QuantumKan classifier. Adds <c>Score</c> (per-class probabilities), <c>PredictedLabel</c> (a key for
/// multiclass, a Boolean vector for multi-label) and <c>Embedding</c> (the quantum state's [α | β | γ]). Saved with
/// <c>mlContext.Model.Save</c> together with its full training checkpoint (weights, AdamW state, schedule position,
/// counters, RNG state), so a loaded model can be trained further from where it stopped. As ML.NET's prediction
/// transformers do, it names its feature column and exposes its model (<see cref="Model"/>, the classifier itself).
/// </summary>
[PersistableTransformer(Kind, version: 1)]
public sealed class QuantumKanClassifierTransformer : QuantumKanTransformerBase, IClipClassifier, ISingleFeaturePredictionTransformer<IQuantumKanClassifier>
{
    internal const string Kind = "QuantumKan.Classifier";

    private readonly QuantumKanNetwork _network;

    internal QuantumKanClassifierTransformer(IHostEnvironment env, ClassificationTask task, QuantumKanNetwork network, string[] classNames,
        ClassifierColumns columns, float threshold, TrainingCheckpoint checkpoint, IReadOnlyList<EpochSummary> history)
        : base(env, nameof(QuantumKanClassifierTransformer))
    {
        Task = task;
        _network = network;
        ClassNames = classNames;
        Columns = columns;
        DecisionThreshold = threshold;
        Checkpoint = checkpoint;
        TrainingHistory = history;
    }

    /// <summary>Multi-label or multiclass.</summary>
    public ClassificationTask Task { get; }

    /// <summary>Class names, in score order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Input feature width; for a frame-encoder model, the mel bands per frame (rows hold any whole number of frames).</summary>
    public int FeatureCount => Columns.FeatureCount;

    /// <summary>Whether the model reads log-mel frames through a frame encoder (rows of variable length).</summary>
    public bool ReadsFrames => _network.HasEncoder;

    /// <summary>Multi-label decision threshold on the sigmoid probability.</summary>
    public float DecisionThreshold { get; }

    /// <summary>The training checkpoint at the end of Fit: continue training from it.</summary>
    public TrainingCheckpoint Checkpoint { get; }

    /// <summary>Per-epoch training losses (each component) and validation metrics.</summary>
    public IReadOnlyList<EpochSummary> TrainingHistory { get; }

    /// <summary>The column the model reads: the pooled features, or for a frame model the log-mel frames.</summary>
    public string FeatureColumnName => Columns.Features;

    /// <summary>
    /// The feature column's type: a vector of <see cref="FeatureCount"/> Single, or for a frame model a vector of Single
    /// of any length (a whole number of frames of <see cref="FeatureCount"/> mel bands).
    /// </summary>
    public DataViewType FeatureColumnType => ReadsFrames
        ? new VectorDataViewType(NumberDataViewType.Single)
        : new VectorDataViewType(NumberDataViewType.Single, FeatureCount);

    /// <summary>The trained classifier: this transformer, as the engine-neutral <see cref="IQuantumKanClassifier"/>.</summary>
    public IQuantumKanClassifier Model => this;

    /// <summary>The network architecture.</summary>
    public QuantumKanNetworkOptions NetworkOptions => _network.Options;

    internal ClassifierColumns Columns { get; }

    ClassifierColumns IClipClassifier.Columns => Columns;

    int IClipClassifier.EmbeddingSize => _network.Embedding.EmbeddingSize;

    /// <summary>The output column holding the quantum embedding, or null when the model does not output it.</summary>
    public string? EmbeddingColumnName => Columns.Embedding;

    internal QuantumKanNetwork Network => _network;

    /// <summary>
    /// The quantum-embedding part as a standalone transformer, for similarity search ("find sounds like this one").
    /// It shares this model's weights and reads the same feature column.
    /// </summary>
    /// <param name="outputColumnName">Its output column (the 3·M embedding parameters). Default "Embedding".</param>
    /// <exception cref="NotSupportedException">The model reads frames through an encoder: use <see cref="Embed"/>, or the classifier's own Embedding column.</exception>
    public QuantumEmbeddingTransformer GetEmbeddingTransformer(string outputColumnName = "Embedding")
    {
        if (ReadsFrames)
            throw new NotSupportedException(
                "This model embeds clips through its frame encoder; the embedding alone would skip it. Use Embed(frames), or the classifier's Embedding output column.");
        var e = _network.Embedding;
        var options = new QuantumEmbeddingOptions { Embedding = e.Options };
        var columns = new QuantumEmbeddingColumns(outputColumnName, Columns.Features, Columns.Label, null, FeatureCount);
        return new QuantumEmbeddingTransformer(Host, e, columns, options, []);
    }

    /// <summary>
    /// Scores one clip: per-class probabilities and the embedding parameters. The input is one feature vector, or for a
    /// frame-encoder model the clip's frames (row-major <c>frames × bands</c>, any number ≥ 1 of frames), scored as
    /// <see cref="FrameEncoderOptions.Inference"/> says: the mean or max over overlapping crop-length patches (the
    /// embedding then averages α and β over the patches and takes the circular mean of γ), or the whole clip at once.
    /// The network runs in libtorch's inference mode (no autograd bookkeeping at all, which no_grad still does).
    /// </summary>
    public (float[] Scores, float[] Embedding) Predict(ReadOnlySpan<float> features)
    {
        if (ReadsFrames)
            return PredictFrames(features);
        if (features.Length != FeatureCount)
            throw new ArgumentException($"Expected {FeatureCount} features, got {features.Length}.", nameof(features));
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var (logits, state) = _network.ForwardWithState(tensor(features.ToArray(), [1, FeatureCount]));
        return (Probabilities(logits).data<float>().ToArray(), state.Pack().data<float>().ToArray());
    }

    private (float[] Scores, float[] Embedding) PredictFrames(ReadOnlySpan<float> frames)
    {
        int bands = FeatureCount;
        if (frames.Length == 0 || frames.Length % bands != 0)
            throw new ArgumentException($"Expected a whole number (≥ 1) of {bands}-band frames, got {frames.Length} values.", nameof(frames));
        var encoder = _network.Options.Encoder;
        int frameCount = frames.Length / bands;
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        if (encoder.Inference == ClipInference.WholeClip)
        {
            var (wholeLogits, wholeState) = _network.ForwardWithState(tensor(frames.ToArray(), [1, frameCount, bands]));
            return (Probabilities(wholeLogits)[0].data<float>().ToArray(), wholeState.Pack()[0].data<float>().ToArray());
        }
        // One clip's patches, the same cut as validation (FramePatchSource), scored PatchBatch at a time so a long clip
        // (30 min = 3,600 patches) never holds more than one batch of patches in memory.
        int classes = Math.Max(1, ClassNames.Count);
        var clip = new FrameClips(new InMemoryFrameStore([frames.ToArray()], bands), new float[classes], classes);
        var patches = new FramePatchSource(clip, encoder.CropFrames, encoder.PatchHop);
        var values = new float[Math.Min(PatchBatch, patches.Count) * patches.FeatureSize];
        var probabilities = new List<Tensor>();
        var alpha = new List<Tensor>();
        var beta = new List<Tensor>();
        var gamma = new List<Tensor>();
        for (int first = 0; first < patches.Count; first += PatchBatch)
        {
            int n = Math.Min(PatchBatch, patches.Count - first);
            for (int p = 0; p < n; p++)
                patches.ReadFeatures(first + p, values.AsSpan(p * patches.FeatureSize, patches.FeatureSize));
            var batch = n * patches.FeatureSize == values.Length ? values : values.AsSpan(0, n * patches.FeatureSize).ToArray();
            var (logits, state) = _network.ForwardWithState(tensor(batch, [n, encoder.CropFrames, bands]));
            probabilities.Add(Probabilities(logits));                                   // (n, C)
            alpha.Add(state.Alpha);
            beta.Add(state.Beta);
            gamma.Add(state.Gamma);
        }
        var all = Patches(probabilities);                                               // (P, C)
        var scores = encoder.Inference == ClipInference.PatchMax ? all.amax([0]) : all.mean([0]); // (C)
        var g = Patches(gamma);
        var meanGamma = atan2(g.sin().mean([0]), g.cos().mean([0]));
        var embedding = cat([Patches(alpha).mean([0]), Patches(beta).mean([0]), meanGamma]); // (3M)
        return (scores.data<float>().ToArray(), embedding.data<float>().ToArray());
    }

    // All patches' rows: the one batch itself when the clip has at most PatchBatch patches (up to 32.5 s at the default
    // crop and hop), which spares a copy per output; the values, and so the means over them, are the same either way.
    private static Tensor Patches(List<Tensor> batches) => batches.Count == 1 ? batches[0] : cat(batches, 0);

    // Patches per forward pass when scoring one long clip.
    private const int PatchBatch = 64;

    private Tensor Probabilities(Tensor logits) => Task == ClassificationTask.Multiclass ? logits.softmax(1) : logits.sigmoid();

    /// <summary>The quantum embedding [α | β | γ] of one clip's features or frames (as <see cref="Predict"/> computes it).</summary>
    public float[] Embed(ReadOnlySpan<float> features) => Predict(features).Embedding;

    /// <summary>The packet width σ of the embedding's states, for Born-rule fidelities between embeddings.</summary>
    public double EmbeddingSigma => _network.Embedding.Grid.Sigma;

    /// <summary>Scores many feature vectors at once (rows of <paramref name="features"/>, row-major): (n, C) probabilities.</summary>
    public float[] PredictBatch(ReadOnlySpan<float> features, int rows)
    {
        if (ReadsFrames)
            throw new NotSupportedException("A frame-encoder model scores clips of any length one at a time: call Predict per clip.");
        if (features.Length != rows * FeatureCount)
            throw new ArgumentException($"Expected {rows}×{FeatureCount} features, got {features.Length}.", nameof(features));
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var logits = _network.call(tensor(features.ToArray(), [rows, FeatureCount]));
        return (Task == ClassificationTask.Multiclass ? logits.softmax(1) : logits.sigmoid()).data<float>().ToArray();
    }

    /// <summary>
    /// A fresh network of this model's architecture, to continue training in: the trainer's resume loads every weight
    /// and buffer from <see cref="Checkpoint"/> into it, so its own initialization is never used.
    /// </summary>
    internal QuantumKanNetwork NewNetworkOfSameArchitecture() =>
        Core.TorchRuntime.WithGenerator(() => new QuantumKanNetwork(FeatureCount, ClassNames.Count, _network.Options));

    private protected override BoundRowMapper Bind(DataViewSchema inputSchema) => new ClassifierMapper(this, inputSchema);

    /// <inheritdoc />
    public override string PersistenceKind => Kind;

    /// <inheritdoc />
    public override void SaveState(ModelStateWriter writer)
    {
        writer.WriteJson("Header", new ClassifierHeader(Task, ClassNames.ToArray(), Columns, DecisionThreshold));
        writer.WriteJson("Network", _network.Options);
        writer.Write("Weights", s => _network.save(s));
        writer.Write("Checkpoint", Checkpoint.WriteTo);
        writer.WriteJson("History", TrainingHistory);
    }

    internal static QuantumKanClassifierTransformer Load(IHostEnvironment env, ModelStateReader reader)
    {
        var header = reader.ReadJson<ClassifierHeader>("Header");
        if (header.ClassNames is not { Length: > 0 } || header.Columns.FeatureCount < 1)
            throw reader.Error("Header", "class names or feature count are missing");
        var options = reader.ReadJson<QuantumKanNetworkOptions>("Network");
        // Models saved before the frame encoder existed have no Encoder field: they read pooled feature vectors. Models
        // saved before HeadInput existed have none either: their heads read the state alone. (Trained models save both
        // resolved, so Auto here only ever means "saved before".)
        if (options.HeadInput == HeadInput.Auto)
            options = options with { HeadInput = HeadInput.State };
        // Likewise a model saved before ContrastiveTarget existed was trained with SharedLabel (this matters only if it
        // trains on).
        if (options.ContrastiveTarget == ContrastiveTarget.Auto)
            options = options with { ContrastiveTarget = ContrastiveTarget.SharedLabel };
        options = options.ResolveEncoder(inputIsFrames: false);
        QuantumKanNetwork network;
        try
        {
            options.Validate();
            // Construction draws throwaway initial weights from torch's global generator: take its lock, so loading a
            // model never shifts the draws of a seeded Fit running at the same time.
            network = Core.TorchRuntime.WithGenerator(() => new QuantumKanNetwork(header.Columns.FeatureCount, header.ClassNames.Length, options));
            network.load(reader.OpenRead("Weights"));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException)
        {
            throw reader.Error("Weights", $"weights do not fit the saved architecture ({ex.Message})", ex);
        }
        network.eval();
        TrainingCheckpoint checkpoint;
        try
        {
            checkpoint = TrainingCheckpoint.ReadFrom(reader.OpenRead("Checkpoint"), reader.EntryPath("Checkpoint"));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not ModelFormatException)
        {
            throw reader.Error("Checkpoint", QuantumKan.Core.ExceptionText.ForUser(ex), ex);
        }
        var history = reader.ReadJson<List<EpochSummary>>("History");
        return new QuantumKanClassifierTransformer(env, header.Task, network, header.ClassNames, header.Columns, header.DecisionThreshold, checkpoint, history);
    }

    internal sealed record ClassifierHeader(ClassificationTask Task, string[] ClassNames, ClassifierColumns Columns, float DecisionThreshold);
}
