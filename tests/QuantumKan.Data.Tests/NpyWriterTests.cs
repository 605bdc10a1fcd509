using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using QuantumKan.Data;

namespace QuantumKan.Data.Tests;

public class NpyWriterTests
{
    /// <summary>Parses an .npy v1.0 float32 file the way numpy's format module does.</summary>
    private static (int[] Shape, float[] Values, int HeaderEnd) Parse(byte[] file)
    {
        Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], file[..8]);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8));
        string header = Encoding.ASCII.GetString(file, 10, headerLength);
        Assert.EndsWith("\n", header);
        var m = Regex.Match(header, @"^\{'descr': '<f4', 'fortran_order': False, 'shape': \(([0-9, ]*)\), \} *\n$");
        Assert.True(m.Success, header);
        var shape = m.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        int start = 10 + headerLength;
        var values = new float[(file.Length - start) / 4];
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(start + 4 * i));
        Assert.Equal(file.Length, start + 4 * values.Length);
        return (shape, values, start);
    }

    [Theory]
    [InlineData(new int[0], "()")]
    [InlineData(new[] { 5 }, "(5,)")]
    [InlineData(new[] { 2, 3 }, "(2, 3)")]
    [InlineData(new[] { 2, 3, 4 }, "(2, 3, 4)")]
    [InlineData(new[] { 0, 7 }, "(0, 7)")]
    public void Write_HeaderHoldsShapeAsPythonTuple_AndDataIsAlignedTo64(int[] shape, string tuple)
    {
        int count = shape.Aggregate(1, (a, d) => a * d);
        var values = Enumerable.Range(0, count).Select(i => i * 0.5f - 3).ToArray();
        using var ms = new MemoryStream();
        NpyWriter.Write(ms, values, shape);
        var bytes = ms.ToArray();
        var (parsed, back, headerEnd) = Parse(bytes);
        Assert.Equal(shape, parsed);
        Assert.Equal(values, back);
        Assert.Equal(0, headerEnd % 64);
        Assert.Contains($"'shape': {tuple}", Encoding.ASCII.GetString(bytes, 10, headerEnd - 10));
    }

    [Fact]
    public void Write_ToFile_KeepsSpecialValuesBitExact()
    {
        using var temp = new TempFolder("qkan-npy-");
        string path = temp.Combine("values.npy");
        float[] values = [float.NaN, float.PositiveInfinity, -0f, float.Epsilon, 1e38f, -1.5f];
        NpyWriter.Write(path, values, 3, 2);
        var (shape, back, _) = Parse(File.ReadAllBytes(path));
        Assert.Equal([3, 2], shape);
        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), back.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Write_RejectsShapesThatDoNotMatchTheValues()
    {
        var ex = Assert.Throws<ArgumentException>(() => NpyWriter.Write(new MemoryStream(), new float[5], 2, 3));
        Assert.Contains("holds 6 values but 5", ex.Message);
        Assert.Throws<ArgumentException>(() => NpyWriter.Write(new MemoryStream(), new float[0], -1, 0));
    }
}
