using Microsoft.ML;
using Microsoft.ML.Data;

namespace QuantumKan.ML.DataView;

/// <summary>An <see cref="IDataView"/> that appends a <see cref="BoundRowMapper"/>'s outputs to its source, lazily.</summary>
internal sealed class MappedDataView(IDataView source, BoundRowMapper mapper) : IDataView
{
    public DataViewSchema Schema => mapper.OutputSchema;

    public bool CanShuffle => source.CanShuffle;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var (inputColumns, isOutputActive) = MappedRow.Plan(mapper, columnsNeeded);
        var inputCursor = source.GetRowCursor(inputColumns, rand);
        return new MappedCursor(inputCursor, mapper, isOutputActive);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}

/// <summary>A row of the mapped schema over one input row.</summary>
internal class MappedRow : DataViewRow
{
    private readonly DataViewRow _input;
    private readonly BoundRowMapper _mapper;
    private readonly bool[] _active;
    private readonly Delegate?[] _getters;
    private readonly Action? _disposer;
    private readonly int _inputCount;
    private bool _disposed;

    public MappedRow(DataViewRow input, BoundRowMapper mapper, bool[] isOutputActive)
    {
        _input = input;
        _mapper = mapper;
        _active = isOutputActive;
        _inputCount = mapper.InputSchema.Count;
        _getters = mapper.CreateGetters(input, i => _active[i], out _disposer);
    }

    /// <summary>Splits requested columns into input columns to activate (with dependencies) and active outputs.</summary>
    internal static (List<DataViewSchema.Column> Input, bool[] ActiveOutputs) Plan(BoundRowMapper mapper, IEnumerable<DataViewSchema.Column> requested)
    {
        int inputCount = mapper.InputSchema.Count;
        var active = new bool[mapper.Outputs.Count];
        var input = new Dictionary<int, DataViewSchema.Column>();
        foreach (var c in requested)
        {
            if (c.Index < inputCount)
                input[c.Index] = mapper.InputSchema[c.Index];
            else
                active[c.Index - inputCount] = true;
        }
        if (active.Any(a => a))
            foreach (var dep in mapper.GetDependencies(i => active[i]))
                input[dep.Index] = mapper.InputSchema[dep.Index];
        return (input.Values.ToList(), active);
    }

    public override DataViewSchema Schema => _mapper.OutputSchema;

    public override long Position => _input.Position;

    public override long Batch => _input.Batch;

    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index < _inputCount ? _input.IsColumnActive(_mapper.InputSchema[column.Index]) : _active[column.Index - _inputCount];

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index < _inputCount)
            return _input.GetGetter<TValue>(_mapper.InputSchema[column.Index]);
        int o = column.Index - _inputCount;
        if (o >= _getters.Length || !_active[o])
            throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor.");
        return _getters[o] as ValueGetter<TValue>
               ?? throw new InvalidOperationException(
                   $"Column '{column.Name}' has type {_mapper.Outputs[o].Type}; a getter of {typeof(TValue).Name} was requested.");
    }

    protected override void Dispose(bool disposing)
    {
        if (_disposed)
            return;
        _disposed = true;
        if (disposing)
        {
            _disposer?.Invoke();
            DisposeInput();
        }
        base.Dispose(disposing);
    }

    protected virtual void DisposeInput()
    {
    }
}

internal sealed class MappedCursor : DataViewRowCursor
{
    private readonly DataViewRowCursor _input;
    private readonly MappedRow _row;

    public MappedCursor(DataViewRowCursor input, BoundRowMapper mapper, bool[] isOutputActive)
    {
        _input = input;
        _row = new MappedRow(input, mapper, isOutputActive);
    }

    public override DataViewSchema Schema => _row.Schema;
    public override long Position => _input.Position;
    public override long Batch => _input.Batch;
    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();
    public override bool IsColumnActive(DataViewSchema.Column column) => _row.IsColumnActive(column);
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _row.GetGetter<TValue>(column);
    public override bool MoveNext() => _input.MoveNext();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _row.Dispose();
            _input.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>The <see cref="IRowToRowMapper"/> used by PredictionEngine and by TransformerChain composition.</summary>
internal sealed class RowToRowMapper(BoundRowMapper mapper) : IRowToRowMapper
{
    public DataViewSchema InputSchema => mapper.InputSchema;

    public DataViewSchema OutputSchema => mapper.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        MappedRow.Plan(mapper, dependingColumns).Input;

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        var (_, active) = MappedRow.Plan(mapper, activeColumns);
        return new MappedRow(input, mapper, active);
    }
}
