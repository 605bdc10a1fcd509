namespace QuantumKan.Data;

/// <summary>A data set's files are not as expected. The message names the file, and the line where one applies.</summary>
public class AudioDatasetException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AudioDatasetException(string filePath, int? lineNumber, string message, Exception? inner = null)
        : base(Describe(filePath, lineNumber, message), inner)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
    }

    /// <summary>The file at fault.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line where the bad record starts, when the fault is in one record.</summary>
    public int? LineNumber { get; }

    private static string Describe(string file, int? line, string message) =>
        line is { } l ? $"{file}, line {l}: {message}" : $"{file}: {message}";
}

/// <summary>A CSV record is malformed (an unclosed quote, a wrong number of fields, an empty or invalid value).</summary>
public class MalformedCsvRowException(string filePath, int lineNumber, string message)
    : AudioDatasetException(filePath, lineNumber, message);

/// <summary>
/// A listing row has no labels and empty label sets were not allowed
/// (<see cref="LabeledAudioCsvOptions.AllowEmptyLabels"/>). The message ends with <see cref="Remedy"/>.
/// </summary>
public sealed class EmptyLabelsException(string filePath, int lineNumber, string clip, string remedy = EmptyLabelsException.LibraryRemedy)
    : MalformedCsvRowException(filePath, lineNumber, $"'{clip}' has no labels ({remedy}).")
{
    /// <summary>The remedy the library names: its option.</summary>
    public const string LibraryRemedy = "set AllowEmptyLabels to permit it";

    /// <summary>The clip path as listed.</summary>
    public string Clip { get; } = clip;

    /// <summary>What to change to permit such rows, in the caller's terms.</summary>
    public string Remedy { get; } = remedy;

    /// <summary>The same error with the remedy phrased for another front end (e.g. a command-line flag).</summary>
    public EmptyLabelsException WithRemedy(string remedy) => new(FilePath, LineNumber!.Value, Clip, remedy);
}

/// <summary>A CSV header lacks required columns or has columns that are not allowed.</summary>
public sealed class CsvColumnsException(string filePath, IReadOnlyList<string> missing, IReadOnlyList<string> extra, IReadOnlyList<string> found)
    : AudioDatasetException(filePath, 1, Describe(missing, extra, found))
{
    /// <summary>Required columns the header lacks.</summary>
    public IReadOnlyList<string> MissingColumns { get; } = missing;

    /// <summary>Columns the header has that are not allowed.</summary>
    public IReadOnlyList<string> ExtraColumns { get; } = extra;

    private static string Describe(IReadOnlyList<string> missing, IReadOnlyList<string> extra, IReadOnlyList<string> found)
    {
        var parts = new List<string>();
        if (missing.Count > 0)
            parts.Add($"missing column(s) {Quote(missing)}");
        if (extra.Count > 0)
            parts.Add($"unexpected column(s) {Quote(extra)}");
        return $"{string.Join("; ", parts)}. The header has {Quote(found)}.";
    }

    private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}

/// <summary>A record names a label that is not in the vocabulary.</summary>
public sealed class UnknownLabelException(string filePath, int lineNumber, string label, int vocabularySize)
    : AudioDatasetException(filePath, lineNumber, $"label '{label}' is not in the vocabulary ({vocabularySize} labels).")
{
    /// <summary>The unknown label.</summary>
    public string Label { get; } = label;
}

/// <summary>Audio files that the data set lists do not exist.</summary>
public sealed class MissingAudioFilesException(string listingFile, IReadOnlyList<string> missing, string remedy = MissingAudioFilesException.LibraryRemedy)
    : AudioDatasetException(listingFile, null, Describe(missing, remedy))
{
    private const int Shown = 5;

    /// <summary>The remedy the library names: its option.</summary>
    public const string LibraryRemedy = "Pass MissingAudio = MissingAudioPolicy.Skip to load the rest and report the missing ones.";

    /// <summary>Every missing path, in listing order.</summary>
    public IReadOnlyList<string> MissingPaths { get; } = missing;

    /// <summary>The sentence that ends the message: what to change to go on without the missing files.</summary>
    public string Remedy { get; } = remedy;

    /// <summary>The same error with the remedy phrased for another front end (e.g. a command-line flag).</summary>
    public MissingAudioFilesException WithRemedy(string remedy) => new(FilePath, MissingPaths, remedy);

    private static string Describe(IReadOnlyList<string> missing, string remedy)
    {
        string shown = string.Join(", ", missing.Take(Shown));
        string more = missing.Count > Shown ? $" and {missing.Count - Shown} more" : "";
        return $"{missing.Count} listed audio file(s) do not exist: {shown}{more}. {remedy}";
    }
}
