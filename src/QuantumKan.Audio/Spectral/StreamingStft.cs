using QuantumKan.Audio.Mel;

namespace QuantumKan.Audio.Spectral;

/// <summary>
/// The frames of <see cref="StftPlan"/> for a signal that arrives in chunks, in order, each frame as soon as its samples
/// (and, at the ends, those its reflection padding reads) have arrived. The signal's total length must be known up
/// front: the last frames' padding reflects its end. Each frame's samples are exactly those the whole-signal
/// <see cref="StftPlan.Pad"/> would give it, so the spectra are bit-identical; memory is one FFT window plus a chunk.
/// </summary>
internal sealed class StreamingStft
{
    private readonly StftPlan _plan;
    private readonly long _length, _period;
    private readonly int _pad;
    private readonly SampleWindow _window = new();
    private readonly float[] _frame;
    private readonly float[][] _scratch;
    private long _next;

    /// <param name="plan">The framing and FFT.</param>
    /// <param name="signalLength">Samples the whole signal will have.</param>
    public StreamingStft(StftPlan plan, long signalLength)
    {
        _plan = plan;
        _length = signalLength;
        _period = 2 * (signalLength - 1);
        _pad = plan.Center ? plan.FftSize / 2 : 0;
        FrameCount = plan.FrameCount(signalLength);
        _frame = new float[plan.FftSize];
        _scratch = plan.CreateScratch();
    }

    /// <summary>Frames the whole signal gives.</summary>
    public long FrameCount { get; }

    /// <summary>Whether every frame has been handed out (the whole signal has arrived).</summary>
    public bool IsFinished => _next == FrameCount;

    /// <summary>
    /// Appends the next samples and hands every frame now complete to <paramref name="onFrame"/> (frame index and its
    /// spectrum, valid only during the call).
    /// </summary>
    public void Append(ReadOnlySpan<float> samples, FrameHandler onFrame)
    {
        if (_window.End + samples.Length > _length)
            throw new InvalidOperationException($"The signal was declared {_length} samples long.");
        _window.Append(samples);
        for (; _next < FrameCount && IsComplete(_next); _next++)
            onFrame(_next, Spectrum(_next));
        // Later frames start at or after this frame's first sample; reflection at the end reads at most one FFT back.
        _window.Discard(_next * _plan.HopLength - _pad - _plan.FftSize);
    }

    /// <summary>Handles one frame's spectrum.</summary>
    public delegate void FrameHandler(long frame, ReadOnlySpan<float> spectrum);

    // Frame t reads padded samples [t·hop, t·hop + n_fft), i.e. signal samples from t·hop − pad; near the start the
    // reflection reads up to sample pad, near the end up to the last sample.
    private bool IsComplete(long frame)
    {
        if (_window.End == _length)
            return true;
        long end = frame * _plan.HopLength - _pad + _plan.FftSize;
        return _window.End >= Math.Max(end, _pad + 1L) && end <= _length;
    }

    private ReadOnlySpan<float> Spectrum(long frame)
    {
        long from = frame * _plan.HopLength - _pad;
        int size = _plan.FftSize;
        if (from >= 0 && from + size <= _length)
            return _plan.Spectrum(_window.Slice(from, size), _scratch);
        for (int i = 0; i < size; i++)
        {
            long index = from + i;
            if (index >= 0 && index < _length)
                _frame[i] = _window[index];
            else
                _frame[i] = _plan.PadMode == PadMode.Reflect ? _window[StftPlan.Reflect(index, _length, _period)] : 0f;
        }
        return _plan.Spectrum(_frame, _scratch);
    }
}
