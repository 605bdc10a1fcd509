using BenchmarkDotNet.Attributes;
using QuantumKan.Audio.Mel;
using QuantumKan.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Bench.Audio;

/// <summary>
/// Why the STFT is a managed FFT and not torch.stft: the same log-mel (1 s 16 kHz, n_fft 512, hop 160, 64 mels, and a
/// batch of 32 such clips) both ways, on one thread. The TorchSharp path uses torch.stft with return_complex, abs²,
/// a matmul with our filterbank and a log, inside a dispose scope.
/// </summary>
[MemoryDiagnoser]
public class FftChoiceBenchmarks
{
    private const int Batch = 32;
    private readonly LogMelFeaturizer _featurizer = new(new LogMelOptions());
    private float[] _clip = [];
    private float[][] _batch = [];
    private Tensor _window = null!, _filterbank = null!;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.SetIntraOpThreads(1);
        _clip = BenchClips.Signal(16000, 1.0);
        _batch = Enumerable.Range(0, Batch).Select(_ => _clip).ToArray();
        _window = hann_window(512, periodic: true);
        var bank = _featurizer.Filterbank.ToDense(); // [mels, bins]
        _filterbank = tensor(bank.Cast<float>().ToArray(), [bank.GetLength(0), bank.GetLength(1)]).t().contiguous(); // [bins, mels]
    }

    [Benchmark(Baseline = true, Description = "managed FFT, 1 clip")]
    public float[] ManagedOne() => _featurizer.Featurize(_clip);

    [Benchmark(Description = "torch.stft, 1 clip")]
    public float[] TorchOne()
    {
        using var scope = NewDisposeScope();
        return TorchLogMel(tensor(_clip).unsqueeze(0)).data<float>().ToArray();
    }

    [Benchmark(Description = "managed FFT, batch of 32")]
    public int ManagedBatch()
    {
        int n = 0;
        foreach (var clip in _batch)
            n += _featurizer.Featurize(clip).Length;
        return n;
    }

    [Benchmark(Description = "torch.stft, batch of 32")]
    public int TorchBatch()
    {
        using var scope = NewDisposeScope();
        var signals = stack(_batch.Select(c => tensor(c)).ToArray());
        return (int)TorchLogMel(signals).numel();
    }

    // [batch, samples] → [batch, frames, mels]
    private Tensor TorchLogMel(Tensor signals)
    {
        var spec = stft(signals, 512, hop_length: 160, window: _window, center: true, pad_mode: PaddingModes.Reflect, return_complex: true);
        var power = spec.abs().pow(2).transpose(1, 2); // [batch, frames, bins]
        return (power.matmul(_filterbank) + 1e-6f).log();
    }
}
