namespace QuantumKan.Training.Data.Frames;

/// <summary>
/// Variable-length frame matrices <c>frames × bands</c>, one per clip, read by clip and frame range. Implemented over
/// the memory-mapped feature cache (each cached "patch" is one frame) and over arrays in memory.
/// </summary>
public interface IFrameStore
{
    /// <summary>Number of clips.</summary>
    int ClipCount { get; }

    /// <summary>Values per frame (mel bands).</summary>
    int Bands { get; }

    /// <summary>Frames of clip <paramref name="clip"/>, at least 1.</summary>
    int FrameCount(int clip);

    /// <summary>Copies frames <c>[start, start + destination.Length / Bands)</c> of a clip, which must lie inside it.</summary>
    void ReadFrames(int clip, int start, Span<float> destination);
}

/// <summary>Frame matrices held in memory (ML.NET rows read into RAM, tests).</summary>
public sealed class InMemoryFrameStore : IFrameStore
{
    private readonly float[][] _clips;

    /// <summary>Wraps one row-major <c>frames × bands</c> array per clip.</summary>
    /// <exception cref="ArgumentException">A clip is empty or not a whole number of frames.</exception>
    /// <exception cref="InvalidDataException">A value is NaN or infinite (the message names the clip and frame).</exception>
    public InMemoryFrameStore(IReadOnlyList<float[]> clips, int bands)
    {
        ArgumentNullException.ThrowIfNull(clips);
        ArgumentOutOfRangeException.ThrowIfLessThan(bands, 1);
        for (int c = 0; c < clips.Count; c++)
        {
            var v = clips[c] ?? throw new ArgumentException($"Clip {c} is null.", nameof(clips));
            if (v.Length == 0 || v.Length % bands != 0)
                throw new ArgumentException($"Clip {c} holds {v.Length} values, not a positive whole number of {bands}-band frames.", nameof(clips));
            int bad = Array.FindIndex(v, x => !float.IsFinite(x));
            if (bad >= 0)
                throw new InvalidDataException($"Clip {c}: frame {bad / bands}, band {bad % bands} is {v[bad]}; features must be finite.");
        }
        _clips = clips.ToArray();
        Bands = bands;
    }

    /// <inheritdoc />
    public int ClipCount => _clips.Length;

    /// <inheritdoc />
    public int Bands { get; }

    /// <inheritdoc />
    public int FrameCount(int clip) => _clips[clip].Length / Bands;

    /// <inheritdoc />
    public void ReadFrames(int clip, int start, Span<float> destination) =>
        _clips[clip].AsSpan(start * Bands, destination.Length).CopyTo(destination);
}

/// <summary>
/// Labelled clips of frames: a subset of a frame store's clips, each with its label vector. The training crop source
/// and the validation patch source read from it; <see cref="HoldOut"/> splits whole clips.
/// </summary>
public sealed class FrameClips
{
    private readonly IFrameStore _store;
    private readonly float[] _labels;   // [store clips, LabelSize]
    private readonly int[] _clips;      // store clip of each of this set's clips

