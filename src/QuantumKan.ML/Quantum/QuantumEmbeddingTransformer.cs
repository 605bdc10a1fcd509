using QuantumKan.Core;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using QuantumKan.ML.DataView;
using QuantumKan.ML.Persistence;
using QuantumKan.Nn.Quantum;
using static TorchSharp.torch;

namespace QuantumKan.ML.Quantum;

/// <summary>
/// The fitted quantum embedding: maps each row's features to the parameters of an M-mode coherent product state,
/// a vector of 3·M Single <c>[α_1..α_M | β_1..β_M | γ_1..γ_M]</c>, and optionally to the sampled wavefunction.
/// Compare embeddings with <see cref="Fidelity"/> or search them with <see cref="CreateSimilarityIndex"/>.
/// Row-to-row (PredictionEngine works); saves into and loads from ML.NET model zips.
/// </summary>
[PersistableTransformer(Kind, version: 2)]
public sealed class QuantumEmbeddingTransformer : QuantumKanTransformerBase
{
    internal const string Kind = "QuantumKan.QuantumEmbedding";

    private readonly QuantumFieldEmbedding _module;

    internal QuantumEmbeddingTransformer(IHostEnvironment env, QuantumFieldEmbedding module, QuantumEmbeddingColumns columns,
        QuantumEmbeddingOptions options, IReadOnlyList<QuantumEmbeddingEpoch> history)
        : base(env, nameof(QuantumEmbeddingTransformer))
    {
        _module = module;
        Columns = columns;
        Options = options;
        TrainingHistory = history;
    }

    internal QuantumEmbeddingColumns Columns { get; }

    /// <summary>The options the embedding was trained with.</summary>
    public QuantumEmbeddingOptions Options { get; }

    /// <summary>Per-epoch loss and mean positive/negative fidelities of the Fit that produced this transformer.</summary>
    public IReadOnlyList<QuantumEmbeddingEpoch> TrainingHistory { get; }

    /// <summary>Name of the output column holding the 3·M embedding.</summary>
    public string OutputColumnName => Columns.Output;

    /// <summary>Name of the input feature column.</summary>
    public string FeatureColumnName => Columns.Features;

    /// <summary>Name of the label column used in training (and by <see cref="RecallAtK"/>).</summary>
    public string LabelColumnName => Columns.Label;

    /// <summary>Number of input features D.</summary>
    public int FeatureCount => _module.InFeatures;

    /// <summary>Number of modes M.</summary>
    public int Modes => _module.Modes;

    /// <summary>Length 3·M of the embedding vector.</summary>
    public int EmbeddingSize => _module.EmbeddingSize;

    /// <summary>Packet width σ shared by all modes (needed to compare embeddings).</summary>
    public double Sigma => _module.Grid.Sigma;

    /// <summary>The grid on which wavefunctions are sampled.</summary>
    public WavefunctionGrid Grid => _module.Grid;

    /// <summary>The underlying TorchSharp module (CPU), for composing into larger networks.</summary>
    public QuantumFieldEmbedding Module => _module;

