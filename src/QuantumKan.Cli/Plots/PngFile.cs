using QuantumKan.Core;

namespace QuantumKan.Cli.Plots;

/// <summary>Writes rendered charts atomically, so a reader never sees half a PNG.</summary>
internal static class PngFile
{
    public static void Write(string path, ScottPlot.Image image)
    {
        var bytes = image.GetImageBytes(ScottPlot.ImageFormat.Png);
        AtomicFile.Write(path, s => s.Write(bytes)); // creates the folder
    }
}
