using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace QuantumKan.Cli.Tests;

/// <summary>Reads a little-endian float32 C-order .npy file the way numpy.load does, checking its header.</summary>
internal sealed record NpyFile(int[] Shape, float[] Values)
{
    public static NpyFile Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes[0] == 0x93 && bytes.AsSpan(1, 5).SequenceEqual("NUMPY"u8), "not an .npy file");
        Assert.Equal(1, bytes[6]); // format version 1.0
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64); // numpy aligns the data to 64 bytes
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains("'descr': '<f4'", header);
        Assert.Contains("'fortran_order': False", header);
        var shapeText = Regex.Match(header, @"'shape': \(([^)]*)\)").Groups[1].Value;
        var shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        var data = bytes.AsSpan(10 + headerLength);
        var values = new float[data.Length / 4];
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]);
        Assert.Equal(shape.Aggregate(1L, (a, d) => a * d), values.LongLength);
        return new NpyFile(shape, values);
    }
}
