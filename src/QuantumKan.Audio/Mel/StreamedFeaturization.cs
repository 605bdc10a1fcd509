using QuantumKan.Audio.Resampling;
using QuantumKan.Audio.Spectral;
using QuantumKan.Audio.Wav;

namespace QuantumKan.Audio.Mel;

/// <summary>
/// Log-mel features of a WAV file read a chunk at a time: decode (<see cref="WavMonoReader"/>) → resample
/// (<see cref="SincResampler.ResamplerStream"/>) → STFT (<see cref="StreamingStft"/>) → mel filterbank, each stage
/// keeping only the samples it still needs. Every stage computes each value from exactly the inputs the whole-clip
/// path uses, in the same order, so the features equal <see cref="AudioFrontEnd.Featurize(AudioClip, string)"/> of
/// the decoded clip bit for bit.
/// <para>
/// Memory beyond a few chunks: the features themselves; for the pooled layout with an element-wise output scale (log,
/// power, or dB without a top_db floor) not even the frames, since each frame is scaled and pooled as it comes. A
/// layout or scale that needs the whole clip's frames first (fixed frames, patches, or dB's top_db floor, which is
/// the clip's maximum minus top_db) keeps the frames × mels matrix: 64 mels at a 10 ms hop are 25.6 kB per second of
/// audio, where the decoded 16 kHz signal alone would be 64 kB.
/// </para>
/// </summary>
internal static class StreamedFeaturization
{
    /// <summary>Features of the clip <paramref name="reader"/> reads, as <paramref name="featurizer"/> computes them.</summary>
    /// <param name="featurizer">The front end.</param>
    /// <param name="reader">The file, positioned at its first sample.</param>
    /// <param name="resampledChunk">Resampled samples handed from the resampler to the STFT at a time; default 8192.</param>
    public static float[] Featurize(LogMelFeaturizer featurizer, WavMonoReader reader, int resampledChunk = 8192)
    {
        var options = featurizer.Options;
        var resampler = reader.Info.SampleRate == options.SampleRate
            ? null
            : SincResampler.Get(reader.Info.SampleRate, options.SampleRate).CreateStream(reader.FrameCount);
        long signalLength = resampler?.OutputLength ?? reader.FrameCount;
        var stft = new StreamingStft(featurizer.Stft, signalLength);
        if (stft.FrameCount == 0)
        {
            while (reader.ReadChunk().Length > 0) { } // bad samples are reported before the clip's length, as when decoding whole
            throw new ArgumentException(
                $"The clip has {signalLength} samples; at least {(featurizer.Stft.Center ? 1 : featurizer.Stft.FftSize)} are needed for one frame (n_fft {featurizer.Stft.FftSize}, center {featurizer.Stft.Center}).",
                "signal");
        }
        var sink = CreateSink(featurizer, stft.FrameCount);
        var resampled = resampler is null ? null : new float[resampledChunk];
        float[] chunk;
        while ((chunk = reader.ReadChunk()).Length > 0)
        {
            if (resampler is null)
            {
                stft.Append(chunk, sink.Add);
                continue;
            }
            resampler.Append(chunk);
            int n;
            while ((n = resampler.Drain(resampled)) > 0)
                stft.Append(resampled.AsSpan(0, n), sink.Add);
        }
        if (!stft.IsFinished || resampler is { IsFinished: false })
            throw new InvalidOperationException("The streamed featurization ended before the clip's last frame.");
        return sink.Result();
    }

    private static IFrameSink CreateSink(LogMelFeaturizer featurizer, long frameCount)
    {
        var options = featurizer.Options;
        bool elementWiseScale = options.OutputScale != MelOutputScale.Decibels || options.TopDb is null;
        if (options.Layout == FeatureLayout.Pooled && elementWiseScale && frameCount >= options.PoolingSegments)
            return new PooledSink(featurizer, frameCount);
        return new MatrixSink(featurizer, frameCount);
    }

    private interface IFrameSink
    {
        void Add(long frame, ReadOnlySpan<float> spectrum);

        float[] Result();
    }

    /// <summary>Keeps the clip's frames × mels matrix, then scales and lays it out as the whole-clip path does.</summary>
    private sealed class MatrixSink : IFrameSink
    {
        private readonly LogMelFeaturizer _featurizer;
        private readonly MelFrames _frames;

        public MatrixSink(LogMelFeaturizer featurizer, long frameCount)
        {
            _featurizer = featurizer;
            int mels = featurizer.Filterbank.MelBands;
            if (frameCount * mels > Array.MaxLength)
                throw new ArgumentException($"The clip gives {frameCount} frames of {mels} mel bands, more values than one array can hold.", "signal");
            _frames = new MelFrames(new float[frameCount * mels], (int)frameCount, mels);
        }

        public void Add(long frame, ReadOnlySpan<float> spectrum) =>
            _featurizer.Filterbank.Apply(spectrum, _frames.Values.AsSpan((int)frame * _frames.MelBands, _frames.MelBands));

        public float[] Result() => _featurizer.Arrange(_frames);
    }

    /// <summary>
    /// Scales frames in blocks and pools them as they come. The scale's vectorized kernels treat a clip's values in
    /// groups of <see cref="BlockValues"/> from its first value, with a scalar tail; blocks of whole frames that start on
    /// such a group reproduce that split exactly.
    /// </summary>
    private sealed class PooledSink : IFrameSink
    {
        private const int BlockValues = 8; // Vector256<float>.Count, the width of SimdKernels' loops

        private readonly LogMelFeaturizer _featurizer;
        private readonly FeaturePooling.Accumulator _pool;
        private readonly float[] _block;
        private readonly int _mels;
        private int _pending;

        public PooledSink(LogMelFeaturizer featurizer, long frameCount)
        {
            _featurizer = featurizer;
            var options = featurizer.Options;
            _mels = featurizer.Filterbank.MelBands;
            _pool = new FeaturePooling.Accumulator(_mels, options.PoolingStatistics, options.PoolingSegments, frameCount);
            int gcd = _mels, rest = BlockValues;
            while (rest != 0)
                (gcd, rest) = (rest, gcd % rest);
            int framesPerBlock = BlockValues / gcd;
            _block = new float[framesPerBlock * _mels];
        }

        public void Add(long frame, ReadOnlySpan<float> spectrum)
        {
            _featurizer.Filterbank.Apply(spectrum, _block.AsSpan(_pending * _mels, _mels));
            if (++_pending * _mels == _block.Length)
                Flush();
        }

        public float[] Result()
        {
            Flush();
            return _pool.Result();
        }

        private void Flush()
        {
            var values = _block.AsSpan(0, _pending * _mels);
            MelSpectrogram.ApplyScale(values, _featurizer.Options);
            for (int f = 0; f < _pending; f++)
                _pool.Add(values.Slice(f * _mels, _mels));
            _pending = 0;
        }
    }
}
