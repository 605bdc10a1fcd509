using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace QuantumKan.Data.Cache;

/// <summary>
/// Read access to the cached patches of a list of clips, numbered in list order: clip c owns patches
/// <c>[PatchStart(c), PatchStart(c) + PatchCountOf(c))</c>. The data file is memory-mapped, so reads copy straight
/// from the OS page cache and nothing is held in managed memory beyond the offsets table. Reads are thread-safe;
/// dispose the view only when no read is in flight.
/// </summary>
public sealed unsafe class FeatureCacheView : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _accessor;
    private readonly byte* _base;
    private readonly long[] _clipOffset;   // [clips] byte offset of each clip's first patch
    private readonly int[] _patchStart;    // [clips + 1] first patch index of each clip, then the total
    private readonly int[] _patchShape;
    private readonly string[] _paths;
    private readonly int _patchBytes;
    private readonly int _elementBytes;   // 4 (float32) or 2 (float16)
    private int _disposed;

    internal FeatureCacheView(string dataPath, FeatureCacheIndex index, string[] paths, FeatureCacheBuildReport report)
    {
        _paths = paths;
        _patchShape = index.PatchShape;
        _patchBytes = index.PatchBytes;
        _elementBytes = index.ElementBytes;
        Report = report;
        var byPath = index.Entries.ToDictionary(e => e.Path, StringComparer.Ordinal);
        _clipOffset = new long[paths.Length];
        _patchStart = new int[paths.Length + 1];
        long total = 0;
        for (int c = 0; c < paths.Length; c++)
        {
            var entry = byPath[paths[c]];
            _clipOffset[c] = entry.Offset;
            _patchStart[c] = (int)total;
            total += entry.Patches;
            if (total > int.MaxValue)
                throw new NotSupportedException($"The clips hold more than {int.MaxValue} patches; split the list.");
        }
        _patchStart[paths.Length] = (int)total;

        // Shared read/write/delete, so a later build may append to (or replace) the file while this view is open.
        var stream = new FileStream(dataPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        _file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        _accessor = _file.CreateViewAccessor(0, index.DataLength, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        _accessor.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _accessor.PointerOffset;
    }

    /// <summary>What the build that opened this view did (reused, computed, discarded).</summary>
    public FeatureCacheBuildReport Report { get; }

    /// <summary>The number of clips.</summary>
    public int ClipCount => _paths.Length;

    /// <summary>The number of patches over all clips.</summary>
    public int PatchCount => _patchStart[^1];

    /// <summary>The shape of one patch.</summary>
    public IReadOnlyList<int> PatchShape => _patchShape;

    /// <summary>Floats per patch.</summary>
    public int PatchSize => _patchBytes / _elementBytes;

    /// <summary>Whether values are stored as float16 (reads convert them to float32).</summary>
    public bool IsFloat16 => _elementBytes == 2;

    /// <summary>The source path of clip <paramref name="clip"/>.</summary>
    public string PathOf(int clip) => _paths[CheckClip(clip)];

    /// <summary>The first patch index of clip <paramref name="clip"/>.</summary>
    public int PatchStart(int clip) => _patchStart[CheckClip(clip)];

    /// <summary>The number of patches of clip <paramref name="clip"/>.</summary>
    public int PatchCountOf(int clip) => _patchStart[CheckClip(clip) + 1] - _patchStart[clip];

    /// <summary>The clip that patch <paramref name="patch"/> belongs to.</summary>
    public int ClipOf(int patch)
    {
        CheckPatch(patch);
        int i = Array.BinarySearch(_patchStart, 0, _paths.Length, patch);
        if (i >= 0)
        {
            // Clips have at least one patch, so starts are strictly increasing and the match is unique.
            return i;
        }
        return ~i - 1;
    }

    /// <summary>Copies patch <paramref name="patch"/> into <paramref name="destination"/> (exactly <see cref="PatchSize"/> floats).</summary>
    public void ReadPatch(int patch, Span<float> destination)
    {
        if (destination.Length != PatchSize)
            throw new ArgumentException($"The destination holds {destination.Length} floats; a patch has {PatchSize}.", nameof(destination));
        int clip = ClipOf(patch);
        Copy(_clipOffset[clip] + (long)(patch - _patchStart[clip]) * _patchBytes, destination);
    }

    /// <summary>Copies every patch of clip <paramref name="clip"/> into <paramref name="destination"/> (patches × patch size floats).</summary>
    public void ReadClip(int clip, Span<float> destination)
    {
        int floats = PatchCountOf(clip) * PatchSize;
        if (destination.Length != floats)
            throw new ArgumentException($"The destination holds {destination.Length} floats; clip {clip} has {floats}.", nameof(destination));
        Copy(_clipOffset[clip], destination);
    }

    /// <summary>Copies patches <c>[first, first + n)</c> of clip <paramref name="clip"/> (n = destination length / patch size; must lie inside the clip).</summary>
    public void ReadPatches(int clip, int first, Span<float> destination)
    {
        int count = destination.Length / PatchSize;
        if (destination.Length % PatchSize != 0 || first < 0 || first + count > PatchCountOf(clip))
            throw new ArgumentOutOfRangeException(nameof(first), first, $"Patches [{first}, {first + count}) are not inside clip {clip}'s {PatchCountOf(clip)}.");
        Copy(_clipOffset[clip] + (long)first * _patchBytes, destination);
    }

    /// <summary>Every patch of clip <paramref name="clip"/> in a new array.</summary>
    public float[] ReadClip(int clip)
    {
        var values = new float[PatchCountOf(clip) * PatchSize];
        ReadClip(clip, values);
        return values;
    }

    /// <summary>Unmaps the data file.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _accessor.SafeMemoryMappedViewHandle.ReleasePointer();
        _accessor.Dispose();
        _file.Dispose();
    }

    // Copies destination.Length stored values starting at byte `offset`, converting float16 to float32.
    private void Copy(long offset, Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_elementBytes == sizeof(float))
        {
            MemoryMarshal.Cast<byte, float>(new ReadOnlySpan<byte>(_base + offset, destination.Length * sizeof(float))).CopyTo(destination);
            return;
        }
        var halves = MemoryMarshal.Cast<byte, Half>(new ReadOnlySpan<byte>(_base + offset, destination.Length * 2));
        for (int i = 0; i < halves.Length; i++)
            destination[i] = (float)halves[i];
    }

    private int CheckClip(int clip) =>
        (uint)clip < (uint)_paths.Length ? clip : throw new ArgumentOutOfRangeException(nameof(clip), clip, $"Clip index must be in [0, {_paths.Length}).");

    private void CheckPatch(int patch)
    {
        if ((uint)patch >= (uint)PatchCount)
            throw new ArgumentOutOfRangeException(nameof(patch), patch, $"Patch index must be in [0, {PatchCount}).");
    }
}
