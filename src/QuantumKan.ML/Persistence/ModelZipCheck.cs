using System.IO.Compression;
using QuantumKan.Core;

namespace QuantumKan.ML.Persistence;

/// <summary>
/// Checks a model file before ML.NET reads it, so that the common ways a file goes wrong are reported in plain words
/// naming it: a directory or FIFO given by mistake, a truncated or bit-flipped zip, a zip that holds no ML.NET model,
/// a transformer folder whose header entry is gone. Each entry is read through once (deflate and CRC checks), which
/// costs one extra pass over a file that is read anyway.
/// </summary>
internal static class ModelZipCheck
{
    /// <summary>The entry every ML.NET transformer model zip starts from.</summary>
    internal const string RootEntry = "TransformerChain/Model.key";

    private const string HeaderName = "Model.key";

    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="ModelFormatException">The file is not a readable model zip.</exception>
    public static void Run(string path)
    {
        if (Directory.Exists(path))
            throw ModelFormatException.ForFile(path, "is a directory, not a model file");
        if (FileKind.NotARegularFile(path) is { } what)
            throw ModelFormatException.ForFile(path, $"is {what}; give the path of a model zip");
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model file '{path}' does not exist.", path);

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.Length == 0)
            throw ModelFormatException.ForFile(path, "is empty (0 bytes), not a model zip");
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw ModelFormatException.ForFile(path, "is truncated or corrupt (not a valid zip archive)", ex);
        }
        using (zip)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                names.Add(entry.FullName.Replace('\\', '/'));
                uint crc;
                try
                {
                    using var content = entry.Open();
                    crc = Crc32.Of(content);
                }
                catch (InvalidDataException ex)
                {
                    throw ModelFormatException.ForFile(path, $"is truncated or corrupt: its entry '{entry.FullName}' cannot be read ({ex.Message})", ex);
                }
                // ZipArchive does not check an entry's CRC: a flipped bit in stored or still-inflatable data reads fine.
                if (crc != entry.Crc32)
                    throw ModelFormatException.ForFile(path, $"is corrupt: its entry '{entry.FullName}' fails its CRC check (the file was damaged after it was written)");
            }
            if (!names.Contains(RootEntry))
                throw ModelFormatException.ForFile(path, names.Any(n => n.EndsWith("/" + HeaderName, StringComparison.Ordinal) || n == HeaderName)
                    ? $"is not a QuantumKan model zip: entry '{RootEntry}' is missing"
                    : $"is not a QuantumKan model zip: entry '{RootEntry}' is missing (it holds no ML.NET model at all)");
            // Every folder that holds a transformer's state also holds its header; a folder without one lost it.
            foreach (var folder in names.Where(n => n.EndsWith(".qks", StringComparison.Ordinal)).Select(FolderOf).Distinct())
                if (!names.Contains(folder + HeaderName))
                    throw ModelFormatException.ForFile(path, $"is not a QuantumKan model zip: entry '{folder}{HeaderName}' is missing");
        }
    }

    private static class Crc32
    {
        private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
        {
            uint c = (uint)n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            return c;
        }).ToArray();

        public static uint Of(Stream stream)
        {
            uint crc = 0xFFFFFFFFu;
            var buffer = new byte[1 << 16];
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
                for (int i = 0; i < n; i++)
                    crc = Table[(crc ^ buffer[i]) & 0xFF] ^ (crc >> 8);
            return ~crc;
        }
    }

    private static string FolderOf(string entry) => entry[..(entry.LastIndexOf('/') + 1)];
}
