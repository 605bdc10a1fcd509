using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.ML.Quantum;
using QuantumKan.Training.Model;

namespace QuantumKan.ML.Classification;

/// <summary>
/// Reads a classifier's label column as class-index sets, whatever its form (key, key vector, multi-hot vector, or
/// delimited label names with a vocabulary), and names the classes. Every bad row is reported with column and row.
/// </summary>
internal sealed class ClassifierLabels
{
    private readonly LabelColumn? _structured;
    private readonly Dictionary<string, int>? _vocabularyIndex;
    private readonly char _separator;

    private ClassifierLabels(DataViewSchema.Column column, string[] classNames, LabelColumn? structured, char separator)
    {
        Column = column;
        ClassNames = classNames;
        _structured = structured;
        _separator = separator;
        if (structured is null)
            _vocabularyIndex = classNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
    }

    public DataViewSchema.Column Column { get; }

    public string[] ClassNames { get; }

    public int ClassCount => ClassNames.Length;

    public static string Expected(ClassificationTask task) => task == ClassificationTask.Multiclass
        ? "a key (map class names with mlContext.Transforms.Conversion.MapValueToKey)"
        : LabelColumn.Expected + ", or text of delimited label names with a Vocabulary";

    public static bool Accepts(SchemaShape.Column c, ClassificationTask task) => task == ClassificationTask.Multiclass
        ? c.IsKey && c.Kind == SchemaShape.Column.VectorKind.Scalar
        : LabelColumn.Accepts(c) || (c.ItemType is TextDataViewType && c.Kind == SchemaShape.Column.VectorKind.Scalar);

    public static ClassifierLabels Bind(DataViewSchema schema, QuantumKanClassifierOptions options, ClassificationTask task)
    {
        var name = options.LabelColumnName;
        var column = schema.GetColumnOrNull(name)
                     ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Label column '{name}' was not found; expected {Expected(task)}.");
        if (task == ClassificationTask.Multiclass && column.Type is not KeyDataViewType)
            throw new ArgumentOutOfRangeException(nameof(schema), $"Label column '{name}' has type {column.Type}; expected {Expected(task)}.");
        if (column.Type is TextDataViewType)
        {
            if (options.Vocabulary is not { Count: > 0 } vocabulary)
                throw new ArgumentException($"Label column '{name}' holds label names as text; set QuantumKanClassifierOptions.Vocabulary to the class names.");
            return new ClassifierLabels(column, vocabulary.ToArray(), null, options.LabelSeparator);
        }
        var structured = LabelColumn.Bind(schema, name);
        return new ClassifierLabels(column, ClassNamesOf(column, structured.ClassCount, options.Vocabulary), structured, options.LabelSeparator);
    }

    /// <summary>Reads the current row's label as a dense vector (one-hot or multi-hot) of <see cref="ClassCount"/> values.</summary>
    public Func<float[]> CreateReader(DataViewRow row)
    {
        Func<int[]> sets = _structured is not null ? _structured.CreateReader(row) : TextReader(row);
        return () =>
        {
            var hot = new float[ClassCount];
            foreach (var c in sets())
                hot[c] = 1f;
            return hot;
        };
    }

    private Func<int[]> TextReader(DataViewRow row)
    {
        var getter = row.GetGetter<ReadOnlyMemory<char>>(Column);
        ReadOnlyMemory<char> text = default;
        return () =>
        {
            getter(ref text);
            var names = text.ToString().Split(_separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (names.Length == 0)
                throw new InvalidRowException(Column.Name, row.Position, "the row has no label; every training row needs at least one.");
            var set = new int[names.Length];
            for (int i = 0; i < names.Length; i++)
            {
                var label = names[i].Trim('"');
                if (!_vocabularyIndex!.TryGetValue(label, out set[i]))
                    throw new InvalidRowException(Column.Name, row.Position, $"label '{label}' is not in the vocabulary ({ClassCount} classes).");
            }
            return set;
        };
    }

    // Key values, or slot names, or the vocabulary, or "0".."C-1".
    private static string[] ClassNamesOf(DataViewSchema.Column column, int count, IReadOnlyList<string>? vocabulary)
    {
        var names = column.Type is KeyDataViewType || column.Type is VectorDataViewType { ItemType: KeyDataViewType }
            ? TryAnnotationText(column, "KeyValues", count)
            : TryAnnotationText(column, "SlotNames", count);
        if (names is not null)
            return names;
        if (vocabulary is not null)
        {
            if (vocabulary.Count != count)
                throw new ArgumentException($"Label column '{column.Name}' has {count} classes but the Vocabulary has {vocabulary.Count} names.");
            return vocabulary.ToArray();
        }
        return Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    private static string[]? TryAnnotationText(DataViewSchema.Column column, string kind, int count)
    {
        var annotation = column.Annotations.Schema.GetColumnOrNull(kind);
        if (annotation is not { Type: VectorDataViewType { ItemType: TextDataViewType } })
            return null;
        VBuffer<ReadOnlyMemory<char>> values = default;
        column.Annotations.GetValue(kind, ref values);
        var names = values.DenseValues().Select(v => v.ToString()).ToArray();
        return names.Length == count && names.Distinct().Count() == count ? names : null;
    }
}
