using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace QuantumKan.Core;

/// <summary>
/// The one place that configures libtorch for this process: the OpenMP wait policy, the intra-op thread count,
/// and device selection. Every QuantumKan assembly calls <see cref="PrepareEnvironment"/> from its module
/// initializer, so users never have to know about any of this.
/// </summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static bool _environmentPrepared;
    private static bool _initialized;

    /// <summary>
    /// Sets process environment defaults that libtorch's OpenMP runtime reads once, when it loads.
    /// <para>
    /// libgomp threads busy-wait by default (OMP_WAIT_POLICY=ACTIVE behaviour). With another busy process (or xunit's
    /// parallel test classes) on a machine with few cores, training becomes many times slower. PASSIVE makes idle
    /// workers sleep. <see cref="Environment.SetEnvironmentVariable(string, string)"/> only changes the managed
    /// copy of the environment, which native code never sees, so this goes through libc's setenv.
    /// A value the user already set is kept.
    /// </para>
    /// </summary>
    public static void PrepareEnvironment()
    {
        lock (Gate)
        {
            if (_environmentPrepared)
                return;
            _environmentPrepared = true;
            if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null)
            {
                Environment.SetEnvironmentVariable("OMP_WAIT_POLICY", "PASSIVE");
                if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
                    NativeEnvironment.SetEnv("OMP_WAIT_POLICY", "PASSIVE");
            }
        }
    }

    /// <summary>
    /// Prepares the environment, loads libtorch, and applies the default intra-op thread count
    /// (<c>QKAN_NUM_THREADS</c> when set, otherwise the number of logical processors). Safe to call often.
    /// </summary>
    /// <exception cref="TorchNativeLoadException">libtorch's natives could not be loaded; the message says why and the fix.</exception>
    public static void EnsureInitialized()
    {
        if (Volatile.Read(ref _initialized))
            return;
        lock (Gate)
        {
            if (_initialized)
                return;
            PrepareEnvironment();
            int threads = Environment.ProcessorCount;
            if (int.TryParse(Environment.GetEnvironmentVariable("QKAN_NUM_THREADS"), out var fromEnv) && fromEnv > 0)
                threads = fromEnv;
            try
            {
                torch.set_num_threads(threads); // the first call into libtorch: loads the natives
            }
            catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException or EntryPointNotFoundException)
            {
                throw new TorchNativeLoadException(
                    NativeLoadDiagnosis.Describe(e, NativeLoadDiagnosis.NativeFolders(AppContext.BaseDirectory),
                        v => ElfVersionNeed.SystemLibStdCxxDefining(v) is not null, ElfVersionNeed.SystemLibStdCxx()), e);
            }
            Volatile.Write(ref _initialized, true);
        }
    }

    private static readonly object RngGate = new();

    /// <summary>
    /// Seeds torch's global CPU generator and runs <paramref name="draw"/> (typically a network constructor) while no
    /// other caller of this method can touch that generator. TorchSharp's initializers draw from the one process-wide
    /// generator, so two trainings started at once (parallel test classes, a server fitting two models) would otherwise
    /// interleave their draws and lose reproducibility. Every seeded draw in QuantumKan goes through here.
    /// </summary>
    /// <param name="seed">Seed for <c>torch.manual_seed</c>.</param>
    /// <param name="draw">The work that draws from the generator.</param>
    public static T Seeded<T>(long seed, Func<T> draw)
    {
        ArgumentNullException.ThrowIfNull(draw);
        return WithGenerator(() =>
        {
            torch.manual_seed(seed);
            return draw();
        });
    }

    /// <summary>
    /// Runs <paramref name="use"/> (reseeding, saving or restoring torch's global generator) under the same lock as
    /// <see cref="Seeded{T}"/>, so it cannot reseed the generator in the middle of another caller's seeded draws.
    /// </summary>
    /// <param name="use">The work on the generator.</param>
    public static T WithGenerator<T>(Func<T> use)
    {
        ArgumentNullException.ThrowIfNull(use);
        EnsureInitialized();
        lock (RngGate)
            return use();
    }

    /// <inheritdoc cref="WithGenerator{T}(Func{T})"/>
    public static void WithGenerator(Action use)
    {
        ArgumentNullException.ThrowIfNull(use);
        WithGenerator(() =>
        {
            use();
            return 0;
        });
    }

    /// <summary>The number of threads libtorch uses inside one operator (intra-op parallelism).</summary>
    public static int IntraOpThreads
    {
        get
        {
            EnsureInitialized();
            return torch.get_num_threads();
        }
    }

    /// <summary>Sets the number of threads libtorch uses inside one operator. Must be at least 1.</summary>
    /// <param name="threads">Thread count, 1 or more.</param>
    public static void SetIntraOpThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        EnsureInitialized();
        torch.set_num_threads(threads);
    }

    /// <summary>
    /// Resolves a device string: <c>"cpu"</c>, <c>"cuda"</c>, <c>"cuda:N"</c> or <c>"auto"</c> (a GPU when the loaded
    /// backend has one, otherwise the CPU). ROCm builds of libtorch expose HIP GPUs as cuda devices.
    /// </summary>
    /// <param name="spec">The device string; null or empty means "cpu".</param>
    /// <param name="allowCpuFallback">When true, an unavailable GPU falls back to the CPU instead of throwing.</param>
    /// <exception cref="DeviceUnavailableException">The GPU asked for is not available and no fallback was allowed.</exception>
    /// <exception cref="ArgumentException">The string is not a device name.</exception>
    public static torch.Device ResolveDevice(string? spec, bool allowCpuFallback = false)
    {
        EnsureInitialized();
        var s = string.IsNullOrWhiteSpace(spec) ? "cpu" : spec.Trim().ToLowerInvariant();
        if (s == "cpu")
            return torch.CPU;
        bool cudaAvailable = torch.cuda.is_available();
        int count = cudaAvailable ? torch.cuda.device_count() : 0;
        if (s == "auto")
            return cudaAvailable ? torch.CUDA : torch.CPU;

        int index;
        if (s == "cuda")
            index = 0;
        else if (s.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(s.AsSpan(5), out index) && index >= 0)
        {
        }
        else
            throw new ArgumentException($"Unknown device '{spec}'. Use \"cpu\", \"cuda\", \"cuda:N\" or \"auto\".", nameof(spec));

        if (index < count)
            return new torch.Device(DeviceType.CUDA, index);
        if (allowCpuFallback)
            return torch.CPU;
        throw new DeviceUnavailableException(
            count == 0
                ? $"Device '{spec}' was requested, but the loaded libtorch backend has no GPU support (torch.cuda.is_available() is false). " +
                  "Reference a GPU backend package (see nuget.config), pick \"cpu\", or allow CPU fallback."
                : $"Device '{spec}' was requested, but only {count} GPU(s) are visible (cuda:0..cuda:{count - 1}).");
    }
}

/// <summary>Thrown when a requested accelerator is not available in the loaded libtorch backend.</summary>
public sealed class DeviceUnavailableException(string message) : InvalidOperationException(message);

internal static partial class NativeEnvironment
{
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    internal static void SetEnv(string name, string value)
    {
        // overwrite = 0: a value already present in the native environment wins.
        _ = setenv(name, value, 0);
    }
}

internal static class CoreModuleInitializer
{
    // CA2255 warns that module initializers in libraries run at a surprising time. Here that is the point: the
    // OpenMP wait policy must be in the native environment before libtorch loads, whoever touches it first.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() => TorchRuntime.PrepareEnvironment();
}
