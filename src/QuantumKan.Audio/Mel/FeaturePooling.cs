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

    /// <summary>
    /// <see cref="Pool"/> over frames that arrive one at a time, for a clip whose frame count is known up front and at
    /// least the number of segments (then the segments are disjoint and each frame belongs to exactly one). The sums run
    /// over the same values in the same order as <see cref="Pool"/>, so the result is bit-identical; memory is one
    /// segment's per-band statistics.
    /// </summary>
    internal sealed class Accumulator
    {
        private readonly PoolingStatistics _statistics;
        private readonly int _bands, _segments;
        private readonly long _frameCount;
        private readonly double[] _sum, _sumSq;
        private readonly float[] _max;
        private readonly float[] _output;
        private int _segment, _written;
        private long _frame, _segmentStart, _segmentEnd;

        public Accumulator(int bands, PoolingStatistics statistics, int segments, long frameCount)
        {
            if (frameCount < segments)
                throw new ArgumentOutOfRangeException(nameof(frameCount), frameCount, "Streamed pooling needs at least one frame per segment.");
            if (statistics == PoolingStatistics.None)
                throw new ArgumentException("Select at least one statistic.", nameof(statistics));
            (_bands, _statistics, _segments, _frameCount) = (bands, statistics, segments, frameCount);
            _output = new float[OutputLength(bands, statistics, segments)];
            _sum = new double[bands];
            _sumSq = new double[bands];
            _max = new float[bands];
            StartSegment(0);
        }

        /// <summary>Adds the next frame's bands.</summary>
        public void Add(ReadOnlySpan<float> row)
        {
            for (int b = 0; b < _bands; b++)
            {
                float v = row[b];
                _sum[b] += v;
                _sumSq[b] += (double)v * v;
                _max[b] = Math.Max(_max[b], v);
            }
            if (++_frame == _segmentEnd)
            {
                EmitSegment();
                if (++_segment < _segments)
                    StartSegment(_segment);
            }
        }

        /// <summary>The pooled vector, once every frame has been added.</summary>
        public float[] Result() => _segment == _segments
            ? _output
            : throw new InvalidOperationException($"{_frame} of {_frameCount} frames were added.");

        private void StartSegment(int s)
        {
            _segmentStart = s * _frameCount / _segments;
            _segmentEnd = (s + 1) * _frameCount / _segments;
            Array.Clear(_sum);
            Array.Clear(_sumSq);
            Array.Fill(_max, float.NegativeInfinity);
        }

        private void EmitSegment()
        {
            long n = _segmentEnd - _segmentStart;
            if (_statistics.HasFlag(PoolingStatistics.Mean))
                for (int b = 0; b < _bands; b++)
                    _output[_written++] = (float)(_sum[b] / n);
            if (_statistics.HasFlag(PoolingStatistics.Std))
                for (int b = 0; b < _bands; b++)
                {
                    double mean = _sum[b] / n;
                    _output[_written++] = (float)Math.Sqrt(Math.Max(0, _sumSq[b] / n - mean * mean));
                }
            if (_statistics.HasFlag(PoolingStatistics.Max))
                for (int b = 0; b < _bands; b++)
                    _output[_written++] = _max[b];
        }
    }
}
