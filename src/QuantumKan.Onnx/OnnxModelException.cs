namespace QuantumKan.Onnx;

/// <summary>
/// A file given as an exported QuantumKan ONNX model cannot serve as one: it is not ONNX at all, it is an ONNX graph
/// from elsewhere (other inputs or outputs, no QuantumKan metadata), or it was exported for another audio front end
/// than the one it is used with. The message starts with the file's path and says what is wrong.
/// </summary>
public sealed class OnnxModelException : FormatException
{
    /// <summary>Creates the exception; the message is "<paramref name="filePath"/> <paramref name="problem"/>".</summary>
    public OnnxModelException(string filePath, string problem, Exception? inner = null) : base($"{filePath} {problem}", inner)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The model file.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
