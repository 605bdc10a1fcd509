namespace QuantumKan.Audio;

/// <summary>
/// An audio file cannot be decoded: it is not a WAV file, uses an unsupported encoding, or its header contradicts its
/// contents. <see cref="FileName"/> names the source and <see cref="Reason"/> says what is wrong with it.
/// </summary>
public sealed class AudioFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="fileName">The file path, or a description of the source such as <c>&lt;stream&gt;</c>.</param>
    /// <param name="reason">What is wrong, in one sentence.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public AudioFormatException(string fileName, string reason, Exception? inner = null)
        : base($"Audio file '{fileName}': {reason}", inner)
    {
        FileName = fileName;
        Reason = reason;
    }

    /// <summary>The file path, or a description of the source when it was not a file.</summary>
    public string FileName { get; }

    /// <summary>What is wrong with the file.</summary>
    public string Reason { get; }
}
