namespace QuantumKan.Data;

/// <summary>Options of <see cref="LabeledAudioCsvReader"/>.</summary>
public sealed record LabeledAudioCsvOptions
{
    /// <summary>The header name of the audio path column. Default "path".</summary>
    public string PathColumn { get; init; } = "path";

    /// <summary>The header name of the label list column. Default "labels".</summary>
    public string LabelsColumn { get; init; } = "labels";

    /// <summary>The header name of an optional split column (e.g. train/val/eval). Default "split".</summary>
    public string SplitColumn { get; init; } = "split";

    /// <summary>
    /// The values the split column may hold (compared case-insensitively after trimming); any other value, an empty one
    /// included, is an error naming the file and line, so that a typo never silently moves a row into another split.
    /// Null accepts any value. Default <see cref="StandardSplits"/>: train, val, eval, test.
    /// </summary>
    public IReadOnlyCollection<string>? Splits { get; init; } = StandardSplits;

    /// <summary>The split values accepted by default: train, val, eval and test.</summary>
    public static IReadOnlyList<string> StandardSplits { get; } = ["train", "val", "eval", "test"];

    /// <summary>The separator between labels inside the labels field. Default ',' (quote the field, as FSD50K does).</summary>
    public char LabelSeparator { get; init; } = ',';

    /// <summary>The vocabulary labels must come from; null derives it from the file (distinct labels, ordinal order). Default null.</summary>
    public LabelVocabulary? Vocabulary { get; init; }

    /// <summary>The folder relative paths resolve against; null means the CSV's own folder. Default null.</summary>
    public string? AudioRoot { get; init; }

    /// <summary>What to do about listed files that do not exist. Default <see cref="MissingAudioPolicy.Throw"/>.</summary>
    public MissingAudioPolicy MissingAudio { get; init; } = MissingAudioPolicy.Throw;

    /// <summary>Whether a row may have no labels (an all-zero label vector). Default false.</summary>
    public bool AllowEmptyLabels { get; init; }

    /// <summary>Whether columns other than path, labels and split are ignored rather than rejected. Default true.</summary>
    public bool AllowExtraColumns { get; init; } = true;
}

/// <summary>
/// Reads a user's own listing: a CSV with a header naming at least a path column and a labels column, e.g.
/// <c>path,labels</c> then <c>clips/dog1.wav,"Dog,Bark"</c>. Errors name the file and line.
/// </summary>
public static class LabeledAudioCsvReader
{
    /// <summary>Reads and validates a listing.</summary>
    /// <exception cref="FileNotFoundException">The CSV does not exist.</exception>
    /// <exception cref="AudioDatasetException">The CSV is malformed, names an unknown label, or audio is missing.</exception>
    public static LabeledAudioSet Read(string csvPath, LabeledAudioCsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(csvPath);
        options ??= new LabeledAudioCsvOptions();
        csvPath = Path.GetFullPath(csvPath);
        if (!File.Exists(csvPath))
            throw new FileNotFoundException($"The listing {csvPath} does not exist.", csvPath);
        string audioRoot = Path.GetFullPath(options.AudioRoot ?? Path.GetDirectoryName(csvPath)!);

        var rows = new List<(string Path, string Fname, string[] Labels, string Split, int Line)>();
        var pathLines = new Dictionary<string, int>(StringComparer.Ordinal);
        CsvHeader? header = null;
        foreach (var record in CsvRecordReader.ReadFile(csvPath))
        {
            if (header is null)
            {
                header = CsvHeader.Bind(csvPath, record, [options.PathColumn, options.LabelsColumn], [options.SplitColumn], options.AllowExtraColumns);
                continue;
            }
            header.RequireWidth(csvPath, record);
            int line = record.LineNumber;
            string rawPath = record.Fields[header.IndexOf(options.PathColumn)].Trim();
            if (rawPath.Length == 0)
                throw new MalformedCsvRowException(csvPath, line, $"the {options.PathColumn} field is empty.");
            string full = Path.GetFullPath(Path.Combine(audioRoot, rawPath));
            if (!pathLines.TryAdd(full, line))
                throw new MalformedCsvRowException(csvPath, line, $"'{rawPath}' already appeared on line {pathLines[full]}.");
            var labels = LabelListParser.Split(record.Fields[header.IndexOf(options.LabelsColumn)], options.LabelSeparator, csvPath, line, options.LabelsColumn);
            if (labels.Length == 0 && !options.AllowEmptyLabels)
                throw new EmptyLabelsException(csvPath, line, rawPath);
            int splitIndex = header.IndexOf(options.SplitColumn);
            string split = splitIndex < 0 ? "" : record.Fields[splitIndex].Trim().ToLowerInvariant();
            if (splitIndex >= 0 && options.Splits is { } allowed && !allowed.Any(a => string.Equals(a.Trim(), split, StringComparison.OrdinalIgnoreCase)))
                throw new MalformedCsvRowException(csvPath, line, split.Length == 0
                    ? $"the {options.SplitColumn} field is empty; expected one of {string.Join(", ", allowed)}."
                    : $"unknown {options.SplitColumn} '{record.Fields[splitIndex].Trim()}'; expected one of {string.Join(", ", allowed)}.");
            rows.Add((full, Path.GetFileNameWithoutExtension(full), labels, split, line));
        }
        if (header is null)
            throw new AudioDatasetException(csvPath, null, $"the file is empty; expected a header naming '{options.PathColumn}' and '{options.LabelsColumn}'.");

        var vocabulary = options.Vocabulary ?? DeriveVocabulary(csvPath, rows.Select(r => (r.Labels, r.Line)));
        var clips = rows.Select(r => new LabeledAudioClip(r.Path, r.Fname, LabelListParser.ToIndices(r.Labels, vocabulary, csvPath, r.Line), r.Split, r.Line)).ToList();
        return LabeledAudioSet.WithAudioCheck(csvPath, vocabulary, clips, options.MissingAudio);
    }

    private static LabelVocabulary DeriveVocabulary(string file, IEnumerable<(string[] Labels, int Line)> rows)
    {
        var firstLine = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (labels, line) in rows)
            foreach (var label in labels)
            {
                if (LabelVocabulary.InvalidLabelReason(label) is { } reason)
                    throw new MalformedCsvRowException(file, line, $"label '{label}' {reason}.");
                firstLine.TryAdd(label, line);
            }
        if (firstLine.Count == 0)
            throw new AudioDatasetException(file, null, "no row has a label, so no vocabulary can be derived; pass one in the options.");
        return new LabelVocabulary(firstLine.Keys);
    }
}
