using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using QuantumKan.ML.DataView;
using QuantumKan.ML.Persistence;
using QuantumKan.ML.Quantum;
using QuantumKan.Nn.Network;
using QuantumKan.Training.Checkpoints;
using QuantumKan.Training.Loop;
using static TorchSharp.torch;

namespace QuantumKan.ML.Classification;

/// <summary>
/// A trained QuantumKan classifier. Adds <c>Score</c> (per-class probabilities), <c>PredictedLabel</c> (a key for
/// multiclass, a Boolean vector for multi-label) and <c>Embedding</c> (the quantum state's [α | β | γ]). Saved with
/// <c>mlContext.Model.Save</c> together with its full training checkpoint (weights, AdamW state, schedule position,
/// counters, RNG state), so a loaded model can be trained further from where it stopped.
/// </summary>
[PersistableTransformer(Kind, version: 1)]
public sealed class QuantumKanClassifierTransformer : QuantumKanTransformerBase
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

    /// <summary>Input feature width.</summary>
    public int FeatureCount => Columns.FeatureCount;

    /// <summary>Multi-label decision threshold on the sigmoid probability.</summary>
    public float DecisionThreshold { get; }

    /// <summary>The training checkpoint at the end of Fit: continue training from it.</summary>
    public TrainingCheckpoint Checkpoint { get; }

    /// <summary>Per-epoch training losses (each component) and validation metrics.</summary>
    public IReadOnlyList<EpochSummary> TrainingHistory { get; }

    /// <summary>The network architecture.</summary>
    public QuantumKanNetworkOptions NetworkOptions => _network.Options;

    internal ClassifierColumns Columns { get; }

    internal QuantumKanNetwork Network => _network;

    /// <summary>
    /// The quantum-embedding part as a standalone transformer, for similarity search ("find sounds like this one").
    /// It shares this model's weights and reads the same feature column.
    /// </summary>
    /// <param name="outputColumnName">Its output column (the 3·M embedding parameters). Default "Embedding".</param>
    public QuantumEmbeddingTransformer GetEmbeddingTransformer(string outputColumnName = "Embedding")
    {
        var e = _network.Embedding;
        var options = new QuantumEmbeddingOptions
        {
            Modes = e.Modes, Extractor = e.Options.Extractor, HiddenWidths = e.Options.HiddenWidths, Sigma = e.Grid.Sigma,
            GridPoints = e.Grid.Points, GridHalfWidth = e.Grid.HalfWidth, BetaMax = e.Options.BetaMax,
        };
        var columns = new QuantumEmbeddingColumns(outputColumnName, Columns.Features, Columns.Label, null, FeatureCount);
        return new QuantumEmbeddingTransformer(Host, e, columns, options, []);
    }

    /// <summary>Scores one feature vector: per-class probabilities and the embedding parameters.</summary>
    public (float[] Scores, float[] Embedding) Predict(ReadOnlySpan<float> features)
    {
        if (features.Length != FeatureCount)
            throw new ArgumentException($"Expected {FeatureCount} features, got {features.Length}.", nameof(features));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (logits, state) = _network.ForwardWithState(tensor(features.ToArray(), [1, FeatureCount]));
        var probabilities = Task == ClassificationTask.Multiclass ? logits.softmax(1) : logits.sigmoid();
        return (probabilities.data<float>().ToArray(), state.Pack().data<float>().ToArray());
    }

    /// <summary>Scores many feature vectors at once (rows of <paramref name="features"/>, row-major): (n, C) probabilities.</summary>
    public float[] PredictBatch(ReadOnlySpan<float> features, int rows)
    {
        if (features.Length != rows * FeatureCount)
            throw new ArgumentException($"Expected {rows}×{FeatureCount} features, got {features.Length}.", nameof(features));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
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