    /// <summary>The embedding of one feature vector: D values → 3·M values.</summary>
    /// <exception cref="ArgumentException">The vector has the wrong length or a non-finite value.</exception>
    public float[] Embed(ReadOnlySpan<float> features)
    {
        if (features.Length != FeatureCount)
            throw new ArgumentException($"Expected {FeatureCount} features, got {features.Length}.", nameof(features));
        for (int i = 0; i < features.Length; i++)
        {
            if (!float.IsFinite(features[i]))
                throw new ArgumentException($"Feature {i} is {features[i]}; features must be finite.", nameof(features));
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = tensor(features.ToArray(), [1, FeatureCount]);
        return _module.call(x).data<float>().ToArray();
    }

    /// <summary>Born-rule fidelity between two clips' embeddings, in [0, 1]; γ cancels out.</summary>
    public double Fidelity(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => QuantumSimilarity.Fidelity(a, b, Sigma);

    /// <summary>
    /// Embeds <paramref name="data"/> and indexes it for "find sounds like this one" searches. Rows keep their order:
    /// match <c>Row</c> i is row i of <paramref name="data"/>.
    /// </summary>
    public QuantumSimilarityIndex CreateSimilarityIndex(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return QuantumSimilarityIndex.Create(Transform(data), OutputColumnName, Sigma);
    }

    /// <summary>
    /// Recall@k of similarity search: the fraction of <paramref name="queries"/> rows whose k most similar
    /// <paramref name="gallery"/> rows include one sharing a label. Both views need the feature and label columns.
    /// </summary>
    public double RecallAtK(IDataView gallery, IDataView queries, int k)
    {
        ArgumentNullException.ThrowIfNull(gallery);
        ArgumentNullException.ThrowIfNull(queries);
        using var index = CreateSimilarityIndex(gallery);
        var galleryLabels = LabelColumn.Bind(gallery.Schema, LabelColumnName).ReadAll(gallery);
        var queryLabels = LabelColumn.Bind(queries.Schema, LabelColumnName).ReadAll(queries);
        var queryEmbeddings = QuantumSimilarityIndex.ReadEmbeddings(Transform(queries), OutputColumnName, EmbeddingSize);
        return SimilarityRecall.AtK(index, galleryLabels, queryEmbeddings, queryLabels, k);
    }

    /// <inheritdoc />
    public override string PersistenceKind => Kind;

    /// <inheritdoc />
    public override void SaveState(ModelStateWriter writer)
    {
        writer.WriteJson("Columns", Columns);
        writer.WriteJson("Options", Options);
        writer.WriteJson("Embedding", _module.Options);
        writer.WriteJson("History", TrainingHistory);
        writer.Write("Weights", s => _module.save(s));
    }

    internal static QuantumEmbeddingTransformer Load(IHostEnvironment env, ModelStateReader reader)
    {
        var columns = reader.ReadJson<QuantumEmbeddingColumns>("Columns");
        if (columns.FeatureCount < 1)
            throw reader.Error("Columns", $"feature count {columns.FeatureCount} is invalid");
        var embeddingOptions = reader.ReadJson<QuantumFieldEmbeddingOptions>("Embedding");
        try
        {
            embeddingOptions.Validate();
        }
        catch (ArgumentException ex)
        {
            throw reader.Error("Embedding", QuantumKan.Core.ExceptionText.ForUser(ex), ex);
        }
        // State version 1 held the options as flat fields; version 2 composes the embedding and trainer records.
        var options = reader.KindVersion == 1
            ? reader.ReadJson<LegacyQuantumEmbeddingOptions>("Options").ToOptions(embeddingOptions)
            : reader.ReadJson<QuantumEmbeddingOptions>("Options");
        // Throwaway initial weights drawn under the generator lock, so a load never shifts a concurrent seeded Fit.
        var module = TorchRuntime.WithGenerator(() => new QuantumFieldEmbedding(columns.FeatureCount, embeddingOptions));
        try
        {
            module.load(reader.OpenRead("Weights"));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException)
        {
            throw reader.Error("Weights", $"weights do not fit the saved options ({ex.Message})", ex);
        }
        module.eval();
        return new QuantumEmbeddingTransformer(env, module, columns, options, reader.ReadJson<List<QuantumEmbeddingEpoch>>("History"));
    }

    private protected override BoundRowMapper Bind(DataViewSchema inputSchema) => new QuantumEmbeddingMapper(this, inputSchema);

    /// <summary>Parameters of one row, and its wavefunction (M·2·N values) when <paramref name="withWavefunction"/>.</summary>
    internal (float[] Embedding, float[]? Wavefunction) Compute(ReadOnlySpan<float> features, bool withWavefunction)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var state = _module.Encode(tensor(features.ToArray(), [1, FeatureCount]));
        var embedding = state.Pack().data<float>().ToArray();
        if (!withWavefunction)
            return (embedding, null);
        var psi = _module.SampleWavefunction(state);                         // (1, M, N) each
        var interleaved = stack([psi.Real[0], psi.Imag[0]], 1);               // (M, 2, N)
        return (embedding, interleaved.contiguous().data<float>().ToArray());
    }
}

/// <summary>Column names and feature width of a fitted embedding, persisted with it.</summary>
internal sealed record QuantumEmbeddingColumns(string Output, string Features, string Label, string? Wavefunction, int FeatureCount);
