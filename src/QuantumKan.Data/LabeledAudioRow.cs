namespace QuantumKan.Data;

/// <summary>
/// One row of the IDataView the audio listings load into; also usable with <c>mlContext.Data.CreateEnumerable</c>.
/// </summary>
public sealed class LabeledAudioRow
{
    /// <summary>The absolute path of the audio file.</summary>
    public string Path { get; set; } = "";

    /// <summary>The clip's name (FSD50K fname, or the file name without extension).</summary>
    public string Fname { get; set; } = "";

    /// <summary>
    /// Multi-hot labels: one float per vocabulary entry, 1 where the clip has the label; slot names are the labels.
    /// Named "Label", ML.NET's default label column, so trainers and Evaluate find it without a column name.
    /// </summary>
    public float[] Label { get; set; } = [];

    /// <summary>The clip's label names joined with commas, in vocabulary order.</summary>
    public string LabelNames { get; set; } = "";

    /// <summary>"train", "val" or "eval" for FSD50K; a plain CSV's split column, or "".</summary>
    public string Split { get; set; } = "";
}

/// <summary>The column names of the loaded audio listings.</summary>
public static class LabeledAudioColumns
{
    /// <summary>Text: the absolute audio path.</summary>
    public const string Path = nameof(LabeledAudioRow.Path);

    /// <summary>Text: the clip's name.</summary>
    public const string Fname = nameof(LabeledAudioRow.Fname);

    /// <summary>Vector&lt;Single, vocabulary size&gt;: multi-hot labels, with the label names as slot names ("Label").</summary>
    public const string Label = nameof(LabeledAudioRow.Label);

    /// <summary>Text: comma-joined label names (map it to a key for a single-label multiclass task).</summary>
    public const string LabelNames = nameof(LabeledAudioRow.LabelNames);

    /// <summary>Text: the split.</summary>
    public const string Split = nameof(LabeledAudioRow.Split);
}
