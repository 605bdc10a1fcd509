using System.Globalization;
using System.Text;

namespace QuantumKan.Data;

/// <summary>
/// Writes per-clip class scores as a CSV: a header <c>fname,&lt;label 1&gt;,…,&lt;label C&gt;</c> (FSD50K's
/// submission layout, one score column per class named by its label), then one row per clip. Scores are written in
/// round-trip form ("R"), so reading the file back gives the exact float32 values.
/// </summary>
public static class PredictionsCsvWriter
{
    /// <summary>Writes the file atomically.</summary>
    /// <param name="path">Destination.</param>
    /// <param name="classNames">The score columns' names, in score order.</param>
    /// <param name="fnames">One name per clip (e.g. FSD50K's fname).</param>
    /// <param name="scores">Row-major scores, <c>[clips, classes]</c>.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static void Write(string path, IReadOnlyList<string> classNames, IReadOnlyList<string> fnames, ReadOnlySpan<float> scores)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(fnames);
        if (classNames.Count == 0)
            throw new ArgumentException("At least one class is needed.", nameof(classNames));
        if (scores.Length != (long)fnames.Count * classNames.Count)
            throw new ArgumentException($"{scores.Length} scores do not fill {fnames.Count} rows of {classNames.Count} classes.", nameof(scores));
        var text = new StringBuilder();
        text.Append("fname");
        foreach (var name in classNames)
            text.Append(',').Append(CsvRecordReader.Escape(name));
        text.Append('\n');
        for (int row = 0; row < fnames.Count; row++)
        {
            text.Append(CsvRecordReader.Escape(fnames[row]));
            foreach (var score in scores.Slice(row * classNames.Count, classNames.Count))
                text.Append(',').Append(score.ToString("R", CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        QuantumKan.Core.AtomicFile.WriteAllText(path, text.ToString());
    }
}
