using Microsoft.ML;
using Microsoft.ML.Data;

namespace QuantumKan.ML.DataView;

/// <summary>A column a transformer appends to its input.</summary>
/// <param name="Name">Column name. A same-named input column is hidden, as in every ML.NET transform.</param>
/// <param name="Type">Column type.</param>
/// <param name="Annotations">Optional annotations (slot names, key values).</param>
public sealed record OutputColumn(string Name, DataViewType Type, DataViewSchema.Annotations? Annotations = null);

/// <summary>
/// A transformer bound to one input schema: it has validated that schema, knows its output columns, and makes
/// getters for them. The generic plumbing (data views, cursors, row-to-row mappers for PredictionEngine) lives in
/// <see cref="MappedDataView"/> and <see cref="RowToRowMapper"/>; subclasses only compute values.
/// </summary>
internal abstract class BoundRowMapper
{
    private DataViewSchema? _outputSchema;

    protected BoundRowMapper(DataViewSchema inputSchema) => InputSchema = inputSchema;

    public DataViewSchema InputSchema { get; }

    /// <summary>The columns appended to the input, in order.</summary>
    public abstract IReadOnlyList<OutputColumn> Outputs { get; }

    /// <summary>The input columns needed to compute the active outputs (indexes into <see cref="Outputs"/>).</summary>
    public abstract IEnumerable<DataViewSchema.Column> GetDependencies(Func<int, bool> isOutputActive);

    /// <summary>
    /// Getters for the active outputs (null for inactive ones), reading the current row of <paramref name="input"/>.
    /// Getters are called repeatedly as the input advances; cache per <see cref="DataViewRow.Position"/> where the
    /// computation is shared by several outputs.
    /// </summary>
    public abstract Delegate?[] CreateGetters(DataViewRow input, Func<int, bool> isOutputActive, out Action? disposer);

    /// <summary>The input schema followed by the outputs.</summary>
    public DataViewSchema OutputSchema => _outputSchema ??= BuildOutputSchema();

    private DataViewSchema BuildOutputSchema()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(InputSchema);
        foreach (var o in Outputs)
            builder.AddColumn(o.Name, o.Type, o.Annotations);
        return builder.ToSchema();
    }

    /// <summary>Finds a required input column or throws an error naming it and the expected type.</summary>
    internal static DataViewSchema.Column RequireColumn(DataViewSchema schema, string name, string expected, Func<DataViewType, bool> accepts)
    {
        var col = schema.GetColumnOrNull(name)
                  ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Input column '{name}' was not found; expected {expected}.");
        if (!accepts(col.Type))
            throw new ArgumentOutOfRangeException(nameof(schema), $"Input column '{name}' has type {col.Type}; expected {expected}.");
        return col;
    }
}

/// <summary>Caches one computed value per input row position, for outputs that share one computation.</summary>
internal sealed class PerRowCache<T>(DataViewRow input, Func<T> compute)
{
    private long _position = -1;
    private T _value = default!;

    public T Get()
    {
        if (_position != input.Position || _position < 0)
        {
            _value = compute();
            _position = input.Position;
        }
        return _value;
    }
}

/// <summary>
/// A mapper that reads one input column and appends one output column (the audio transforms' shape): the dependency
/// and activity plumbing is here, subclasses make the one getter.
/// </summary>
internal abstract class SingleColumnMapper(DataViewSchema inputSchema, DataViewSchema.Column input) : BoundRowMapper(inputSchema)
{
    /// <summary>The input column the output is computed from.</summary>
    protected DataViewSchema.Column Input { get; } = input;

    public sealed override IEnumerable<DataViewSchema.Column> GetDependencies(Func<int, bool> isOutputActive) => [Input];

    public sealed override Delegate?[] CreateGetters(DataViewRow input, Func<int, bool> isOutputActive, out Action? disposer)
    {
        disposer = null;
        return [isOutputActive(0) ? CreateGetter(input) : null];
    }

    /// <summary>The output's getter over the current row of <paramref name="input"/>.</summary>
    protected abstract Delegate CreateGetter(DataViewRow input);

    /// <summary>Writes <paramref name="values"/> into <paramref name="dst"/>, reusing its buffer.</summary>
    protected static void Write(ref VBuffer<float> dst, ReadOnlySpan<float> values)
    {
        var editor = VBufferEditor.Create(ref dst, values.Length);
        values.CopyTo(editor.Values);
        dst = editor.Commit();
    }
}
