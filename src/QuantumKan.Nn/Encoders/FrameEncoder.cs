using QuantumKan.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Encoders;

/// <summary>
/// A frame encoder: standardized log-mel frames <c>(B, T, M)</c> → a frame sequence <c>(B, C, T')</c> → one clip
/// vector <c>(B, OutputSize)</c> by time pooling over the valid frames.
/// <para>
/// Variable length: any T ≥ 1 works (every stage pads, and each halving stage maps T to ⌈T/2⌉). A padded batch passes
/// <c>lengths</c>: positions at or past a clip's length are zeroed after every stage and left out of the pooling, so in
/// eval mode a clip scores the same alone as in a padded batch (the padding the convolutions see is zero either way).
/// </para>
/// </summary>
public abstract class FrameEncoder : nn.Module<Tensor, Tensor>
{
    private protected FrameEncoder(string name, int melBands, FrameEncoderOptions options) : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(melBands, 1);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!options.IsEnabled)
            throw new ArgumentException($"Encoder kind {options.Kind} builds no encoder.", nameof(options));
        MelBands = melBands;
        Options = options;
    }

    /// <summary>Builds the encoder that <paramref name="options"/>.Kind names, for frames of <paramref name="melBands"/> bands.</summary>
    public static FrameEncoder Create(int melBands, FrameEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Kind switch
        {
            FrameEncoderKind.Temporal => new TemporalConvEncoder(melBands, options),
            FrameEncoderKind.Conv2d => new Conv2dEncoder(melBands, options),
            FrameEncoderKind.KanTemporal => new KanConvEncoder(melBands, options),
            _ => throw new ArgumentException($"Encoder kind {options.Kind} builds no encoder; resolve Auto first.", nameof(options)),
        };
    }

    /// <summary>Mel bands M per input frame.</summary>
    public int MelBands { get; }

    /// <summary>The options it was built with.</summary>
    public FrameEncoderOptions Options { get; }

    /// <summary>Width of the clip vector.</summary>
    public abstract int OutputSize { get; }

    /// <summary>Clip vectors of unpadded frames: <c>(B, T, M)</c> → <c>(B, OutputSize)</c>.</summary>
    public override Tensor forward(Tensor frames) => Encode(frames, null);

    /// <summary>Clip vectors: frames <c>(B, T, M)</c> and optional valid lengths <c>(B)</c> int64 → <c>(B, OutputSize)</c>.</summary>
    public Tensor Encode(Tensor frames, Tensor? lengths)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.dim() != 3 || frames.shape[2] != MelBands || frames.shape[1] < 1)
            throw new ArgumentException($"Expected frames (batch, time ≥ 1, {MelBands}); got ({string.Join(", ", frames.shape)}).", nameof(frames));
        using var scope = NewDisposeScope();
        var (sequence, sequenceLengths) = EncodeSequence(frames, lengths);
        return Pool(sequence, sequenceLengths).MoveToOuterDisposeScope();
    }

    /// <summary>The frame sequence before pooling: <c>(B, T, M)</c> → <c>(B, C, T')</c> and the valid lengths of T'.</summary>
    private protected abstract (Tensor Sequence, Tensor? Lengths) EncodeSequence(Tensor frames, Tensor? lengths);

    /// <summary>Time pooling of <c>(B, C, T)</c> over valid frames → <c>(B, OutputSize)</c>.</summary>
    private protected abstract Tensor Pool(Tensor sequence, Tensor? lengths);

    /// <summary>
    /// Runs halving blocks in order: before each, the valid lengths become ⌈L/2⌉ and the block receives the (B, 1, T')
    /// mask of its output positions. x: (B, C, T, …) → (B, C', T', …), or with <paramref name="timeAxis"/> another axis
    /// halving (the Temporal encoder's rows (B, C, 1, T) use axis 3).
    /// </summary>
    private protected static (Tensor Sequence, Tensor? Lengths) RunHalvingBlocks<TBlock>(Tensor x, Tensor? lengths, IEnumerable<TBlock> blocks,
        Func<TBlock, Tensor, Tensor?, Tensor> forward, int timeAxis = 2)
    {
        foreach (var block in blocks)
        {
            lengths = Halve(lengths);
            x = forward(block, x, TimeMask(lengths, (x.shape[timeAxis] + 1) / 2, x.dtype));
        }
        return (x, lengths);
    }

    /// <summary>⌈L/2⌉: the valid length after a halving stage (kernel k odd, padding k/2, stride 2).</summary>
    private protected static Tensor? Halve(Tensor? lengths) => lengths is null ? null : lengths.Plus(1L).DividedBy(2L, RoundingMode.floor);

    /// <summary>A (B, 1, T) float mask of valid positions, or null when every position is valid.</summary>
    private protected static Tensor? TimeMask(Tensor? lengths, long time, ScalarType dtype)
    {
        if (lengths is null)
            return null;
        return FrameEncoderMasking.Valid(lengths, time).unsqueeze(1).to(dtype);                   // (B, 1, T)
    }
}

/// <summary>Masked time pooling of a <c>(B, C, T)</c> sequence: mean + max, or learned attention.</summary>
internal sealed class TimePooling : nn.Module<Tensor, Tensor>
{
    private readonly Linear? attention_score;

    public TimePooling(int channels, TimePoolingKind kind) : base(nameof(TimePooling))
    {
        Kind = kind;
        Channels = channels;
        if (kind == TimePoolingKind.Attention)
            attention_score = nn.Linear(channels, 1);
        RegisterComponents();
    }

    public TimePoolingKind Kind { get; }

    public int Channels { get; }

    public int OutputSize => Kind == TimePoolingKind.MeanMax ? 2 * Channels : Channels;

    public override Tensor forward(Tensor sequence) => Pool(sequence, null);

    /// <summary>(B, C, T) and valid lengths (B) or null → (B, OutputSize).</summary>
    public Tensor Pool(Tensor sequence, Tensor? lengths)
    {
        using var scope = NewDisposeScope();
        long time = sequence.shape[2];
        Tensor? valid = lengths is null
            ? null
            : FrameEncoderMasking.Valid(lengths, time).unsqueeze(1);                                  // (B, 1, T) bool
        Tensor pooled;
        if (Kind == TimePoolingKind.MeanMax)
        {
            Tensor mean, max;
            if (valid is null)
            {
                mean = sequence.mean([2]);
                max = sequence.amax([2]);
            }
            else
            {
                var count = lengths!.to(sequence.dtype).ClampMin(1L).unsqueeze(1);            // (B, 1)
                mean = sequence.FilledWhere(valid.logical_not(), 0L).sum(2) / count;
                max = sequence.FilledWhere(valid.logical_not(), float.NegativeInfinity).amax([2]);
            }
            pooled = cat([mean, max], 1);                                                        // (B, 2C)
        }
        else
        {
            var score = attention_score!.call(sequence.transpose(1, 2)).transpose(1, 2);       // (B, 1, T)
            if (valid is not null)
                score = score.FilledWhere(valid.logical_not(), float.NegativeInfinity);
            var weights = score.softmax(2);                                                      // (B, 1, T)
            pooled = (sequence * weights).sum(2);                                                // (B, C)
        }
        return pooled.MoveToOuterDisposeScope();
    }
}
