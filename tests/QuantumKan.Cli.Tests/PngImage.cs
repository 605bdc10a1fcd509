using System.Buffers.Binary;

namespace QuantumKan.Cli.Tests;

/// <summary>Checks a PNG's signature and reads its size from the IHDR chunk.</summary>
internal static class PngImage
{
    public static (int Width, int Height) Size(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 24 && bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10 }), $"{path} is not a PNG");
        Assert.True(bytes.AsSpan(12, 4).SequenceEqual("IHDR"u8), "the first chunk is not IHDR");
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
