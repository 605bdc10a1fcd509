namespace QuantumKan.Audio.Mel;

/// <summary>A time-major matrix of frames × mel bands (row t holds frame t's bands).</summary>
/// <param name="Values">Row-major values, <c>FrameCount × MelBands</c>.</param>
/// <param name="FrameCount">Number of frames (rows).</param>
/// <param name="MelBands">Number of bands (columns).</param>
public sealed record MelFrames(float[] Values, int FrameCount, int MelBands)
{
    /// <summary>The value of band <paramref name="band"/> in frame <paramref name="frame"/>.</summary>
    public float this[int frame, int band] => Values[frame * MelBands + band];

    /// <summary>Frame <paramref name="frame"/>'s bands.</summary>
    public ReadOnlySpan<float> Frame(int frame) => Values.AsSpan(frame * MelBands, MelBands);
}
