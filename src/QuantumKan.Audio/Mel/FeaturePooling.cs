namespace QuantumKan.Audio.Mel;

/// <summary>
/// Pools a variable number of frames into a fixed-size vector: per-band statistics over S equal time segments, kept
/// in temporal order (which is what tells an up-chirp from a down-chirp).
/// </summary>
public static class FeaturePooling
{
    /// <summary>Output length: segments × statistics × bands.</summary>
    /// <param name="bands">Mel bands.</param>
    /// <param name="statistics">Statistics selected.</param>
    /// <param name="segments">Time segments.</param>
    /// <returns>The number of values <see cref="Pool"/> returns.</returns>
    public static int OutputLength(int bands, PoolingStatistics statistics, int segments) =>
        segments * System.Numerics.BitOperations.PopCount((uint)statistics) * bands;

    /// <summary>
    /// Pools frames. Segment s covers frames [⌊s·F/S⌋, ⌊(s+1)·F/S⌋); when F &lt; S a segment takes the single frame
    /// ⌊s·F/S⌋, so every segment is defined. Layout: <c>[segment][statistic][band]</c>, statistics in the order Mean, Std, Max.
    /// </summary>
    /// <param name="frames">Frames × bands (at least one frame).</param>
    /// <param name="statistics">Which statistics; at least one.</param>
    /// <param name="segments">Number of equal time segments, ≥ 1; 1 pools the whole clip.</param>
    /// <returns>The pooled vector.</returns>
    public static float[] Pool(MelFrames frames, PoolingStatistics statistics, int segments = 1)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentOutOfRangeException.ThrowIfLessThan(segments, 1);
        if (frames.FrameCount == 0)
            throw new ArgumentException("Pooling needs at least one frame.", nameof(frames));
        if (statistics == PoolingStatistics.None)
            throw new ArgumentException("Select at least one statistic.", nameof(statistics));
        int bands = frames.MelBands, count = frames.FrameCount;
        var output = new float[OutputLength(bands, statistics, segments)];
        var sum = new double[bands];
        var sumSq = new double[bands];
        var max = new float[bands];
        int o = 0;
        for (int s = 0; s < segments; s++)
        {
            int start = (int)((long)s * count / segments);
            int end = Math.Max(start + 1, (int)((long)(s + 1) * count / segments));
            Array.Clear(sum);
            Array.Clear(sumSq);
            Array.Fill(max, float.NegativeInfinity);
            for (int t = start; t < end; t++)
            {
                var row = frames.Frame(t);
                for (int b = 0; b < bands; b++)
                {
                    float v = row[b];
                    sum[b] += v;
                    sumSq[b] += (double)v * v;
                    max[b] = Math.Max(max[b], v);
                }
            }
            int n = end - start;
            if (statistics.HasFlag(PoolingStatistics.Mean))
                for (int b = 0; b < bands; b++)
                    output[o++] = (float)(sum[b] / n);
            if (statistics.HasFlag(PoolingStatistics.Std))
                for (int b = 0; b < bands; b++)
                {
                    double mean = sum[b] / n;
                    output[o++] = (float)Math.Sqrt(Math.Max(0, sumSq[b] / n - mean * mean));
                }
            if (statistics.HasFlag(PoolingStatistics.Max))
                for (int b = 0; b < bands; b++)
                    output[o++] = max[b];
        }
        return output;
    }
}
