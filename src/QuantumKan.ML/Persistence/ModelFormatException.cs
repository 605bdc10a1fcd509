namespace QuantumKan.ML.Persistence;

/// <summary>
/// A model zip (or one entry of it) is corrupted, truncated, of an unsupported format version, or was written by
/// something else. <see cref="Entry"/> names the zip entry.
/// </summary>
public sealed class ModelFormatException : FormatException
{
    public ModelFormatException(string entry, string reason, Exception? inner = null)
        : base($"Model entry '{entry}': {reason}", inner)
    {
        Entry = entry;
        Reason = reason;
    }

    /// <summary>The zip entry path, e.g. <c>TransformerChain/Transform_001/Weights.bin</c>.</summary>
    public string Entry { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }
}
