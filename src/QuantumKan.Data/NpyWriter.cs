using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace QuantumKan.Data;

/// <summary>
/// Writes NumPy <c>.npy</c> files (format version 1.0, little-endian float32, C order) so features can be inspected
/// with <c>numpy.load</c>. Written by hand because no .NET NumPy writer is served here; the format is a 10-byte
/// preamble, a Python-literal header padded to a 64-byte boundary, then the raw values.
/// </summary>
public static class NpyWriter
{
    private const int Alignment = 64; // numpy pads headers to 64 bytes (the spec asks for at least 16)

    /// <summary>Writes an array to a file atomically.</summary>
    /// <param name="path">Destination, conventionally ending in <c>.npy</c>.</param>
    /// <param name="values">The values in C (row-major) order.</param>
    /// <param name="shape">The array's shape; its product must equal the number of values. Empty for a scalar.</param>
    public static void Write(string path, ReadOnlySpan<float> values, params ReadOnlySpan<int> shape)
    {
        var header = Header(values.Length, shape);
        var data = values.ToArray();
        QuantumKan.Core.AtomicFile.Write(path, s =>
        {
            s.Write(header);
            WriteValues(s, data);
        });
    }

    /// <summary>Writes an array to a stream (left open).</summary>
    /// <param name="stream">Destination.</param>
    /// <param name="values">The values in C (row-major) order.</param>
    /// <param name="shape">The array's shape; its product must equal the number of values. Empty for a scalar.</param>
    public static void Write(Stream stream, ReadOnlySpan<float> values, params ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Header(values.Length, shape));
        WriteValues(stream, values);
    }

    /// <summary>The preamble and padded header of a float32 array of this shape.</summary>
    internal static byte[] Header(int count, ReadOnlySpan<int> shape)
    {
        long product = 1;
        foreach (int d in shape)
        {
            if (d < 0)
                throw new ArgumentException($"Shape ({ShapeText(shape)}) has a negative dimension.", nameof(shape));
            product *= d;
        }
        if (product != count)
            throw new ArgumentException($"Shape ({ShapeText(shape)}) holds {product} values but {count} were given.", nameof(shape));

        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({ShapeText(shape)}), }}";
        int unpadded = 10 + dict.Length + 1; // preamble + dict + the closing newline
        int headerLength = dict.Length + 1 + (Alignment - unpadded % Alignment) % Alignment;
        if (headerLength > ushort.MaxValue)
            throw new ArgumentException("The shape is too long for an .npy version 1.0 header.", nameof(shape));

        var bytes = new byte[10 + headerLength];
        bytes[0] = 0x93;
        "NUMPY"u8.CopyTo(bytes.AsSpan(1));
        bytes[6] = 1; // major version
        bytes[7] = 0; // minor version
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        Encoding.ASCII.GetBytes(dict, bytes.AsSpan(10));
        bytes.AsSpan(10 + dict.Length, headerLength - dict.Length - 1).Fill((byte)' ');
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    private static string ShapeText(ReadOnlySpan<int> shape)
    {
        // A Python tuple: "()" content empty, "3," for one element, "2, 3" otherwise.
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++)
            parts[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        return shape.Length == 1 ? parts[0] + "," : string.Join(", ", parts);
    }

    private static void WriteValues(Stream stream, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        Span<byte> four = stackalloc byte[4];
        foreach (float v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(four, v);
            stream.Write(four);
        }
    }
}
