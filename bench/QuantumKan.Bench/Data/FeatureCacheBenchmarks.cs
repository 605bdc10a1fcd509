using BenchmarkDotNet.Attributes;
using QuantumKan.Data.Cache;

namespace QuantumKan.Bench.Data;

/// <summary>
/// Reading patches from a warm feature cache: 2000 patches of 96 mels × 101 frames (the FSD50K 1 s patch at hop
/// 10 ms), ~78 MB, in file order and in a shuffled (training) order. Also reports allocations, which must stay ~0.
/// </summary>
[MemoryDiagnoser]
public class FeatureCacheBenchmarks
{
    private const int Clips = 200, PatchesPerClip = 10, Mels = 96, Frames = 101;
    private string _root = "";
    private FeatureCacheView _view = null!;
    private int[] _shuffled = [];
    private readonly float[] _buffer = new float[Mels * Frames];

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("qkan-bench-cache-").FullName;
        var sources = Enumerable.Range(0, Clips).Select(i =>
        {
            string path = Path.Combine(_root, $"clip{i}.bin");
            File.WriteAllBytes(path, BitConverter.GetBytes(i));
            return path;
        }).ToArray();
        var featurizer = new DelegateClipFeaturizer("bench", [Frames, Mels], p => Enumerable.Range(0, PatchesPerClip * Mels * Frames).Select(i => (float)(i % 251)).ToArray());
        _view = FeatureCache.Open(Path.Combine(_root, "cache"), sources, featurizer);
        _shuffled = Enumerable.Range(0, _view.PatchCount).ToArray();
        new Random(1).Shuffle(_shuffled);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _view.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Every patch in file order.</summary>
    [Benchmark(OperationsPerInvoke = Clips * PatchesPerClip)]
    public float ReadPatchSequential()
    {
        float s = 0;
        for (int i = 0; i < _view.PatchCount; i++)
        {
            _view.ReadPatch(i, _buffer);
            s += _buffer[0];
        }
        return s;
    }

    /// <summary>Every patch in a shuffled order, as an epoch reads them.</summary>
    [Benchmark(OperationsPerInvoke = Clips * PatchesPerClip)]
    public float ReadPatchShuffled()
    {
        float s = 0;
        foreach (int i in _shuffled)
        {
            _view.ReadPatch(i, _buffer);
            s += _buffer[0];
        }
        return s;
    }
}
