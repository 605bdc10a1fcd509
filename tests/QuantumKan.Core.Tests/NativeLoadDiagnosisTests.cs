using QuantumKan.Core;

namespace QuantumKan.Core.Tests;

public sealed class NativeLoadDiagnosisTests : IDisposable
{
    private const string Version = "GLIBCXX_3.4.32";
    private readonly TempFolder _temp = new("qkan-native-");

    private string _dir => _temp.Path;

    public void Dispose() => _temp.Dispose();

    // TorchSharp's own failure: a type initializer wrapping "doesn't contain a reference to libtorch-cpu-linux-x64".
    private static Exception TorchSharpFailure() =>
        new TypeInitializationException("TorchSharp.torch", new NotSupportedException("This application or script uses TorchSharp but doesn't contain a reference to libtorch-cpu-linux-x64."));

    /// <summary>TorchSharp's libLibTorchSharp.so as NuGet shipped it (needing GLIBCXX_3.4.32 strongly), or null.</summary>
    private static byte[]? ShippedBridge()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                   ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var p = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        return File.Exists(p) ? File.ReadAllBytes(p) : null;
    }

    [Fact]
    public void Needs_ListsTheStrongGlibcxxNeed_AndSeesItWeakAfterTheFixUp()
    {
        if (ShippedBridge() is not { } bytes || ElfVersionNeed.Inspect(bytes, Version) != ElfVersionNeed.Patched)
            return; // not the TorchSharp build this fix-up is for
        var before = ElfVersionNeed.Needs(bytes, out var error);
        Assert.Null(error);
        var need = Assert.Single(before!, n => n.Version == Version);
        Assert.Equal("libstdc++.so.6", need.File);
        Assert.False(need.Weak);

        Assert.Equal(ElfVersionNeed.Patched, ElfVersionNeed.Weaken(bytes, Version));
        var after = ElfVersionNeed.Needs(bytes, out _);
        Assert.True(Assert.Single(after!, n => n.Version == Version).Weak);
        Assert.Equal(before!.Count, after!.Count);
        Assert.All(after.Where(n => n.Version != Version), n => Assert.Equal(before.Single(b => b.File == n.File && b.Version == n.Version).Weak, n.Weak));
    }

    [Fact]
    public void Describe_NamesTheMissingSymbolVersionAndTheFix()
    {
        if (ShippedBridge() is not { } bytes || ElfVersionNeed.Inspect(bytes, Version) != ElfVersionNeed.Patched)
            return;
        File.WriteAllBytes(Path.Combine(_dir, "libLibTorchSharp.so"), bytes);
        File.WriteAllBytes(Path.Combine(_dir, "libtorch_cpu.so"), []);

        // A system libstdc++ that has every version but 3.4.32, as Debian 12's GCC 12 one.
        var message = NativeLoadDiagnosis.Describe(TorchSharpFailure(), [_dir], v => v != Version, "/usr/lib/x86_64-linux-gnu/libstdc++.so.6");

        Assert.Contains($"needs the symbol version {Version},", message);
        Assert.Contains(Path.Combine(_dir, "libLibTorchSharp.so"), message);
        Assert.Contains("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", message);
        Assert.Contains("QuantumKan.Core package", message);
        Assert.Contains("GCC 13", message);
        Assert.DoesNotContain("GLIBCXX_3.4.30", message); // versions the system has are not blamed
    }

    [Fact]
    public void Describe_DoesNotBlameAWeakenedNeed()
    {
        if (ShippedBridge() is not { } bytes || ElfVersionNeed.Weaken(bytes, Version) != ElfVersionNeed.Patched)
            return;
        File.WriteAllBytes(Path.Combine(_dir, "libLibTorchSharp.so"), bytes);
        File.WriteAllBytes(Path.Combine(_dir, "libtorch_cpu.so"), []);

        var message = NativeLoadDiagnosis.Describe(TorchSharpFailure(), [_dir], v => v != Version, null);

        Assert.DoesNotContain(Version, message);
        Assert.Contains("doesn't contain a reference to libtorch-cpu-linux-x64", message); // TorchSharp's own words, as nothing better is known
    }

    [Fact]
    public void Describe_NamesTheBackendPackage_WhenNoBackendIsBesideTheApp()
    {
        var message = NativeLoadDiagnosis.Describe(TorchSharpFailure(), [_dir, Path.Combine(_dir, "runtimes", "linux-x64", "native")], _ => true, null);

        Assert.Contains("no libtorch backend", message);
        Assert.Contains(_dir, message);
        Assert.Contains("QuantumKan.ML.Cpu", message);
        Assert.DoesNotContain("GLIBCXX", message);
    }
}
