using BenchmarkDotNet.Attributes;
using QuantumKan.Data.Synthesis;

namespace QuantumKan.Bench.Data;

/// <summary>Synthetic clip generation (1–4 s, 1–3 events) at 16 kHz and 44.1 kHz: how long the demo's data set takes.</summary>
[MemoryDiagnoser]
public class SyntheticSoundBenchmarks
{
    private SyntheticSoundGenerator _generator = null!;
    private long _index;

    [Params(16000, 44100)]
    public int SampleRate { get; set; }

    [GlobalSetup]
    public void Setup() => _generator = new SyntheticSoundGenerator(new SyntheticSoundSetOptions { SampleRate = SampleRate });

    /// <summary>One clip (a different index each call, so the cost averages over clip lengths and event mixes).</summary>
    [Benchmark]
    public int GenerateClip() => _generator.Generate(_index++ % 1000).Samples.Length;
}
