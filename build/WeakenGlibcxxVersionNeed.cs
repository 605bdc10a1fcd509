// Shared by build/LibTorchSharpGlibcxx.targets (compiled into an MSBuild inline task, in this repository and, as the
// QuantumKan.Core package's buildTransitive targets, in every consumer's build) and by src/QuantumKan.Core (compiled
// with QK_CORE, where TorchRuntime uses it to explain a failed native load; its tests reach it there), so the tests
// check the very code the build runs.
// Kept to C# that compiles against netstandard2.0, as RoslynCodeTaskFactory requires.
// No served tool edits Vernaux flags (patchelf cannot), hence this small hand-written ELF reader.
#if QK_CORE
#nullable disable // the inline-task compiler predates nullable annotations; this file stays oblivious
#endif
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
#if !QK_CORE
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class WeakenGlibcxxVersionNeed : Task
{
    [Required] public string Directory { get; set; }
    [Required] public string VersionName { get; set; }

    public override bool Execute()
    {
        if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux))
            return true;
        if (!System.IO.Directory.Exists(Directory))
            return true;
        string systemLib = ElfVersionNeed.SystemLibStdCxxDefining(VersionName);
        if (systemLib != null)
        {
            Log.LogMessage(MessageImportance.Low, "System libstdc++ (" + systemLib + ") defines " + VersionName + "; libLibTorchSharp.so left as shipped.");
            return true;
        }

        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(path);
            string outcome = ElfVersionNeed.Weaken(bytes, VersionName);
            if (outcome == ElfVersionNeed.Patched)
            {
                var temp = path + ".glibcxx-tmp";
                File.WriteAllBytes(temp, bytes);
                File.Replace(temp, path, null); // rename over the target: never writes through a hard link
                Log.LogMessage(MessageImportance.Normal, "Marked " + VersionName + " weak in " + path);
            }
            else if (outcome == ElfVersionNeed.AlreadyWeak || outcome == ElfVersionNeed.Absent)
            {
                Log.LogMessage(MessageImportance.Low, path + ": " + outcome);
            }
            else
            {
                Log.LogWarning("Could not patch " + path + ": " + outcome);
            }
        }
        return true;
    }
}
#endif

/// <summary>Reads and edits the version-needed records (.gnu.version_r) of a 64-bit little-endian ELF file.</summary>
#if QK_CORE
internal
#else
public
#endif
static class ElfVersionNeed
{
    public const string Patched = "patched";
    public const string AlreadyWeak = "already-weak";
    public const string Absent = "absent";

    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>The path of the system libstdc++ when it defines <paramref name="versionName"/>, else null.</summary>
    public static string SystemLibStdCxxDefining(string versionName)
    {
        var needle = Encoding.ASCII.GetBytes(versionName + "\0");
        string path = SystemLibStdCxx();
        return path != null && IndexOf(File.ReadAllBytes(path), needle) >= 0 ? path : null;
    }

