using System.Globalization;
using System.Text;

namespace QuantumKan.Data;

/// <summary>
/// The ordered class list of a data set: label names (FSD50K style, e.g. <c>Bass_guitar</c>) with optional ontology
/// ids (<c>/m/…</c>). A label's position is its index in multi-hot vectors and score columns. Immutable.
/// </summary>
public sealed class LabelVocabulary
{
    private readonly string[] _labels;
    private readonly string?[] _mids;
    private readonly Dictionary<string, int> _index;

    /// <summary>Creates a vocabulary from label names in index order, with optional ids (same length, or null).</summary>
    /// <exception cref="ArgumentException">A label is empty, padded with spaces, holds a comma or a line break, or repeats.</exception>
    public LabelVocabulary(IEnumerable<string> labels, IEnumerable<string?>? mids = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        _labels = labels.ToArray();
        _mids = mids?.ToArray() ?? new string?[_labels.Length];
        if (_mids.Length != _labels.Length)
            throw new ArgumentException($"Got {_labels.Length} labels but {_mids.Length} mids.", nameof(mids));
        if (_labels.Length == 0)
            throw new ArgumentException("A vocabulary needs at least one label.", nameof(labels));
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _labels.Length; i++)
        {
            if (InvalidLabelReason(_labels[i]) is { } reason)
                throw new ArgumentException($"Label {i} ('{_labels[i]}') {reason}.", nameof(labels));
            if (!_index.TryAdd(_labels[i], i))
                throw new ArgumentException($"Label '{_labels[i]}' appears twice (indices {_index[_labels[i]]} and {i}).", nameof(labels));
        }
    }

    /// <summary>The number of labels.</summary>
    public int Count => _labels.Length;

    /// <summary>Label names in index order.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Ontology ids in index order (null entries where unknown).</summary>
    public IReadOnlyList<string?> Mids => _mids;

    /// <summary>The index of a label, or −1 when it is not in the vocabulary (ordinal, case-sensitive).</summary>
    public int IndexOf(string label) => _index.TryGetValue(label, out int i) ? i : -1;

    /// <summary>
    /// Reads FSD50K's <c>vocabulary.csv</c>: rows <c>index,label,mid</c> with no header (a header row
    /// <c>index,label,mid</c> is tolerated). Indices must cover 0..n−1 once each.
    /// </summary>
    /// <exception cref="AudioDatasetException">A row is malformed or an index, label or mid repeats (the message names the line).</exception>
    public static LabelVocabulary ReadFsd50kCsv(string path)
    {
        var byIndex = new SortedDictionary<int, (string Label, string Mid, int Line)>();
        var labelLines = new Dictionary<string, int>(StringComparer.Ordinal);
        var midLines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in CsvRecordReader.ReadFile(path))
        {
            var f = record.Fields;
            if (record.LineNumber == 1 && f.Count == 3 && f[0] == "index" && f[1] == "label" && f[2] == "mid")
                continue;
            if (f.Count != 3)
                throw new MalformedCsvRowException(path, record.LineNumber, $"expected 3 fields (index,label,mid), got {f.Count}.");
            if (!int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                throw new MalformedCsvRowException(path, record.LineNumber, $"index '{f[0]}' is not a non-negative integer.");
            if (InvalidLabelReason(f[1]) is { } reason)
                throw new MalformedCsvRowException(path, record.LineNumber, $"label '{f[1]}' {reason}.");
            if (f[2].Length == 0)
                throw new MalformedCsvRowException(path, record.LineNumber, "the mid is empty.");
            if (byIndex.TryGetValue(index, out var first))
                throw new MalformedCsvRowException(path, record.LineNumber, $"index {index} already appeared on line {first.Line}.");
            if (!labelLines.TryAdd(f[1], record.LineNumber))
                throw new MalformedCsvRowException(path, record.LineNumber, $"label '{f[1]}' already appeared on line {labelLines[f[1]]}.");
            if (!midLines.TryAdd(f[2], record.LineNumber))
                throw new MalformedCsvRowException(path, record.LineNumber, $"mid '{f[2]}' already appeared on line {midLines[f[2]]}.");
            byIndex[index] = (f[1], f[2], record.LineNumber);
        }
        if (byIndex.Count == 0)
            throw new AudioDatasetException(path, null, "the vocabulary is empty.");
        int expected = 0;
        foreach (var (index, entry) in byIndex)
        {
            if (index != expected)
                throw new MalformedCsvRowException(path, entry.Line, $"index {index} leaves a gap: indices must be 0..{byIndex.Count - 1} (index {expected} is missing).");
            expected++;
        }
        return new LabelVocabulary(byIndex.Values.Select(v => v.Label), byIndex.Values.Select(v => (string?)v.Mid));
    }

    /// <summary>Writes FSD50K's <c>vocabulary.csv</c> (index,label,mid, no header) atomically. Every label needs a mid.</summary>
    public void WriteFsd50kCsv(string path)
    {
        if (_mids.Any(m => string.IsNullOrEmpty(m)))
            throw new InvalidOperationException("Every label needs a mid to be written as an FSD50K vocabulary.");
        var text = new StringBuilder();
        for (int i = 0; i < _labels.Length; i++)
            text.Append(i.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(CsvRecordReader.Escape(_labels[i])).Append(',')
                .Append(CsvRecordReader.Escape(_mids[i]!)).Append('\n');
        QuantumKan.Core.AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>Why a string cannot be a label, or null when it can.</summary>
    internal static string? InvalidLabelReason(string label)
    {
        if (string.IsNullOrEmpty(label))
            return "is empty";
        if (label.Trim().Length != label.Length)
            return "starts or ends with white space";
        // Label lists are joined with commas (FSD50K's convention), so a comma would split a label in two.
        if (label.AsSpan().IndexOfAny(",\r\n") >= 0)
            return "holds a comma or a line break";
        return null;
    }
}
