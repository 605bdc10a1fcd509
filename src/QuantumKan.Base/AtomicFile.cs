namespace QuantumKan.Core;

/// <summary>
/// Writes files so that a crash or kill mid-write never leaves a half-written file at the destination:
/// the content goes to a temporary file in the same folder, is flushed to disk, and is then renamed over the target.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>Writes a file atomically.</summary>
    /// <param name="path">The destination path. Its folder is created when missing.</param>
    /// <param name="write">Writes the content. The stream must not be closed by the callback's owner.</param>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(new NonClosingStream(fs));
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>
    /// Whether <paramref name="fileName"/> is the name <see cref="Write"/> gives its temporary files
    /// (<c>.{target}.{pid}.{32 hex digits}.tmp</c>): one left behind by a process killed mid-write.
    /// </summary>
    public static bool IsTemporaryFileName(string fileName) =>
        fileName is not null && TemporaryName().IsMatch(fileName);

    /// <summary>
    /// Deletes the temporaries a crashed <see cref="Write"/> left in <paramref name="directory"/> (not its subfolders).
    /// Only call it when no other process can be writing there (e.g. while holding the folder's lock).
    /// </summary>
    /// <returns>The paths deleted.</returns>
    public static IReadOnlyList<string> DeleteStaleTemporaries(string directory)
    {
        var deleted = new List<string>();
        if (!Directory.Exists(directory))
            return deleted;
        foreach (var path in Directory.EnumerateFiles(directory, ".*.tmp"))
        {
            if (!IsTemporaryFileName(Path.GetFileName(path)))
                continue;
            try
            {
                File.Delete(path);
                deleted.Add(path);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return deleted;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\..+\.[0-9]+\.[0-9a-f]{32}\.tmp$")]
    private static partial System.Text.RegularExpressions.Regex TemporaryName();

    /// <summary>Writes all bytes atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>Writes text (UTF-8) atomically.</summary>
    public static void WriteAllText(string path, string text) =>
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));
}

/// <summary>Wraps a stream and ignores Dispose/Close, for APIs (such as TorchSharp's module.save) that close what they are given.</summary>
public sealed class NonClosingStream(Stream inner) : Stream
{
    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => inner.Position = value; }
    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override int Read(Span<byte> buffer) => inner.Read(buffer);
    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override void SetLength(long value) => inner.SetLength(value);
    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    protected override void Dispose(bool disposing) => Flush();
}
