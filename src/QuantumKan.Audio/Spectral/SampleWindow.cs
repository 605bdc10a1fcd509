namespace QuantumKan.Audio.Spectral;

/// <summary>
/// The most recent samples of a signal that arrives in chunks, addressed by their index in the whole signal. Samples
/// before <see cref="Discard"/>'s bound are dropped, so memory stays at the largest span still needed plus one chunk.
/// </summary>
internal sealed class SampleWindow
{
    private float[] _samples = new float[4096];
    private int _count;

    /// <summary>Index in the whole signal of the first sample held.</summary>
    public long Start { get; private set; }

    /// <summary>Samples received so far (the index one past the last sample held).</summary>
    public long End => Start + _count;

    /// <summary>Appends the next samples of the signal.</summary>
    public void Append(ReadOnlySpan<float> samples)
    {
        if (_count + samples.Length > _samples.Length)
            Array.Resize(ref _samples, Math.Max(2 * _samples.Length, _count + samples.Length));
        samples.CopyTo(_samples.AsSpan(_count));
        _count += samples.Length;
    }

    /// <summary>Samples <c>[from, from + length)</c> of the signal; all of them must be held.</summary>
    public ReadOnlySpan<float> Slice(long from, int length)
    {
        if (from < Start || from + length > End)
            throw new InvalidOperationException($"Samples [{from}, {from + length}) are not held (window [{Start}, {End})).");
        return _samples.AsSpan((int)(from - Start), length);
    }

    /// <summary>Sample <paramref name="index"/> of the signal; it must be held.</summary>
    public float this[long index] => Slice(index, 1)[0];

    /// <summary>Drops the samples before <paramref name="keepFrom"/> (no longer needed by the caller).</summary>
    public void Discard(long keepFrom)
    {
        int drop = (int)Math.Clamp(keepFrom - Start, 0, _count);
        if (drop == 0)
            return;
        Array.Copy(_samples, drop, _samples, 0, _count - drop);
        _count -= drop;
        Start += drop;
    }
}
