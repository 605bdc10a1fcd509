using System.Text.Json;

namespace QuantumKan.Data.Cache;

/// <summary>One cached clip: its source file's identity when featurized, and where its patches lie in the data file.</summary>
internal sealed class FeatureCacheEntry
{
    /// <summary>The absolute source path.</summary>
    public string Path { get; set; } = "";

    /// <summary>The source file's size in bytes when featurized.</summary>
    public long Size { get; set; }

    /// <summary>The source file's last write time (UTC ticks) when featurized.</summary>
    public long ModifiedTicks { get; set; }

    /// <summary>Byte offset of the first patch in the data file.</summary>
    public long Offset { get; set; }

    /// <summary>Number of patches.</summary>
    public int Patches { get; set; }

    /// <summary>Hex SHA-256 of the entry's bytes (its first 16 bytes).</summary>
    public string Sha256 { get; set; } = "";
}

/// <summary>
/// The cache's index (<c>index.json</c>): the featurizer fingerprint, the patch shape, which data file holds the
/// features and how much of it is valid, and one entry per clip. Written atomically after the data it describes has
/// been flushed, so the index never points at bytes that are not on disk.
/// </summary>
internal sealed class FeatureCacheIndex
{
    public const int CurrentFormatVersion = 1;
    public const string FileName = "index.json";

    public int FormatVersion { get; set; } = CurrentFormatVersion;
    public string Fingerprint { get; set; } = "";
    public int[] PatchShape { get; set; } = [];

    /// <summary>Bytes per stored value: 4 (float32; indexes written before float16 existed) or 2 (float16).</summary>
    public int ElementBytes { get; set; } = sizeof(float);
    public Guid DataId { get; set; }

    /// <summary>Bytes of the data file (header included) the entries may point into; anything beyond is debris of an interrupted build.</summary>
    public long DataLength { get; set; }

    public List<FeatureCacheEntry> Entries { get; set; } = [];

    public int PatchBytes => PatchShape.Aggregate(1, (a, d) => checked(a * d)) * ElementBytes;

    public static string PathIn(string directory) => System.IO.Path.Combine(directory, FileName);

    public static FeatureCacheIndex Fresh(string fingerprint, IReadOnlyList<int> patchShape, int elementBytes) => new()
    {
        Fingerprint = fingerprint,
        ElementBytes = elementBytes,
        PatchShape = patchShape.ToArray(),
        DataId = Guid.NewGuid(),
        DataLength = FeatureDataFile.HeaderBytes,
    };

    /// <summary>Reads the index; null with a reason when it is missing, unreadable or of another version.</summary>
    public static (FeatureCacheIndex? Index, string? Problem) TryRead(string directory)
    {
        string path = PathIn(directory);
        if (!File.Exists(path))
            return (null, null);
        try
        {
            var index = JsonSerializer.Deserialize<FeatureCacheIndex>(File.ReadAllBytes(path));
            if (index is null || index.Entries is null || index.PatchShape is null || index.Fingerprint is null)
                return (null, "its index is empty");
            if (index.FormatVersion != CurrentFormatVersion)
                return (null, $"its index has format version {index.FormatVersion}, expected {CurrentFormatVersion}");
            return (index, null);
        }
        catch (JsonException ex)
        {
            return (null, $"its index is unreadable ({ex.Message})");
        }
    }

    public void Write(string directory) =>
        QuantumKan.Core.AtomicFile.Write(PathIn(directory), s => JsonSerializer.Serialize(s, this));

    /// <summary>Bytes held by live entries.</summary>
    public long LiveBytes => Entries.Sum(e => (long)e.Patches * PatchBytes);

    /// <summary>Whether an entry points inside the valid part of the data file.</summary>
    public bool IsWellFormed(FeatureCacheEntry e) =>
        !string.IsNullOrEmpty(e.Path) && e.Patches > 0 && e.Offset >= FeatureDataFile.HeaderBytes &&
        e.Offset + (long)e.Patches * PatchBytes <= DataLength;
}