    /// <summary>Pairs a store with per-clip labels.</summary>
    /// <param name="store">The frames.</param>
    /// <param name="clipLabels">Row-major <c>[store clips, labelSize]</c> label vectors.</param>
    /// <param name="labelSize">Classes.</param>
    /// <param name="clips">The store clips in this set, in order; null for all.</param>
    public FrameClips(IFrameStore store, float[] clipLabels, int labelSize, int[]? clips = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clipLabels);
        ArgumentOutOfRangeException.ThrowIfLessThan(labelSize, 1);
        if (clipLabels.Length != (long)store.ClipCount * labelSize)
            throw new ArgumentException($"Expected {store.ClipCount} clips × {labelSize} labels = {(long)store.ClipCount * labelSize} values, got {clipLabels.Length}.", nameof(clipLabels));
        int bad = Array.FindIndex(clipLabels, v => !float.IsFinite(v));
        if (bad >= 0)
            throw new InvalidDataException($"Clip {bad / labelSize}: label {bad % labelSize} is {clipLabels[bad]}.");
        _store = store;
        _labels = clipLabels;
        LabelSize = labelSize;
        _clips = clips ?? Enumerable.Range(0, store.ClipCount).ToArray();
        if (_clips.Any(c => (uint)c >= (uint)store.ClipCount))
            throw new ArgumentOutOfRangeException(nameof(clips), "A clip index is outside the store.");
    }

    /// <summary>Clips in this set.</summary>
    public int Count => _clips.Length;

    /// <summary>Values per frame.</summary>
    public int Bands => _store.Bands;

    /// <summary>Classes.</summary>
    public int LabelSize { get; }

    /// <summary>Frames of clip <paramref name="clip"/> of this set.</summary>
    public int FrameCount(int clip) => _store.FrameCount(_clips[clip]);

    /// <summary>Copies frames of clip <paramref name="clip"/> of this set (see <see cref="IFrameStore.ReadFrames"/>).</summary>
    public void ReadFrames(int clip, int start, Span<float> destination) => _store.ReadFrames(_clips[clip], start, destination);

    /// <summary>The label vector of clip <paramref name="clip"/> of this set.</summary>
    public ReadOnlySpan<float> Labels(int clip) => _labels.AsSpan(_clips[clip] * LabelSize, LabelSize);

    /// <summary>
    /// Copies <paramref name="length"/> frames starting at <paramref name="start"/> into <paramref name="destination"/>,
    /// continuing from the clip's first frame when the clip ends first (tiling, as the front end fills short clips).
    /// </summary>
    public void ReadTiled(int clip, int start, int length, Span<float> destination)
    {
        int frames = FrameCount(clip), bands = Bands, written = 0;
        while (written < length)
        {
            int from = (start + written) % frames;
            int run = Math.Min(length - written, frames - from);
            ReadFrames(clip, from, destination.Slice(written * bands, run * bands));
            written += run;
        }
    }

    /// <summary>Per-band mean and standard deviation over every frame of every clip (double accumulators, one pass).</summary>
    public (float[] Mean, float[] Std) BandStatistics()
    {
        int bands = Bands;
        var sum = new double[bands];
        var squares = new double[bands];
        long frames = 0;
        var buffer = new float[Math.Max(1, 4096 / bands) * bands];
        for (int c = 0; c < Count; c++)
        {
            int n = FrameCount(c);
            for (int start = 0; start < n; start += buffer.Length / bands)
            {
                int run = Math.Min(n - start, buffer.Length / bands);
                var span = buffer.AsSpan(0, run * bands);
                ReadFrames(c, start, span);
                for (int i = 0; i < span.Length; i++)
                {
                    double v = span[i];
                    sum[i % bands] += v;
                    squares[i % bands] += v * v;
                }
            }
            frames += n;
        }
        var mean = new float[bands];
        var std = new float[bands];
        for (int b = 0; b < bands; b++)
        {
            double m = sum[b] / Math.Max(1, frames);
            mean[b] = (float)m;
            std[b] = (float)Math.Sqrt(Math.Max(0, squares[b] / Math.Max(1, frames) - m * m));
        }
        return (mean, std);
    }

    /// <summary>Holds out about <paramref name="fraction"/> of the clips (a seeded shuffle; whole clips, at least one each side).</summary>
    public (FrameClips Train, FrameClips HeldOut) HoldOut(double fraction, long seed)
    {
        if (fraction is <= 0 or >= 1 || double.IsNaN(fraction))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The held-out fraction must be in (0, 1).");
        if (Count < 2)
            throw new ArgumentException($"Cannot hold out part of {Count} clip(s); at least 2 are needed.");
        int heldOut = Math.Clamp((int)Math.Round(Count * fraction), 1, Count - 1);
        var held = new bool[Count];
        // The same stream HoldOutSplit uses, so pooled and frame runs of one seed hold out the same clips.
        foreach (var clip in ShuffledOrder.ForEpoch(Count, seed ^ 0x4845_4C44_4F55_5421L, 0).Take(heldOut))
            held[clip] = true;
        return (Subset(Enumerable.Range(0, Count).Where(i => !held[i])), Subset(Enumerable.Range(0, Count).Where(i => held[i])));
    }

    private FrameClips Subset(IEnumerable<int> indices) => new(_store, _labels, LabelSize, indices.Select(i => _clips[i]).ToArray());
}
