namespace QuantumKan.Core;

/// <summary>
/// Thrown when libtorch's native libraries cannot be loaded. The message names the cause that TorchSharp's own
/// exception hides (a missing backend package, or a GLIBCXX symbol version the system libstdc++ lacks) and the fix.
/// </summary>
public sealed class TorchNativeLoadException(string message, Exception? inner) : InvalidOperationException(message, inner);

/// <summary>
/// Works out why TorchSharp failed to load its natives, by looking at the files beside the app: TorchSharp reports
/// a missing GLIBCXX version as a missing backend package, and only <c>ldd</c> shows the real cause.
/// </summary>
internal static class NativeLoadDiagnosis
{
    private const string Bridge = "libLibTorchSharp.so";

    /// <summary>The folders TorchSharp loads natives from: the app folder and its runtimes/&lt;rid&gt;/native.</summary>
    internal static IEnumerable<string> NativeFolders(string appBase)
    {
        yield return appBase;
        var rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        yield return Path.Combine(appBase, "runtimes", rid, "native");
        if (rid != "linux-x64" && OperatingSystem.IsLinux())
            yield return Path.Combine(appBase, "runtimes", "linux-x64", "native");
    }

    /// <summary>
    /// One message: what failed, why, and the fix.
    /// </summary>
    /// <param name="failure">The exception TorchSharp threw.</param>
    /// <param name="folders">Folders that may hold the natives (<see cref="NativeFolders"/>).</param>
    /// <param name="systemDefines">Whether the system libstdc++ defines a version name (<c>GLIBCXX_3.4.32</c>).</param>
    /// <param name="systemLibStdCxx">The system libstdc++ path, for the message (null when none was found).</param>
    internal static string Describe(Exception failure, IEnumerable<string> folders, Func<string, bool> systemDefines, string? systemLibStdCxx)
    {
        var existing = folders.Where(Directory.Exists).Distinct().ToList();
        string? bridge = existing.Select(f => Path.Combine(f, Bridge)).FirstOrDefault(File.Exists);
        bool backend = existing.Any(f => File.Exists(Path.Combine(f, "libtorch_cpu.so")) || File.Exists(Path.Combine(f, "libtorch.so")));
        // TorchSharp's first line only: the rest of its message suggests packages that are not the fix here.
        var torchSharpSays = Innermost(failure).Message.Split('\n', 2)[0].Trim();

        if (bridge is not null && OperatingSystem.IsLinux())
        {
            var needs = ElfVersionNeed.Needs(File.ReadAllBytes(bridge), out _);
            var missing = needs?.Where(n => !n.Weak && n.Version.StartsWith("GLIBCXX_", StringComparison.Ordinal) && !systemDefines(n.Version))
                .Select(n => n.Version).Distinct().ToList() ?? [];
            if (missing.Count > 0)
            {
                var versions = string.Join(", ", missing);
                return $"libtorch could not be loaded: {bridge} needs the symbol version {versions}, which the system libstdc++ " +
                       $"({systemLibStdCxx ?? "not found"}) does not define. Fix: build the app with the QuantumKan.Core package " +
                       "restored (its buildTransitive targets mark that need weak in the output copy of libLibTorchSharp.so after " +
                       "every build and publish; rebuild if the file was copied in some other way), or install a libstdc++ from " +
                       $"GCC 13 or newer. (TorchSharp said: {torchSharpSays})";
            }
        }
        if (!backend)
            return "libtorch could not be loaded: no libtorch backend (libtorch_cpu.so) is beside the app in " +
                   $"{string.Join(" or ", existing.DefaultIfEmpty("(no folder)"))}. Fix: reference the QuantumKan.ML.Cpu package " +
                   "(the CPU backend for Linux x64), or QuantumKan.ML with a GPU backend package such as " +
                   $"libtorch-cuda-12.8-linux-x64 2.10.0. (TorchSharp said: {torchSharpSays})";
        return $"libtorch could not be loaded: {torchSharpSays}";
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
            e = e.InnerException;
        return e;
    }
}
