using System.Security.Cryptography;
using System.Text;

namespace QuantumKan.Training.Checkpoints;

/// <summary>
/// The checkpoint file format: named binary sections, each with its SHA-256, between a header and an end marker.
/// <code>
/// "QKANCKPT" | int32 version | int32 sectionCount | { string name | int64 length | byte[32] sha256 | bytes }* | "QKANEND!"
/// </code>
/// Little-endian; names are BinaryWriter strings. A truncated or altered file fails with
/// <see cref="CheckpointCorruptException"/>; a newer version fails with <see cref="CheckpointMismatchException"/>.
/// </summary>
internal static class CheckpointContainer
{
    public const int FormatVersion = 1;
    private static readonly byte[] Magic = "QKANCKPT"u8.ToArray();
    private static readonly byte[] EndMarker = "QKANEND!"u8.ToArray();
    private const long MaxSectionBytes = 1L << 34;

    public static void Write(Stream stream, IReadOnlyList<(string Name, byte[] Bytes)> sections)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(sections.Count);
        foreach (var (name, bytes) in sections)
        {
            writer.Write(name);
            writer.Write((long)bytes.Length);
            writer.Write(SHA256.HashData(bytes));
            writer.Write(bytes);
        }
        writer.Write(EndMarker);
        writer.Flush();
    }

    public static Dictionary<string, byte[]> Read(Stream stream, string source)
    {
        try
        {
            return ReadSections(stream, source);
        }
        catch (EndOfStreamException e)
        {
            throw new CheckpointCorruptException(source, "the file ends early (truncated write or copy).", e);
        }
    }

    private static Dictionary<string, byte[]> ReadSections(Stream stream, string source)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            throw new CheckpointCorruptException(source, "not a QuantumKan checkpoint (wrong magic bytes).");
        int version = reader.ReadInt32();
        if (version > FormatVersion || version < 1)
            throw new CheckpointMismatchException(source, $"format version {version}; this build reads versions 1..{FormatVersion}.");
        int count = reader.ReadInt32();
        if (count is < 0 or > 1024)
            throw new CheckpointCorruptException(source, $"implausible section count {count}.");
        var sections = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            long length = reader.ReadInt64();
            if (length < 0 || length > MaxSectionBytes)
                throw new CheckpointCorruptException(source, $"section '{name}' claims an implausible length {length}.");
            var expectedHash = ReadExactly(reader, 32);
            var bytes = ReadExactly(reader, checked((int)length));
            if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(expectedHash))
                throw new CheckpointCorruptException(source, $"section '{name}' fails its SHA-256 check.");
            if (!sections.TryAdd(name, bytes))
                throw new CheckpointCorruptException(source, $"section '{name}' appears twice.");
        }
        if (!ReadExactly(reader, EndMarker.Length).AsSpan().SequenceEqual(EndMarker))
            throw new CheckpointCorruptException(source, "the end marker is missing.");
        return sections;
    }

    private static byte[] ReadExactly(BinaryReader reader, int count)
    {
        var bytes = reader.ReadBytes(count);
        return bytes.Length == count ? bytes : throw new EndOfStreamException();
    }

    public static byte[] Require(Dictionary<string, byte[]> sections, string name, string source) =>
        sections.TryGetValue(name, out var bytes)
            ? bytes
            : throw new CheckpointCorruptException(source, $"the required section '{name}' is missing.");
}
