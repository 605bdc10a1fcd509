namespace QuantumKan.Training.Data.Frames;

/// <summary>A source whose examples change with the epoch (random crops); the trainer announces each epoch before its steps.</summary>
public interface IEpochDependentSource
{
    /// <summary>Called before the steps of <paramref name="epoch"/> (0-based), also when a run resumes inside it.</summary>
    void BeginEpoch(int epoch);
}

/// <summary>
/// Training examples for a frame encoder: one random crop of <see cref="CropFrames"/> frames per clip and epoch,
/// <c>[CropFrames, bands]</c>; clips shorter than the crop are tiled. The crop start is a pure function of
/// (seed, epoch, clip), so runs are deterministic and a resumed run sees the same crops.
/// </summary>
public sealed class FrameCropSource : IFeatureSource, IEpochDependentSource
{
    private readonly long _seed;
    private int _epoch;

    /// <summary>Creates the source.</summary>
    /// <param name="clips">The training clips.</param>
    /// <param name="cropFrames">Frames per crop.</param>
    /// <param name="seed">Seeds the crop positions.</param>
    public FrameCropSource(FrameClips clips, int cropFrames, long seed)
    {
        Clips = clips ?? throw new ArgumentNullException(nameof(clips));
        ArgumentOutOfRangeException.ThrowIfLessThan(cropFrames, 1);
        CropFrames = cropFrames;
        _seed = seed;
        FeatureShape = [cropFrames, clips.Bands];
    }

    /// <summary>The clips cropped.</summary>
    public FrameClips Clips { get; }

    /// <summary>Frames per crop.</summary>
    public int CropFrames { get; }

    /// <inheritdoc />
    public int Count => Clips.Count;

    /// <inheritdoc />
    public IReadOnlyList<int> FeatureShape { get; }

    /// <inheritdoc />
    public int FeatureSize => CropFrames * Clips.Bands;

    /// <inheritdoc />
    public int LabelSize => Clips.LabelSize;

    /// <inheritdoc />
    public void BeginEpoch(int epoch) => _epoch = epoch;

    /// <summary>The first frame of clip <paramref name="index"/>'s crop in <paramref name="epoch"/>.</summary>
    public int CropStart(int index, int epoch)
    {
        int spare = Clips.FrameCount(index) - CropFrames;
        if (spare <= 0)
            return 0;
        ulong h = ShuffledOrder.Mix((ulong)_seed ^ ShuffledOrder.Mix(0xC809_0000UL + (ulong)epoch) ^ ShuffledOrder.Mix((ulong)index + 0x1234_5678UL));
        return (int)(h % (ulong)(spare + 1));
    }

    /// <inheritdoc />
    public void ReadFeatures(int index, Span<float> destination) =>
        Clips.ReadTiled(index, CropStart(index, _epoch), CropFrames, destination);

    /// <inheritdoc />
    public void ReadLabels(int index, Span<float> destination) => Clips.Labels(index).CopyTo(destination);
}

/// <summary>
/// Validation (and batch scoring) examples for a frame encoder: every clip cut into patches of
/// <see cref="PatchFrames"/> frames, <see cref="HopFrames"/> apart, the last one aligned with the clip's end; a clip
/// shorter than a patch gives one tiled patch. Clip-level metrics average each clip's patch logits.
/// </summary>
public sealed class FramePatchSource : IClipPatchSource
{
    private readonly int[] _firstPatch;   // [clips + 1]

    /// <summary>Creates the source.</summary>
    public FramePatchSource(FrameClips clips, int patchFrames, int hopFrames)
    {
        Clips = clips ?? throw new ArgumentNullException(nameof(clips));
        ArgumentOutOfRangeException.ThrowIfLessThan(patchFrames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hopFrames, 1);
        PatchFrames = patchFrames;
        HopFrames = hopFrames;
        _firstPatch = new int[clips.Count + 1];
        for (int c = 0; c < clips.Count; c++)
            _firstPatch[c + 1] = checked(_firstPatch[c] + PatchCount(clips.FrameCount(c), patchFrames, hopFrames));
        FeatureShape = [patchFrames, clips.Bands];
    }

    /// <summary>Patches a clip of <paramref name="frames"/> frames yields: 1 + ⌈(F − P)/H⌉, or 1 when F ≤ P.</summary>
    public static int PatchCount(int frames, int patchFrames, int hopFrames) =>
        frames <= patchFrames ? 1 : 1 + (frames - patchFrames + hopFrames - 1) / hopFrames;

    /// <summary>The first frame of patch <paramref name="patch"/> of a clip of <paramref name="frames"/> frames.</summary>
    public static int PatchStart(int patch, int frames, int patchFrames, int hopFrames) =>
        Math.Max(0, Math.Min(patch * hopFrames, frames - patchFrames));

    /// <summary>The clips cut.</summary>
    public FrameClips Clips { get; }

    /// <summary>Frames per patch.</summary>
    public int PatchFrames { get; }

    /// <summary>Frames between patch starts.</summary>
    public int HopFrames { get; }

    /// <inheritdoc />
    public int Count => _firstPatch[^1];

    /// <inheritdoc />
    public int ClipCount => Clips.Count;

    /// <inheritdoc />
    public IReadOnlyList<int> FeatureShape { get; }

    /// <inheritdoc />
    public int FeatureSize => PatchFrames * Clips.Bands;

    /// <inheritdoc />
    public int LabelSize => Clips.LabelSize;

    /// <inheritdoc />
    public int ClipOf(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Patch index must be in [0, {Count}).");
        int i = Array.BinarySearch(_firstPatch, 0, Clips.Count, index);
        return i >= 0 ? i : ~i - 1;
    }

    /// <inheritdoc />
    public void ReadFeatures(int index, Span<float> destination)
    {
        int clip = ClipOf(index);
        int start = PatchStart(index - _firstPatch[clip], Clips.FrameCount(clip), PatchFrames, HopFrames);
        Clips.ReadTiled(clip, start, PatchFrames, destination);
    }

    /// <inheritdoc />
    public void ReadLabels(int index, Span<float> destination) => Clips.Labels(ClipOf(index)).CopyTo(destination);
}
