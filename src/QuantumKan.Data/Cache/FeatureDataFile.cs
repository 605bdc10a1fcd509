using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace QuantumKan.Data.Cache;

/// <summary>
/// The cache's float32 data file, <c>features-&lt;id&gt;.f32</c>: a 64-byte header (magic, version, the id the index
/// names) then the patches of every entry, little-endian, back to back. New entries are appended; the index says
/// how much of the file is valid.
/// </summary>
internal static class FeatureDataFile
{
    public const int HeaderBytes = 64;
    private static ReadOnlySpan<byte> Magic => "QKFEAT\0\0"u8;

    public static string PathIn(string directory, Guid id) => Path.Combine(directory, $"features-{id:N}.f32");

    /// <summary>Whether the file exists, carries the header of <paramref name="id"/>, and is at least <paramref name="length"/> bytes long.</summary>
    public static string? Problem(string path, Guid id, long length)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
            return "its data file is missing";
        if (info.Length < HeaderBytes)
            return "its data file is truncated";
        Span<byte> header = stackalloc byte[HeaderBytes];
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            fs.ReadExactly(header);
        if (!header[..8].SequenceEqual(Magic) || BinaryPrimitives.ReadInt32LittleEndian(header[8..]) != FeatureCacheIndex.CurrentFormatVersion)
            return "its data file has a foreign header";
        if (new Guid(header.Slice(16, 16)) != id)
            return "its data file belongs to another index";
        return info.Length < length ? "its data file is shorter than its index says" : null;
    }

    /// <summary>Opens the file for appending at <paramref name="validLength"/>, creating it with its header when new.</summary>
    public static FileStream OpenForAppend(string path, Guid id, long validLength)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("The feature cache stores little-endian float32 and needs a little-endian machine.");
        var fs = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 20);
        if (fs.Length < HeaderBytes)
        {
            Span<byte> header = stackalloc byte[HeaderBytes];
            header.Clear();
            Magic.CopyTo(header);
            BinaryPrimitives.WriteInt32LittleEndian(header[8..], FeatureCacheIndex.CurrentFormatVersion);
            id.TryWriteBytes(header.Slice(16, 16));
            fs.SetLength(0);
            fs.Write(header);
            validLength = HeaderBytes;
        }
        fs.SetLength(validLength); // drops debris an interrupted build appended after the last saved index
        fs.Position = validLength;
        return fs;
    }

    public static ReadOnlySpan<byte> Bytes(float[] values) => MemoryMarshal.AsBytes(values.AsSpan());

    /// <summary>The stored bytes of <paramref name="values"/>: float32 as they are, or converted to float16.</summary>
    public static byte[] Bytes(float[] values, int elementBytes)
    {
        if (elementBytes == sizeof(float))
            return Bytes(values).ToArray();
        var halves = new Half[values.Length];
        for (int i = 0; i < values.Length; i++)
            halves[i] = (Half)values[i];
        return MemoryMarshal.AsBytes(halves.AsSpan()).ToArray();
    }

    public static string Sha256(ReadOnlySpan<byte> bytes) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes).AsSpan(0, 16));
}
