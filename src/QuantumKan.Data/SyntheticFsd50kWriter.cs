using System.Globalization;
using QuantumKan.Data.Synthesis;

namespace QuantumKan.Data;

/// <summary>Options of <see cref="SyntheticFsd50kWriter"/>.</summary>
public sealed record SyntheticFsd50kOptions
{
    /// <summary>How each clip is generated (seed, sample rate, types, events per clip, lengths). Default: 44.1 kHz, 8 types, 1–3 events, 1–4 s.</summary>
    public SyntheticSoundSetOptions Sound { get; init; } = new();

    /// <summary>Clips in the train split. Default 320.</summary>
    public int TrainClips { get; init; } = 320;

    /// <summary>Clips in the val split. Default 80.</summary>
    public int ValClips { get; init; } = 80;

    /// <summary>Clips in the eval split. Default 120.</summary>
    public int EvalClips { get; init; } = 120;

    /// <summary>Clips generated at once; default the processor count.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
}

/// <summary>
/// Generates a synthetic sound-event set (<see cref="SyntheticSoundGenerator"/>) straight into FSD50K's layout, so
/// everything that reads FSD50K can be exercised without the real data. Clip k (train, then val, then eval) has fname
/// <c>k + 1</c> and is generated from index k, so the set is a pure function of the options.
/// </summary>
public static class SyntheticFsd50kWriter
{
    /// <summary>Writes the set under <paramref name="root"/>, in parallel.</summary>
    /// <param name="root">The root folder; created when missing.</param>
    /// <param name="options">Sizes and generation options; null uses the defaults.</param>
    /// <param name="progress">Receives the number of clips written so far.</param>
    /// <param name="cancellationToken">Stops the generation (no listing is written then).</param>
    /// <returns>The vocabulary written (one label per sound type).</returns>
    public static LabelVocabulary Write(string root, SyntheticFsd50kOptions? options = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new SyntheticFsd50kOptions();
        if (options.TrainClips < 0 || options.ValClips < 0 || options.EvalClips < 0 || options.TrainClips + options.ValClips + options.EvalClips == 0)
            throw new ArgumentException("Clip counts must be non-negative and not all zero.", nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDegreeOfParallelism, 1);
        var generator = new SyntheticSoundGenerator(options.Sound);
        var vocabulary = VocabularyOf(generator);
        var rows = new Fsd50kLayoutWriter.Rows(root, vocabulary);
        int total = options.TrainClips + options.ValClips + options.EvalClips, done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, total, parallel, k =>
        {
            var clip = generator.Generate(k);
            var labels = generator.LabelIndicesOf(clip);
            var split = k < options.TrainClips ? Fsd50kSplit.Train : k < options.TrainClips + options.ValClips ? Fsd50kSplit.Val : Fsd50kSplit.Eval;
            string fname = (k + 1).ToString(CultureInfo.InvariantCulture);
            rows.Add(fname, labels, split);
            Fsd50kLayoutWriter.WriteAudio(root, new Fsd50kClipToWrite(fname, labels, split, clip.Samples, clip.SampleRate));
            progress?.Report(Interlocked.Increment(ref done));
        });
        rows.WriteListings();
        return vocabulary;
    }

    /// <summary>The vocabulary of a generator's types: FSD50K-style label names and <c>/m/qk…</c> mids.</summary>
    public static LabelVocabulary VocabularyOf(SyntheticSoundGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return new LabelVocabulary(generator.Vocabulary.Select(l => l.Label), generator.Vocabulary.Select(l => (string?)l.Mid));
    }
}
