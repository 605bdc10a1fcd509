namespace QuantumKan.Core.Tests;

public class GlibcxxPatchTests
{
    private const string Version = "GLIBCXX_3.4.32";

    private static string OutputCopy => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private static string? NuGetCacheCopy()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                   ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var p = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        return File.Exists(p) ? p : null;
    }

    [Fact]
    public void Weaken_IsIdempotent_AndOnlyFlipsTheFlagBits()
    {
        var source = NuGetCacheCopy() ?? OutputCopy;
        var original = File.ReadAllBytes(source);
        var bytes = (byte[])original.Clone();
        var first = ElfVersionNeed.Weaken(bytes, Version);
        if (first == ElfVersionNeed.Absent)
            return; // a TorchSharp build that does not need the version: nothing to prove here
        var second = ElfVersionNeed.Weaken(bytes, Version);
        Assert.Equal(ElfVersionNeed.AlreadyWeak, second);
        int changed = 0;
        for (int i = 0; i < bytes.Length; i++)
            if (bytes[i] != original[i]) changed++;
        Assert.Equal(first == ElfVersionNeed.Patched ? 1 : 0, changed); // one byte of one Vernaux flags field
    }

    [Fact]
    public void Build_PatchedTheOutputCopy_AndLeftTheNuGetCacheUntouched()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var output = ElfVersionNeed.Inspect(File.ReadAllBytes(OutputCopy), Version);
        var systemHasIt = ElfVersionNeed.SystemLibStdCxxDefining(Version) is not null;
        if (systemHasIt)
        {
            // Nothing is patched where the system already defines the version.
            Assert.NotEqual(ElfVersionNeed.AlreadyWeak, output);
            return;
        }
        Assert.Contains(output, new[] { ElfVersionNeed.AlreadyWeak, ElfVersionNeed.Absent });
        if (NuGetCacheCopy() is { } cache)
            Assert.Equal(ElfVersionNeed.Patched, ElfVersionNeed.Inspect(File.ReadAllBytes(cache), Version)); // still strong
    }

    [Fact]
    public void Weaken_RejectsNonElfInputWithoutThrowing()
    {
        Assert.Equal("not an ELF file", ElfVersionNeed.Weaken(new byte[100], Version));
        Assert.Equal("not an ELF file", ElfVersionNeed.Weaken(new byte[3], Version));
    }
}
