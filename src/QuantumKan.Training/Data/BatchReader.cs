using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Training.Data;

/// <summary>
/// Reads examples of an <see cref="IFeatureSource"/> into <see cref="TrainingBatch"/> tensors on a device.
/// Features are read straight into the native memory of a fresh CPU tensor, so reading allocates no managed arrays.
/// </summary>
public sealed class BatchReader
{
    private readonly IFeatureSource _source;
    private readonly Device _device;
    private readonly long[] _featureDims;

    /// <summary>Creates a reader of <paramref name="source"/> that places batches on <paramref name="device"/>.</summary>
    public BatchReader(IFeatureSource source, Device device)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _device = device ?? throw new ArgumentNullException(nameof(device));
        if (source.FeatureSize < 1 || source.LabelSize < 1)
            throw new ArgumentException($"The feature source has feature size {source.FeatureSize} and label size {source.LabelSize}; both must be positive.", nameof(source));
        _featureDims = source.FeatureShape.Select(d => (long)d).ToArray();
        if (_featureDims.Aggregate(1L, (a, d) => a * d) != source.FeatureSize)
            throw new ArgumentException($"The feature shape [{string.Join(", ", _featureDims)}] does not multiply to the feature size {source.FeatureSize}.", nameof(source));
    }

    /// <summary>The source this reader reads.</summary>
    public IFeatureSource Source => _source;

    /// <summary>Reads the examples at <paramref name="indices"/> (in that order) into a batch, created in the caller's dispose scope.</summary>
    public TrainingBatch Read(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Count == 0)
            throw new ArgumentException("A batch needs at least one example.", nameof(indices));
        int n = indices.Count, f = _source.FeatureSize, l = _source.LabelSize;
        var features = torch.empty([n, .. _featureDims], ScalarType.Float32);
        var labels = torch.empty([n, l], ScalarType.Float32);
        // A CPU tensor from torch.empty is contiguous: its bytes are the row-major [n, f] block we fill in place.
        var featureValues = MemoryMarshal.Cast<byte, float>(features.bytes);
        var labelValues = MemoryMarshal.Cast<byte, float>(labels.bytes);
        for (int i = 0; i < n; i++)
        {
            _source.ReadFeatures(indices[i], featureValues.Slice(i * f, f));
            _source.ReadLabels(indices[i], labelValues.Slice(i * l, l));
        }
        return new TrainingBatch(MoveToDevice(features), MoveToDevice(labels), indices.ToArray());
    }

    private Tensor MoveToDevice(Tensor t) => _device.type == DeviceType.CPU ? t : t.to(_device);
}
