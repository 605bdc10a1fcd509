using QuantumKan.Core;

namespace QuantumKan.Cli.Plots;

/// <summary>Writes rendered charts atomically, so a reader never sees half a PNG.</summary>
internal static class PngFile
{
    public static void Write(string path, ScottPlot.Image image)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var bytes = image.GetImageBytes(ScottPlot.ImageFormat.Png);
        AtomicFile.Write(full, s => s.Write(bytes));
    }
}