    /// <summary>The path of the system libstdc++ (the first of the usual places that has one), else null.</summary>
    public static string SystemLibStdCxx()
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        };
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>
    /// Sets VER_FLG_WEAK on the Vernaux record named <paramref name="versionName"/>, in place in <paramref name="b"/>.
    /// Returns <see cref="Patched"/>, <see cref="AlreadyWeak"/>, <see cref="Absent"/>, or why the file could not be read.
    /// </summary>
    public static string Weaken(byte[] b, string versionName) => Visit(b, versionName, weaken: true);

    /// <summary>Like <see cref="Weaken"/> but changes nothing: <see cref="Patched"/> means "would be patched".</summary>
    public static string Inspect(byte[] b, string versionName) => Visit(b, versionName, weaken: false);

    /// <summary>One version-needed entry: the library it is needed from, the version name, and whether it is weak.</summary>
    public sealed class Need
    {
        public string File;
        public string Version;
        public bool Weak;
    }

    /// <summary>
    /// Every version-needed entry of the file, in file order, or null when the file cannot be read as a 64-bit
    /// little-endian ELF file (<paramref name="error"/> then says why).
    /// </summary>
    public static List<Need> Needs(byte[] b, out string error)
    {
        var needs = new List<Need>();
        error = Walk(b, (file, version, flagsAt) =>
        {
            needs.Add(new Need { File = file, Version = version, Weak = (BitConverter.ToUInt16(b, flagsAt) & VerFlgWeak) != 0 });
            return false;
        });
        return error == null ? needs : null;
    }

    private static string Visit(byte[] b, string versionName, bool weaken)
    {
        string outcome = Absent;
        string error = Walk(b, (file, version, flagsAt) =>
        {
            if (version != versionName)
                return false;
            ushort flags = BitConverter.ToUInt16(b, flagsAt);
            if ((flags & VerFlgWeak) != 0)
            {
                outcome = AlreadyWeak;
                return true;
            }
            if (weaken)
            {
                flags |= VerFlgWeak;
                b[flagsAt] = (byte)(flags & 0xff);
                b[flagsAt + 1] = (byte)(flags >> 8);
            }
            outcome = Patched;
            return true;
        });
        return error ?? outcome;
    }

    /// <summary>
    /// Calls <paramref name="visit"/>(file, version name, offset of the Vernaux flags field) for each version-needed
    /// entry until it returns true. Returns null, or why the file could not be read.
    /// </summary>
    private static string Walk(byte[] b, Func<string, string, int, bool> visit)
    {
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
            return "not an ELF file";
        if (b[4] != 2 || b[5] != 1)
            return "not a 64-bit little-endian ELF file";
        ulong shoff = BitConverter.ToUInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A);
        int shnum = BitConverter.ToUInt16(b, 0x3C);
        if (shoff == 0 || shentsize < 64 || shoff + (ulong)(shnum * shentsize) > (ulong)b.Length)
            return "section headers out of range";
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)shoff + i * shentsize);
            if (BitConverter.ToUInt32(b, sh + 4) != ShtGnuVerneed)
                continue;
            long off = (long)BitConverter.ToUInt64(b, sh + 0x18);
            long size = (long)BitConverter.ToUInt64(b, sh + 0x20);
            int link = (int)BitConverter.ToUInt32(b, sh + 0x28);
            int count = (int)BitConverter.ToUInt32(b, sh + 0x2C);
            if (link >= shnum || off < 0 || off + size > b.Length)
                return "bad .gnu.version_r header";
            long strOff = (long)BitConverter.ToUInt64(b, checked((int)shoff + link * shentsize) + 0x18);
            long vn = off;
            for (int n = 0; n < count; n++)
            {
                if (vn < off || vn + 16 > off + size)
                    return "bad Verneed record";
                int cnt = BitConverter.ToUInt16(b, (int)vn + 2);
                string file = ReadString(b, strOff + BitConverter.ToUInt32(b, (int)vn + 4));
                uint aux = BitConverter.ToUInt32(b, (int)vn + 8);
                uint next = BitConverter.ToUInt32(b, (int)vn + 12);
                if (file == null)
                    return "bad string offset";
                long va = vn + aux;
                for (int a = 0; a < cnt; a++)
                {
                    if (va < off || va + 16 > off + size)
                        return "bad Vernaux record";
                    string version = ReadString(b, strOff + BitConverter.ToUInt32(b, (int)va + 8));
                    if (version == null)
                        return "bad string offset";
                    if (visit(file, version, (int)va + 4))
                        return null;
                    uint anext = BitConverter.ToUInt32(b, (int)va + 12);
                    if (anext == 0)
                        break;
                    va += anext;
                }
                if (next == 0)
                    break;
                vn += next;
            }
        }
        return null;
    }

    private static string ReadString(byte[] b, long s)
    {
        if (s < 0 || s >= b.Length)
            return null;
        int e = (int)s;
        while (e < b.Length && b[e] != 0)
            e++;
        return Encoding.ASCII.GetString(b, (int)s, e - (int)s);
    }

    public static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j])
                j++;
            if (j == needle.Length)
                return i;
        }
        return -1;
    }
}
