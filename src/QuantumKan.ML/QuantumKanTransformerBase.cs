using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using QuantumKan.ML.DataView;
using QuantumKan.ML.Persistence;

namespace QuantumKan.ML;

/// <summary>
/// Base of every QuantumKan transformer: ML.NET's <see cref="ITransformer"/> on public interfaces, row-to-row
/// (so PredictionEngine works), and saved through <see cref="ModelPersistence"/>. Subclasses bind to an input schema
/// (validating it) and compute their output columns.
/// </summary>
public abstract class QuantumKanTransformerBase : ITransformer
{
    private protected QuantumKanTransformerBase(IHostEnvironment env, string name)
    {
        ArgumentNullException.ThrowIfNull(env);
        Host = env.Register(name);
        ModelPersistence.Register(env);
    }

    private protected IHost Host { get; }

    /// <summary>Binds to an input schema, validating it; throws naming the offending column.</summary>
    private protected abstract BoundRowMapper Bind(DataViewSchema inputSchema);

    /// <summary>The registered kind name (<see cref="PersistableTransformerAttribute.Kind"/>), written into the zip.</summary>
    public abstract string PersistenceKind { get; }

    /// <summary>Writes the transformer's state sections.</summary>
    public abstract void SaveState(ModelStateWriter writer);

    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return Bind(inputSchema).OutputSchema;
    }

    /// <inheritdoc />
    public virtual IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new MappedDataView(input, Bind(input.Schema));
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new RowToRowMapper(Bind(inputSchema));
    }

    void ICanSaveModel.Save(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this);
}
