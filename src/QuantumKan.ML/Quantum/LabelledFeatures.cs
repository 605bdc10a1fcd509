using Microsoft.ML;
using Microsoft.ML.Data;

namespace QuantumKan.ML.Quantum;

/// <summary>Features and label sets of a data view, read once into memory for training (row-major, float32).</summary>
internal sealed class LabelledFeatures
{
    private LabelledFeatures(float[] features, int width, List<int[]> labels, int classCount)
    {
        Features = features;
        Width = width;
        Labels = labels;
        ClassCount = classCount;
    }

    /// <summary>Row-major features, Rows × Width.</summary>
    public float[] Features { get; }

    public int Width { get; }

    /// <summary>Each row's 0-based classes, non-empty.</summary>
    public List<int[]> Labels { get; }

    public int ClassCount { get; }

    public int Rows => Labels.Count;

    /// <summary>Reads and validates every row; bad rows raise <see cref="InvalidRowException"/> naming column and row.</summary>
    public static LabelledFeatures Read(IDataView data, FeatureColumn features, LabelColumn labels)
    {
        var values = ReadRows(data, features, labels.Column, labels.CreateReader, out var sets);
        return new LabelledFeatures(values, features.Size, sets, labels.ClassCount);
    }

    /// <summary>
    /// Reads every row's features (validated: size, finiteness) and label, in one cursor pass; the one row-reading
    /// loop shared by the estimators that train on in-memory data. <paramref name="checkCancelled"/> runs before each
    /// row: the upstream transforms (audio decoding, log-mel) do their work row by row inside this loop, so a cancel
    /// lands within one clip's featurization instead of after the whole pass.
    /// </summary>
    public static float[] ReadRows<TLabel>(IDataView data, FeatureColumn features, DataViewSchema.Column labelColumn,
        Func<DataViewRow, Func<TLabel>> createLabelReader, out List<TLabel> labels, Action? checkCancelled = null)
    {
        var values = new List<float>();
        labels = [];
        using var cursor = data.GetRowCursor([features.Column, labelColumn]);
        var readFeatures = features.CreateReader(cursor);
        var readLabel = createLabelReader(cursor);
        var row = new float[features.Size];
        while (true)
        {
            checkCancelled?.Invoke();
            if (!cursor.MoveNext())
                break;
            readFeatures.Read(row);
            values.AddRange(row);
            labels.Add(readLabel());
        }
        return values.ToArray();
    }

    public float[] MultiHot()
    {
        var hot = new float[(long)Rows * ClassCount];
        for (int i = 0; i < Rows; i++)
            foreach (var c in Labels[i])
                hot[(long)i * ClassCount + c] = 1f;
        return hot;
    }
}
