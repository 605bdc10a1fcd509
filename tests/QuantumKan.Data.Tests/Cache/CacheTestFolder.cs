using QuantumKan.Data.Cache;

namespace QuantumKan.Data.Tests.Cache;

/// <summary>A temporary folder with source files and a cache folder, plus a counting content-based featurizer.</summary>
internal sealed class CacheTestFolder : IDisposable
{
    private readonly TempFolder _folder = new("qkan-cache-");

    public string Root => _folder.Path;

    public string CacheDir => Path.Combine(Root, "cache");

    /// <summary>Writes source files of different lengths (so clips yield different patch counts).</summary>
    public string[] Sources(int count, int seed = 1, string prefix = "clip")
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var bytes = new byte[40 + rng.Next(0, 400)];
            rng.NextBytes(bytes);
            string path = Path.Combine(Root, "src", $"{prefix}{i}.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
            return path;
        }).ToArray();
    }

    public void Dispose() => _folder.Dispose();
}

/// <summary>
/// A featurizer whose output is a function of the file's bytes: one [2, 3] patch per started 64 bytes. Counts calls.
/// </summary>
internal sealed class ContentFeaturizer(string fingerprint = "content/v1") : IClipFeaturizer
{
    private int _calls;

    public int Calls => _calls;

    public Func<string, bool>? FailOn { get; set; }

    public string Fingerprint { get; } = fingerprint;

    public IReadOnlyList<int> PatchShape { get; } = [2, 3];

    public float[] FeaturizeFile(string path)
    {
        Interlocked.Increment(ref _calls);
        if (FailOn?.Invoke(path) == true)
            throw new InvalidDataException("synthetic failure");
        return Expected(File.ReadAllBytes(path), Fingerprint);
    }

    public static float[] Expected(byte[] bytes, string fingerprint = "content/v1")
    {
        int patches = (bytes.Length + 63) / 64;
        var values = new float[patches * 6];
        for (int i = 0; i < values.Length; i++)
            values[i] = bytes[i % bytes.Length] + i * 0.25f + fingerprint.Length;
        return values;
    }
}
