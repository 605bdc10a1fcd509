namespace QuantumKan.ML.Persistence;

/// <summary>
/// A model zip (or one entry of it) is corrupted, truncated, of an unsupported format version, or was written by
/// something else. <see cref="Entry"/> names the zip entry; <see cref="FilePath"/> the zip, where known (always, from
/// <see cref="Microsoft.ML.QuantumKanRegistration.LoadQuantumKanModel"/>).
/// </summary>
public sealed class ModelFormatException : FormatException
{
    /// <summary>A problem with one entry, found while its transformer loads (the zip's path is not known there).</summary>
    public ModelFormatException(string entry, string reason, Exception? inner = null)
        : base($"Model entry '{entry}': {reason}", inner)
    {
        Entry = entry;
        Reason = reason;
    }

    private ModelFormatException(string filePath, string entry, string reason, string message, Exception? inner)
        : base(message, inner)
    {
        FilePath = filePath;
        Entry = entry;
        Reason = reason;
    }

    /// <summary>
    /// A problem with the file as a whole; the message is "<paramref name="filePath"/> <paramref name="problem"/>", e.g.
    /// "/m/model.zip is truncated or corrupt (not a valid zip archive)". <see cref="Entry"/> is empty.
    /// </summary>
    public static ModelFormatException ForFile(string filePath, string problem, Exception? inner = null) =>
        new(filePath, "", problem, $"{filePath} {problem}", inner);

    /// <summary>
    /// A problem with one entry of a named zip: "<paramref name="filePath"/> is not a valid QuantumKan model zip:
    /// entry '<paramref name="entry"/>' <paramref name="reason"/>".
    /// </summary>
    public static ModelFormatException ForEntry(string filePath, string entry, string reason, Exception? inner = null) =>
        new(filePath, entry, reason,
            $"{filePath} is not a valid QuantumKan model zip: entry '{entry}'{(reason.StartsWith("is ", StringComparison.Ordinal) ? " " : ": ")}{reason}", inner);

    /// <summary>This exception with the zip it came from named in the message (itself when it already names one).</summary>
    public ModelFormatException InFile(string filePath) =>
        FilePath is not null ? this
        : Entry.Length == 0 ? ForFile(filePath, Reason, InnerException)
        : ForEntry(filePath, Entry, Reason, InnerException ?? this);

    /// <summary>The model zip, when known.</summary>
    public string? FilePath { get; }

    /// <summary>The zip entry path, e.g. <c>TransformerChain/Transform_001/Weights.bin</c>; empty when the whole file is at fault.</summary>
    public string Entry { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }
}
