using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.ML.DataView;
using QuantumKan.ML.Persistence;

namespace QuantumKan.ML;

/// <summary>Helpers for estimators' <c>GetOutputSchema(SchemaShape)</c>: checks input columns and appends outputs.</summary>
internal static class SchemaShapes
{
    /// <summary>Finds a column or throws an error naming it and the type expected.</summary>
    public static SchemaShape.Column Require(SchemaShape input, string name, string expected, Func<SchemaShape.Column, bool> accepts)
    {
        var col = input.FirstOrDefault(c => c.Name == name);
        if (col.Name is null)
            throw new ArgumentOutOfRangeException(nameof(input), $"Input column '{name}' was not found; expected {expected}.");
        if (!accepts(col))
            throw new ArgumentOutOfRangeException(nameof(input), $"Input column '{name}' has type {Describe(col)}; expected {expected}.");
        return col;
    }

    /// <summary>The input shape with <paramref name="outputs"/> appended (replacing same-named columns).</summary>
    public static SchemaShape Append(SchemaShape input, IEnumerable<OutputColumn> outputs)
    {
        var columns = input.ToDictionary(c => c.Name);
        foreach (var o in outputs)
            columns[o.Name] = ToShape(o.Type, o.Name);
        return new SchemaShape(columns.Values);
    }

    public static SchemaShape.Column ToShape(DataViewType type, string name)
    {
        var kind = type switch
        {
            VectorDataViewType v when v.IsKnownSize => SchemaShape.Column.VectorKind.Vector,
            VectorDataViewType => SchemaShape.Column.VectorKind.VariableVector,
            _ => SchemaShape.Column.VectorKind.Scalar,
        };
        var item = type is VectorDataViewType vt ? vt.ItemType : type;
        return MlNetInternals.NewSchemaShapeColumn(name, kind, item, item is KeyDataViewType, annotations: null);
    }

    public static string Describe(SchemaShape.Column c) => c.Kind switch
    {
        SchemaShape.Column.VectorKind.Scalar => c.ItemType.ToString() ?? "?",
        SchemaShape.Column.VectorKind.Vector => $"Vector<{c.ItemType}> (known size)",
        _ => $"Vector<{c.ItemType}> (variable size)",
    };
}
