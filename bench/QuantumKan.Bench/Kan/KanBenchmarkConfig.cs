using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace QuantumKan.Bench.Kan;

/// <summary>
/// A short job (3 warm-ups, 20 measured iterations of ~200 ms, one launch) so the KAN suite finishes in a few minutes
/// on a shared 2-core machine, plus the median (robust to bursts of load from other processes), parameter-count,
/// retained-memory and interleaved-ratio columns. It runs in process: the out-of-process project BenchmarkDotNet generates does not carry
/// the libtorch natives.
/// </summary>
public sealed class KanBenchmarkConfig : ManualConfig
{
    public KanBenchmarkConfig()
    {
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(20)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(200))
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId("Short"));
        AddColumn(StatisticColumn.Median, new KanParameterCountColumn(), new KanRetainedMemoryColumn(), new KanInterleavedRatioColumn());
    }
}
