namespace QuantumKan.Audio.Mel;

/// <summary>Fixed-length views of a variable number of frames: crop/fill to T frames, and overlapping patches.</summary>
public static class FrameFitting
{
    /// <summary>
    /// Exactly <paramref name="targetFrames"/> frames: a longer clip keeps its first T frames; a shorter one is tiled
    /// (its frames repeated from the start) or padded with <paramref name="silence"/>.
    /// </summary>
    /// <param name="frames">Frames × bands, at least one frame.</param>
    /// <param name="targetFrames">T, ≥ 1.</param>
    /// <param name="fill">How to fill a short clip.</param>
    /// <param name="silence">The value of a padded frame (the output scale's floor).</param>
    /// <returns><c>T × bands</c> values.</returns>
    public static float[] Fit(MelFrames frames, int targetFrames, ShortClipFill fill, float silence)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetFrames, 1);
        var output = new float[targetFrames * frames.MelBands];
        CopyFitted(frames, 0, targetFrames, fill, silence, output);
        return output;
    }

    /// <summary>
    /// Overlapping patches of <paramref name="patchFrames"/> frames, <paramref name="hopFrames"/> apart (the FSD50K recipe
    /// with 1 s patches and 50% overlap). A clip shorter than one patch gives one patch, tiled or padded. Otherwise
    /// patches start at 0, H, 2H, … and the last one is aligned with the clip's end so no frame is dropped.
    /// With <paramref name="patchCount"/> K &gt; 0 the result has exactly K patches: K evenly spaced ones when the clip
    /// yields more, the clip's patches repeated in order (tile) or silent patches (pad) when it yields fewer.
    /// </summary>
    /// <param name="frames">Frames × bands, at least one frame.</param>
    /// <param name="patchFrames">P, frames per patch, ≥ 1.</param>
    /// <param name="hopFrames">H, frames between patch starts, ≥ 1.</param>
    /// <param name="patchCount">K, or 0 to keep every patch.</param>
    /// <param name="fill">How to fill short clips and missing patches.</param>
    /// <param name="silence">The value of padded frames.</param>
    /// <returns><c>patches × P × bands</c> values.</returns>
    public static float[] Patches(MelFrames frames, int patchFrames, int hopFrames, int patchCount, ShortClipFill fill, float silence)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentOutOfRangeException.ThrowIfLessThan(patchFrames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hopFrames, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(patchCount);
        var starts = PatchStarts(frames.FrameCount, patchFrames, hopFrames);
        int count = patchCount > 0 ? patchCount : starts.Length;
        int patchSize = patchFrames * frames.MelBands;
        var output = new float[count * patchSize];
        for (int i = 0; i < count; i++)
        {
            var dst = output.AsSpan(i * patchSize, patchSize);
            int source;
            if (patchCount == 0 || starts.Length == patchCount)
                source = i;
            else if (starts.Length > patchCount)
                source = patchCount == 1 ? 0 : (int)Math.Round((double)i * (starts.Length - 1) / (patchCount - 1));
            else if (fill == ShortClipFill.Tile)
                source = i % starts.Length;
            else
                source = i < starts.Length ? i : -1;
            if (source < 0)
                dst.Fill(silence);
            else
                CopyFitted(frames, starts[source], patchFrames, fill, silence, dst);
        }
        return output;
    }

    /// <summary>Number of patches a clip of <paramref name="frameCount"/> frames yields (before <c>patchCount</c> is applied).</summary>
    /// <param name="frameCount">Frames in the clip.</param>
    /// <param name="patchFrames">P.</param>
    /// <param name="hopFrames">H.</param>
    /// <returns>1 + ⌈(F − P) / H⌉, or 1 when F ≤ P.</returns>
    public static int PatchCountFor(int frameCount, int patchFrames, int hopFrames) =>
        frameCount <= patchFrames ? 1 : 1 + (frameCount - patchFrames + hopFrames - 1) / hopFrames;

    private static int[] PatchStarts(int frameCount, int patchFrames, int hopFrames)
    {
        int n = PatchCountFor(frameCount, patchFrames, hopFrames);
        var starts = new int[n];
        for (int i = 0; i < n; i++)
            starts[i] = Math.Max(0, Math.Min(i * hopFrames, frameCount - patchFrames));
        return starts;
    }

    // Copies `length` frames starting at `start`, continuing past the clip's end by tiling from frame 0 or padding.
    private static void CopyFitted(MelFrames frames, int start, int length, ShortClipFill fill, float silence, Span<float> dst)
    {
        if (frames.FrameCount == 0)
            throw new ArgumentException("Fitting needs at least one frame.", nameof(frames));
        int bands = frames.MelBands;
        for (int t = 0; t < length; t++)
        {
            int source = start + t;
            var row = dst.Slice(t * bands, bands);
            if (source < frames.FrameCount)
                frames.Frame(source).CopyTo(row);
            else if (fill == ShortClipFill.Tile)
                frames.Frame(source % frames.FrameCount).CopyTo(row);
            else
                row.Fill(silence);
        }
    }
}
