using Microsoft.ML;
using Microsoft.ML.Data;

namespace QuantumKan.ML.Quantum;

/// <summary>
/// Reads a label column as label sets (0-based class indices), accepting the ways ML.NET represents labels:
/// <list type="bullet">
/// <item>a key (single label, e.g. from <c>MapValueToKey</c>): class = key − 1;</item>
/// <item>a vector of keys (multi-label, e.g. <c>MapValueToKey</c> on a vector of strings): one class per key;</item>
/// <item>a known-size multi-hot vector of Single, Double or Boolean: the classes whose entry is non-zero / true.</item>
/// </list>
/// A row with no label (missing key, all-zero vector) or a NaN entry raises <see cref="InvalidRowException"/>.
/// </summary>
internal sealed class LabelColumn
{
    public const string Expected =
        "a key (single label), a vector of keys, or a known-size multi-hot vector of Single, Double or Boolean (multi-label)";

    private LabelColumn(DataViewSchema.Column column, int classCount)
    {
        Column = column;
        ClassCount = classCount;
    }

    public DataViewSchema.Column Column { get; }

    /// <summary>The number of classes C: the key count or the vector length.</summary>
    public int ClassCount { get; }

    /// <summary>The schema-shape form of the type check, for estimators' <c>GetOutputSchema</c>.</summary>
    public static bool Accepts(SchemaShape.Column c) =>
        c.IsKey || (c.Kind == SchemaShape.Column.VectorKind.Vector &&
                    (c.ItemType == NumberDataViewType.Single || c.ItemType == NumberDataViewType.Double || c.ItemType == BooleanDataViewType.Instance));

    public static LabelColumn Bind(DataViewSchema schema, string name)
    {
        var col = schema.GetColumnOrNull(name)
                  ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Label column '{name}' was not found; expected {Expected}.");
        var count = ItemClassCount(col.Type);
        if (count <= 0)
            throw new ArgumentOutOfRangeException(nameof(schema), $"Label column '{name}' has type {col.Type}; expected {Expected}.");
        if (count > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(schema), $"Label column '{name}' has {count} classes; at most {int.MaxValue} are supported.");
        return new LabelColumn(col, (int)count);
    }

    // Keys carry their class count; multi-hot vectors carry it as their length.
    private static ulong ItemClassCount(DataViewType type) => type switch
    {
        KeyDataViewType key => key.Count,
        VectorDataViewType { ItemType: KeyDataViewType key } => key.Count,
        VectorDataViewType { IsKnownSize: true } v when v.ItemType == NumberDataViewType.Single ||
                                                        v.ItemType == NumberDataViewType.Double ||
                                                        v.ItemType == BooleanDataViewType.Instance => (ulong)v.Size,
        _ => 0,
    };

    /// <summary>Reads every row's label set, in row order.</summary>
    public List<int[]> ReadAll(IDataView data)
    {
        var sets = new List<int[]>();
        using var cursor = data.GetRowCursor([Column]);
        var read = CreateReader(cursor);
        while (cursor.MoveNext())
            sets.Add(read());
        return sets;
    }

    /// <summary>A reader of the current row's label set.</summary>
    public Func<int[]> CreateReader(DataViewRow row)
    {
        Func<int[]> read = Column.Type switch
        {
            KeyDataViewType key => ScalarKeyReader(row, key.RawType),
            VectorDataViewType { ItemType: KeyDataViewType key } => KeyVectorReader(row, key.RawType),
            VectorDataViewType v when v.ItemType == NumberDataViewType.Single => MultiHotReader<float>(row, x => float.IsNaN(x), x => x != 0),
            VectorDataViewType v when v.ItemType == NumberDataViewType.Double => MultiHotReader<double>(row, double.IsNaN, x => x != 0),
            _ => MultiHotReader<bool>(row, _ => false, x => x),
        };
        return () =>
        {
            var set = read();
            if (set.Length == 0)
                throw new InvalidRowException(Column.Name, row.Position, "the row has no label; every training row needs at least one.");
            return set;
        };
    }

    private Func<int[]> ScalarKeyReader(DataViewRow row, Type raw)
    {
        var get = KeyGetter(row, raw);
        return () =>
        {
            var key = get();
            return key == 0 ? [] : [CheckedClass(key, row)];
        };
    }

    private Func<int[]> KeyVectorReader(DataViewRow row, Type raw)
    {
        var get = KeyVectorGetter(row, raw);
        return () => get().Where(k => k != 0).Select(k => CheckedClass(k, row)).Distinct().Order().ToArray();
    }

    private int CheckedClass(ulong key, DataViewRow row) => key <= (ulong)ClassCount
        ? (int)(key - 1)
        : throw new InvalidRowException(Column.Name, row.Position, $"key {key} is outside the key range 1..{ClassCount}.");

    private Func<int[]> MultiHotReader<T>(DataViewRow row, Func<T, bool> isNaN, Func<T, bool> isSet)
    {
        var getter = row.GetGetter<VBuffer<T>>(Column);
        VBuffer<T> buffer = default;
        return () =>
        {
            getter(ref buffer);
            if (buffer.Length != ClassCount)
                throw new InvalidRowException(Column.Name, row.Position, $"expected {ClassCount} label entries, found {buffer.Length}.");
            var set = new List<int>();
            foreach (var (index, value) in buffer.Items())
            {
                if (isNaN(value))
                    throw new InvalidRowException(Column.Name, row.Position, $"label entry {index} is NaN.");
                if (isSet(value))
                    set.Add(index);
            }
            return set.ToArray();
        };
    }

    // Keys come in four raw widths; each is widened to ulong.
    private Func<ulong> KeyGetter(DataViewRow row, Type raw)
    {
        if (raw == typeof(byte)) { var g = row.GetGetter<byte>(Column); byte v = 0; return () => { g(ref v); return v; }; }
        if (raw == typeof(ushort)) { var g = row.GetGetter<ushort>(Column); ushort v = 0; return () => { g(ref v); return v; }; }
        if (raw == typeof(uint)) { var g = row.GetGetter<uint>(Column); uint v = 0; return () => { g(ref v); return v; }; }
        { var g = row.GetGetter<ulong>(Column); ulong v = 0; return () => { g(ref v); return v; }; }
    }

    private Func<IEnumerable<ulong>> KeyVectorGetter(DataViewRow row, Type raw)
    {
        if (raw == typeof(byte)) return Widen<byte>(row, v => v);
        if (raw == typeof(ushort)) return Widen<ushort>(row, v => v);
        if (raw == typeof(uint)) return Widen<uint>(row, v => v);
        return Widen<ulong>(row, v => v);
    }

    private Func<IEnumerable<ulong>> Widen<T>(DataViewRow row, Func<T, ulong> widen)
    {
        var g = row.GetGetter<VBuffer<T>>(Column);
        VBuffer<T> buffer = default;
        return () =>
        {
            g(ref buffer);
            return buffer.DenseValues().Select(widen).ToArray();
        };
    }
}
