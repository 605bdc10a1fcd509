using QuantumKan.Core;
using static TorchSharp.torch;

namespace QuantumKan.Bench.Compare;

/// <summary>
/// Reproducer of TorchSharp 0.107's Scalar lifetime race (README, "Known issues"): one thread runs tensor operations
/// that take an implicitly converted Scalar, another forces gen-0 collections, and every failed native call is counted.
/// A failure means the Scalar's finalizer freed it while libtorch was reading it. The process may also die outright.
/// </summary>
internal static class ScalarRaceRun
{
    private static readonly (string Name, Func<Tensor, Tensor, Tensor> Op)[] Cases =
    [
        ("t * 4.5 (implicit Scalar)", (t, _) => t * 4.5),
        ("t + 1 (implicit Scalar)", (t, _) => t + 1),
        ("t + u (hidden alpha = 1)", (t, u) => t + u),
        ("t.tanh() (no Scalar: control)", (t, _) => t.tanh()),
    ];

    public static int Execute(int iterations)
    {
        TorchRuntime.EnsureInitialized();
        foreach (var (name, op) in Cases)
        {
            using var t = ones(4);
            using var u = ones(4);
            int failures = 0;
            using var stop = new CancellationTokenSource();
            var collector = Task.Run(() =>
            {
                while (!stop.IsCancellationRequested)
                    GC.Collect(0);
            });
            for (int i = 0; i < iterations; i++)
            {
                try
                {
                    using var result = op(t, u);
                }
                catch (System.Runtime.InteropServices.ExternalException)
                {
                    failures++;
                }
            }
            stop.Cancel();
            collector.Wait();
            Console.WriteLine($"{name}: {failures} failed native calls in {iterations:N0}");
        }
        return 0;
    }
}
