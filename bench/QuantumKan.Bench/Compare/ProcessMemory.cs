using System.Text.RegularExpressions;

namespace QuantumKan.Bench.Compare;

/// <summary>
/// Peak resident memory of this process (Linux VmHWM), which covers the managed heap, libtorch's native allocations and
/// every thread. Writing 5 to /proc/self/clear_refs resets the peak to the current RSS, so each phase reports its own.
/// </summary>
internal static class ProcessMemory
{
    public static double PeakRssMb() => StatusKb("VmHWM") / 1024.0;

    public static double CurrentRssMb() => StatusKb("VmRSS") / 1024.0;

    public static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or not permitted: the peak then covers the process so far, which the report notes.
        }
    }

    private static long StatusKb(string field)
    {
        if (!File.Exists("/proc/self/status"))
            return 0;
        var match = Regex.Match(File.ReadAllText("/proc/self/status"), field + @":\s+(\d+) kB");
        return match.Success ? long.Parse(match.Groups[1].Value) : 0;
    }
}
