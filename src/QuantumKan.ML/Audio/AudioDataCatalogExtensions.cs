using Microsoft.ML.Data;
using QuantumKan.Data;

// ML.NET's convention: catalog extensions live in Microsoft.ML, so `using Microsoft.ML;` finds them.
namespace Microsoft.ML;

/// <summary>
/// <c>mlContext.Data</c> loaders for labeled audio listings: FSD50K in its released layout and plain
/// <c>path,labels</c> CSVs. The result has the columns of <see cref="LabeledAudioColumns"/>; audio is not decoded here.
/// </summary>
public static class AudioDataCatalogExtensions
{
    /// <summary>Loads FSD50K clips (see <see cref="Fsd50kReader.Read"/>) as an IDataView.</summary>
    /// <param name="catalog">The context's data catalog (<c>mlContext.Data</c>).</param>
    /// <param name="root">The FSD50K root folder (holding FSD50K.ground_truth and the audio folders).</param>
    /// <param name="split">Which clips; flags combine. Default <see cref="Fsd50kSplit.Train"/>.</param>
    /// <param name="options">Missing-audio policy and mid checking; null throws on missing audio.</param>
    public static IDataView LoadFsd50k(this DataOperationsCatalog catalog, string root, Fsd50kSplit split = Fsd50kSplit.Train, Fsd50kLoadOptions? options = null) =>
        catalog.LoadFsd50k(root, split, options, out _);

    /// <summary>Loads FSD50K clips and also returns the parsed set (its vocabulary and any skipped missing files).</summary>
    /// <param name="catalog">The context's data catalog (<c>mlContext.Data</c>).</param>
    /// <param name="root">The FSD50K root folder.</param>
    /// <param name="split">Which clips; flags combine.</param>
    /// <param name="options">Missing-audio policy and mid checking; null throws on missing audio.</param>
    /// <param name="set">The parsed set.</param>
    public static IDataView LoadFsd50k(this DataOperationsCatalog catalog, string root, Fsd50kSplit split, Fsd50kLoadOptions? options, out LabeledAudioSet set)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        set = Fsd50kReader.Read(root, split, options);
        return catalog.LoadLabeledAudio(set);
    }

    /// <summary>Loads a <c>path,labels</c> CSV (see <see cref="LabeledAudioCsvReader.Read"/>) as an IDataView.</summary>
    /// <param name="catalog">The context's data catalog (<c>mlContext.Data</c>).</param>
    /// <param name="csvPath">The listing; relative audio paths resolve against its folder unless options say otherwise.</param>
    /// <param name="options">Column names, label separator, vocabulary and policies; null uses the defaults.</param>
    public static IDataView LoadLabeledAudioCsv(this DataOperationsCatalog catalog, string csvPath, LabeledAudioCsvOptions? options = null) =>
        catalog.LoadLabeledAudioCsv(csvPath, options, out _);

    /// <summary>Loads a <c>path,labels</c> CSV and also returns the parsed set (its vocabulary and any skipped files).</summary>
    /// <param name="catalog">The context's data catalog (<c>mlContext.Data</c>).</param>
    /// <param name="csvPath">The listing.</param>
    /// <param name="options">Column names, label separator, vocabulary and policies; null uses the defaults.</param>
    /// <param name="set">The parsed set.</param>
    public static IDataView LoadLabeledAudioCsv(this DataOperationsCatalog catalog, string csvPath, LabeledAudioCsvOptions? options, out LabeledAudioSet set)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        set = LabeledAudioCsvReader.Read(csvPath, options);
        return catalog.LoadLabeledAudio(set);
    }

    /// <summary>Turns a parsed set into an IDataView: Path, Fname, Label (multi-hot, slot names = labels), LabelNames, Split.</summary>
    /// <param name="catalog">The context's data catalog (<c>mlContext.Data</c>).</param>
    /// <param name="set">The set.</param>
    public static IDataView LoadLabeledAudio(this DataOperationsCatalog catalog, LabeledAudioSet set)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(set);
        var vocabulary = set.Vocabulary;
        var rows = new LabeledAudioRow[set.Clips.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            var clip = set.Clips[i];
            rows[i] = new LabeledAudioRow
            {
                Path = clip.Path,
                Fname = clip.Fname,
                Label = set.MultiHot(i),
                LabelNames = string.Join(",", clip.LabelIndices.Select(k => vocabulary.Labels[k])),
                Split = clip.Split,
            };
        }
        return catalog.LoadFromEnumerable(rows, SchemaFor(vocabulary));
    }

    private static SchemaDefinition SchemaFor(LabelVocabulary vocabulary)
    {
        var schema = SchemaDefinition.Create(typeof(LabeledAudioRow));
        var labels = schema[LabeledAudioColumns.Label];
        labels.ColumnType = new VectorDataViewType(NumberDataViewType.Single, vocabulary.Count);
        var slotNames = new VBuffer<ReadOnlyMemory<char>>(vocabulary.Count, vocabulary.Labels.Select(l => l.AsMemory()).ToArray());
        // "SlotNames" is ML.NET's annotation kind for slot names (AnnotationUtils.Kinds is internal); GetSlotNames reads it.
        labels.AddAnnotation("SlotNames", slotNames, new VectorDataViewType(TextDataViewType.Instance, vocabulary.Count));
        return schema;
    }
}
