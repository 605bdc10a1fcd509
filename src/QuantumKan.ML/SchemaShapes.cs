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

    /// <summary>
    /// The input shape with <paramref name="outputs"/> appended (replacing same-named columns), each with the kinds and
    /// types of its annotations, so estimators appended after (MapKeyToValue needs KeyValues) check before Fit.
    /// </summary>
    public static SchemaShape Append(SchemaShape input, IEnumerable<OutputColumn> outputs)
    {
        var columns = input.ToDictionary(c => c.Name);
        foreach (var o in outputs)
            columns[o.Name] = ToShape(o.Type, o.Name, o.Annotations);
        return new SchemaShape(columns.Values);
    }

    public static SchemaShape.Column ToShape(DataViewType type, string name, DataViewSchema.Annotations? annotations = null)
    {
        var annotationShape = annotations is null || annotations.Schema.Count == 0
            ? null
            : new SchemaShape(annotations.Schema.Select(a => ToShape(a.Type, a.Name)));
        var kind = type switch
        {
            VectorDataViewType v when v.IsKnownSize => SchemaShape.Column.VectorKind.Vector,
            VectorDataViewType => SchemaShape.Column.VectorKind.VariableVector,
            _ => SchemaShape.Column.VectorKind.Scalar,
        };
        var item = type is VectorDataViewType vt ? vt.ItemType : type;
        // ML.NET describes a key column by its raw number type plus isKey; passing the key type itself is rejected.
        return item is KeyDataViewType key
            ? MlNetInternals.NewSchemaShapeColumn(name, kind, KeyRawType(key), isKey: true, annotations: annotationShape)
            : MlNetInternals.NewSchemaShapeColumn(name, kind, item, isKey: false, annotations: annotationShape);
    }

    private static DataViewType KeyRawType(KeyDataViewType key) => key.RawType switch
    {
        var t when t == typeof(byte) => NumberDataViewType.Byte,
        var t when t == typeof(ushort) => NumberDataViewType.UInt16,
        var t when t == typeof(uint) => NumberDataViewType.UInt32,
        _ => NumberDataViewType.UInt64,
    };

    public static string Describe(SchemaShape.Column c) => c.Kind switch
    {
        SchemaShape.Column.VectorKind.Scalar => c.ItemType.ToString() ?? "?",
        SchemaShape.Column.VectorKind.Vector => $"Vector<{c.ItemType}> (known size)",
        _ => $"Vector<{c.ItemType}> (variable size)",
    };
}
