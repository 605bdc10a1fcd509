namespace QuantumKan.Tests.Shared;

/// <summary>A new folder under the system's temporary folder, deleted (best effort) on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    /// <summary>Creates the folder, named <paramref name="prefix"/> plus a random suffix.</summary>
    public TempFolder(string prefix = "qkan-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>A path inside the folder (nothing is created).</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>A file path inside the folder, its directory created; writes <paramref name="text"/> into it when given.</summary>
    public string File(string relative, string? text = null)
    {
        string full = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        if (text is not null)
            System.IO.File.WriteAllText(full, text);
        return full;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
