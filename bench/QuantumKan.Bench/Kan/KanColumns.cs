using System.Runtime.InteropServices;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using QuantumKan.Nn.Kan;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Bench.Kan;

/// <summary>What the KAN benchmark columns share: a custom, always-shown column computed in the host process.</summary>
public abstract class KanColumn(string columnName, int priority, bool isNumeric, string legend) : IColumn
{
    public string Id => GetType().Name;
    public string ColumnName => columnName;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => priority;
    public bool IsNumeric => isNumeric;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => legend;
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
    public abstract string GetValue(Summary summary, BenchmarkCase benchmarkCase);
}

/// <summary>Parameters of the network a case runs (KAN and its matched MLP should agree to within one hidden unit).</summary>
public sealed class KanParameterCountColumn() : KanColumn("Params", 0, true, "Trainable parameters of the benchmarked network")
{
    public override string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        using var model = KanMemoryProbe.Build(benchmarkCase);
        return KanBenchmarkModels.ParameterCount(model).ToString("N0");
    }
}

/// <summary>
/// Native memory the autograd graph holds after the forward pass (saved activations and intermediates), measured with
/// glibc's allocator counters in the host process, and that figure relative to Σ_layers B·in·K floats.
/// </summary>
public sealed class KanRetainedMemoryColumn() : KanColumn("Graph MiB (× B·in·K)", 1, false,
    "Memory held by the autograd graph after forward; in brackets, relative to B·Σ(in·K) float32 values")
{
    public override string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        using var model = KanMemoryProbe.Build(benchmarkCase);
        long bytes = KanMemoryProbe.RetainedAfterForward(model);
        string mib = (bytes / 1048576.0).ToString("F2");
        if (model is not KanNetwork kan)
            return mib;
        long basisFloats = KanBenchmarkModels.BatchSize * kan.Layers.Sum(l => (long)l.InFeatures * l.BasisSize);
        return $"{mib} ({bytes / (4.0 * basisFloats):F2}×)";
    }
}

/// <summary>Builds a case's network and measures what its forward pass leaves allocated for backward.</summary>
internal static class KanMemoryProbe
{
    public static nn.Module<Tensor, Tensor> Build(BenchmarkCase benchmarkCase)
    {
        var basis = (KanBasis)benchmarkCase.Parameters["Basis"];
        manual_seed(1);
        var kan = KanBenchmarkModels.Kan(basis);
        if (benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(KanForwardBackwardBenchmarks.Kan))
            return kan;
        var mlp = KanBenchmarkModels.MatchedMlp(KanBenchmarkModels.ParameterCount(kan));
        kan.Dispose();
        return mlp;
    }

    public static long RetainedAfterForward(nn.Module<Tensor, Tensor> model)
    {
        using var input = randn(KanBenchmarkModels.BatchSize, KanBenchmarkModels.Widths[0]);
        KanBenchmarkModels.ForwardBackward(model, input); // allocate gradients and warm caches first
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = AllocatedBytes();
        using var scope = NewDisposeScope();
        var output = model.forward(input);
        long after = AllocatedBytes();
        return after - before - output.numel() * output.element_size();
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MallocInfo2
    {
        public nuint Arena, OrdBlks, SmBlks, HBlks, HBlkHd, UsmBlks, FsmBlks, UordBlks, FordBlks, KeepCost;
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallocInfo2 MallInfo2();

    /// <summary>Bytes currently allocated through malloc: heap chunks in use plus mmapped chunks.</summary>
    private static long AllocatedBytes()
    {
        var info = MallInfo2();
        return (long)(info.UordBlks + info.HBlkHd);
    }
}

/// <summary>
/// KAN time / MLP time measured interleaved: 21 rounds, each timing 3 MLP steps then 3 KAN steps back to back, and the
/// median of the per-round ratios. BenchmarkDotNet measures the two methods minutes apart; on a machine shared with
/// other work, load that changes in between moves its Ratio column by ±50%, while this one only sees load that
/// changes within a round.
/// </summary>
public sealed class KanInterleavedRatioColumn() : KanColumn("Interleaved ratio (IQR)", 2, false,
    "Median over 21 interleaved rounds of KAN step time / MLP step time, with the interquartile range")
{
    private const int Rounds = 21;
    private const int StepsPerRound = 3;

    // Every exporter asks again; measure each case once so the console, markdown and CSV tables agree.
    private static readonly Dictionary<string, string> Measured = [];

    public override string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        if (benchmarkCase.Descriptor.WorkloadMethod.Name != nameof(KanForwardBackwardBenchmarks.Kan))
            return "-";
        lock (Measured)
        {
            if (!Measured.TryGetValue(benchmarkCase.DisplayInfo, out var value))
                Measured[benchmarkCase.DisplayInfo] = value = Measure(benchmarkCase);
            return value;
        }
    }

    private static string Measure(BenchmarkCase benchmarkCase)
    {
        var basis = (KanBasis)benchmarkCase.Parameters["Basis"];
        QuantumKan.Core.TorchRuntime.SetIntraOpThreads((int)benchmarkCase.Parameters["Threads"]);
        manual_seed(1);
        using var kan = KanBenchmarkModels.Kan(basis);
        using var mlp = KanBenchmarkModels.MatchedMlp(KanBenchmarkModels.ParameterCount(kan));
        using var input = randn(KanBenchmarkModels.BatchSize, KanBenchmarkModels.Widths[0]);
        for (int i = 0; i < 5; i++)
        {
            KanBenchmarkModels.ForwardBackward(mlp, input);
            KanBenchmarkModels.ForwardBackward(kan, input);
        }
        var ratios = new double[Rounds];
        for (int r = 0; r < Rounds; r++)
            ratios[r] = TimeSteps(kan, input) / TimeSteps(mlp, input);
        Array.Sort(ratios);
        return $"{ratios[Rounds / 2]:F2} ({ratios[Rounds / 4]:F2}–{ratios[3 * Rounds / 4]:F2})";
    }

    private static double TimeSteps(nn.Module<Tensor, Tensor> model, Tensor input)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < StepsPerRound; i++)
            KanBenchmarkModels.ForwardBackward(model, input);
        return watch.Elapsed.TotalMilliseconds;
    }
}
