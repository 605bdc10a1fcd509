using System.Runtime.InteropServices;
using System.Text;

namespace QuantumKan.Core;

/// <summary>
/// Tells a regular file from a FIFO, socket or device before it is opened: opening a FIFO for reading blocks until a
/// writer appears (forever, for a path given by mistake), and a device never ends. .NET's <see cref="FileInfo"/> does
/// not expose the file type on Unix (its attributes and <see cref="UnixFileMode"/> hold no type bits), so this asks the
/// runtime's own <c>stat</c> shim, the one <see cref="FileStream"/> uses.
/// </summary>
public static class FileKind
{
    // SystemNative_Stat's FileStatus starts { int32 Flags; int32 Mode; ... }; Mode carries these PAL type bits.
    private const int TypeMask = 0xF000, Fifo = 0x1000, CharDevice = 0x2000, Directory = 0x4000, BlockDevice = 0x6000,
        Regular = 0x8000, Socket = 0xC000;

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int Stat(byte[] utf8Path, byte[] fileStatus);

    /// <summary>
    /// Why <paramref name="path"/> cannot be read as a file, in words that complete "… <c>path</c> is …", e.g.
    /// "a FIFO (named pipe), not a regular file"; null for a regular file, a missing path, or where the type cannot be
    /// told (not Unix), so callers report those as they already do.
    /// </summary>
    public static string? NotARegularFile(string path)
    {
        if (OperatingSystem.IsWindows())
            return System.IO.Directory.Exists(path) ? "a directory, not a file" : null;
        var status = new byte[256]; // FileStatus is about 120 bytes; room to spare if a runtime appends fields
        int rc;
        try
        {
            rc = Stat(Encoding.UTF8.GetBytes(path + "\0"), status);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return System.IO.Directory.Exists(path) ? "a directory, not a file" : null;
        }
        if (rc != 0)
            return null; // missing or unreadable: the open that follows reports it
        return (BitConverter.ToInt32(status, 4) & TypeMask) switch
        {
            Regular => null,
            Directory => "a directory, not a file",
            Fifo => "a FIFO (named pipe), not a regular file",
            CharDevice => "a character device, not a regular file",
            BlockDevice => "a block device, not a regular file",
            Socket => "a socket, not a regular file",
            _ => "not a regular file",
        };
    }
}
