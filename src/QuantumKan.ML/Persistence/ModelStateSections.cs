using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace QuantumKan.ML.Persistence;

/// <summary>
/// Collects the named sections of one transformer's saved state. Each section becomes its own zip entry, framed as
/// <c>magic "QKSE" | u16 frame version | i64 length | payload | SHA-256(payload)</c>, so corruption and truncation are
/// caught and reported with the entry's name.
/// </summary>
public sealed class ModelStateWriter
{
    internal readonly List<(string Name, byte[] Payload)> Sections = [];

    /// <summary>Adds a section holding raw bytes.</summary>
    public void WriteBytes(string name, byte[] payload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(payload);
        if (Sections.Any(s => s.Name == name))
            throw new ArgumentException($"Section '{name}' was already written.", nameof(name));
        Sections.Add((name, payload));
    }

    /// <summary>Adds a section written through a stream (for instance TorchSharp's <c>module.save</c> or an optimizer state).</summary>
    public void Write(string name, Action<Stream> write)
    {
        using var ms = new MemoryStream();
        write(new Core.NonClosingStream(ms));
        WriteBytes(name, ms.ToArray());
    }

    /// <summary>Adds a section holding <paramref name="value"/> as UTF-8 JSON.</summary>
    public void WriteJson<T>(string name, T value) => WriteBytes(name, JsonSerializer.SerializeToUtf8Bytes(value, ModelStateJson.Options));
}

/// <summary>Reads back the sections written by <see cref="ModelStateWriter"/>; every failure names the zip entry.</summary>
public sealed class ModelStateReader
{
    private readonly Dictionary<string, byte[]> _sections;
    private readonly string _directory;

    internal ModelStateReader(string directory, string kind, int kindVersion, Dictionary<string, byte[]> sections)
    {
        _directory = directory;
        Kind = kind;
        KindVersion = kindVersion;
        _sections = sections;
    }

    /// <summary>The persistence kind of the transformer being loaded.</summary>
    public string Kind { get; }

    /// <summary>The version of that kind's state layout that wrote the model.</summary>
    public int KindVersion { get; }

    /// <summary>The section names present.</summary>
    public IReadOnlyCollection<string> SectionNames => _sections.Keys;

    /// <summary>The zip entry path of a section, for error messages.</summary>
    public string EntryPath(string name) => ModelPersistence.EntryPath(_directory, ModelPersistence.SectionEntryName(name));

    /// <summary>Whether a section exists.</summary>
    public bool Has(string name) => _sections.ContainsKey(name);

    /// <summary>The bytes of a section.</summary>
    public byte[] ReadBytes(string name) =>
        _sections.TryGetValue(name, out var bytes) ? bytes : throw Error(name, "section is missing");

    /// <summary>A read-only stream over a section.</summary>
    public Stream OpenRead(string name) => new MemoryStream(ReadBytes(name), writable: false);

    /// <summary>Reads a JSON section; a malformed one raises <see cref="ModelFormatException"/>.</summary>
    public T ReadJson<T>(string name)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(ReadBytes(name), ModelStateJson.Options)
                   ?? throw Error(name, "JSON section is null");
        }
        catch (JsonException ex)
        {
            throw Error(name, $"malformed JSON ({ex.Message})", ex);
        }
    }

    /// <summary>Builds a <see cref="ModelFormatException"/> for a section, for validation done by the loader itself.</summary>
    public ModelFormatException Error(string name, string reason, Exception? inner = null) => new(EntryPath(name), reason, inner);
}

internal static class ModelStateJson
{
    internal static readonly JsonSerializerOptions Options = new()
    {
        IncludeFields = true,
        WriteIndented = false,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}

/// <summary>The framing of one section entry.</summary>
internal static class SectionFrame
{
    private static readonly byte[] Magic = "QKSE"u8.ToArray();
    internal const ushort FrameVersion = 1;
    private const int HashLength = 32;

    /// <summary>Upper bound on one section, so a lying length field cannot trigger a huge allocation.</summary>
    internal const long MaxSectionBytes = 8L << 30;

    internal static void Write(BinaryWriter w, byte[] payload)
    {
        w.Write(Magic);
        w.Write(FrameVersion);
        w.Write((long)payload.Length);
        w.Write(payload);
        w.Write(SHA256.HashData(payload));
    }

    internal static byte[] Read(BinaryReader r, string entry)
    {
        var magic = ReadExactly(r, 4, entry, "header");
        if (!magic.AsSpan().SequenceEqual(Magic))
            throw new ModelFormatException(entry, $"not a QuantumKan section (magic '{Encoding.ASCII.GetString(magic)}')");
        var version = BitConverter.ToUInt16(ReadExactly(r, 2, entry, "header"));
        if (version > FrameVersion)
            throw new ModelFormatException(entry, $"section format version {version} is newer than this QuantumKan.ML supports ({FrameVersion})");
        if (version == 0)
            throw new ModelFormatException(entry, "section format version 0 is invalid");
        var length = BitConverter.ToInt64(ReadExactly(r, 8, entry, "header"));
        if (length < 0 || length > MaxSectionBytes)
            throw new ModelFormatException(entry, $"declared length {length} is out of range");
        var payload = ReadExactly(r, length, entry, "payload");
        var hash = ReadExactly(r, HashLength, entry, "checksum");
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(hash))
            throw new ModelFormatException(entry, "checksum mismatch: the entry is corrupted");
        return payload;
    }

    // Reads in bounded chunks: memory grows only with bytes actually present, never with a declared length.
    private static byte[] ReadExactly(BinaryReader r, long count, string entry, string part)
    {
        const int Chunk = 1 << 20;
        if (count <= Chunk)
        {
            var small = new byte[count];
            int got = ReadFully(r.BaseStream, small, entry);
            if (got != count)
                throw new ModelFormatException(entry, $"truncated {part}: expected {count} bytes, found {got}");
            return small;
        }
        using var ms = new MemoryStream();
        var buffer = new byte[Chunk];
        long remaining = count;
        while (remaining > 0)
        {
            int want = (int)Math.Min(Chunk, remaining);
            int got = ReadFully(r.BaseStream, buffer.AsSpan(0, want), entry);
            ms.Write(buffer, 0, got);
            remaining -= got;
            if (got < want)
                throw new ModelFormatException(entry, $"truncated {part}: expected {count} bytes, found {count - remaining}");
        }
        return ms.ToArray();
    }

    private static int ReadFully(Stream s, Span<byte> buffer, string entry)
    {
        int total = 0;
        try
        {
            while (total < buffer.Length)
            {
                int n = s.Read(buffer[total..]);
                if (n == 0)
                    break;
                total += n;
            }
        }
        catch (InvalidDataException ex)
        {
            throw new ModelFormatException(entry, $"corrupted compressed data ({ex.Message})", ex);
        }
        return total;
    }
}
