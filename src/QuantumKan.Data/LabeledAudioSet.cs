namespace QuantumKan.Data;

/// <summary>One listed clip.</summary>
/// <param name="Path">The absolute path of the audio file.</param>
/// <param name="Fname">The clip's name: FSD50K's fname, or the file name without extension for a plain CSV.</param>
/// <param name="LabelIndices">The clip's labels as vocabulary indices, ascending, without repeats.</param>
/// <param name="Split">"train", "val" or "eval" for FSD50K; a plain CSV's split column, or "" when it has none.</param>
/// <param name="LineNumber">The line of the listing the clip's record starts on.</param>
public sealed record LabeledAudioClip(string Path, string Fname, IReadOnlyList<int> LabelIndices, string Split, int LineNumber);

/// <summary>What to do when a listed audio file does not exist.</summary>
public enum MissingAudioPolicy
{
    /// <summary>Throw <see cref="MissingAudioFilesException"/> naming the first few and giving the count (default).</summary>
    Throw,

    /// <summary>Leave those clips out and list them in <see cref="LabeledAudioSet.SkippedMissingAudio"/>.</summary>
    Skip,
}

/// <summary>A listed, validated set of labeled clips with its vocabulary. Immutable.</summary>
public sealed class LabeledAudioSet
{
    /// <summary>Creates a set; every clip's label indices must lie inside the vocabulary.</summary>
    public LabeledAudioSet(LabelVocabulary vocabulary, IReadOnlyList<LabeledAudioClip> clips, IReadOnlyList<string>? skippedMissingAudio = null)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(clips);
        foreach (var clip in clips)
            if (clip.LabelIndices.Any(i => (uint)i >= (uint)vocabulary.Count))
                throw new ArgumentException($"Clip '{clip.Fname}' has a label index outside the vocabulary of {vocabulary.Count}.", nameof(clips));
        Vocabulary = vocabulary;
        Clips = clips;
        SkippedMissingAudio = skippedMissingAudio ?? [];
    }

    /// <summary>The class list; its order is the order of the multi-hot label vectors.</summary>
    public LabelVocabulary Vocabulary { get; }

    /// <summary>The clips, in listing order.</summary>
    public IReadOnlyList<LabeledAudioClip> Clips { get; }

    /// <summary>Paths of listed clips left out because their audio file does not exist (with <see cref="MissingAudioPolicy.Skip"/>).</summary>
    public IReadOnlyList<string> SkippedMissingAudio { get; }

    /// <summary>The multi-hot label vector of clip <paramref name="clip"/>: 1 at each of its labels, 0 elsewhere.</summary>
    public float[] MultiHot(int clip)
    {
        var v = new float[Vocabulary.Count];
        foreach (int i in Clips[clip].LabelIndices)
            v[i] = 1f;
        return v;
    }

    /// <summary>Applies a missing-audio policy to parsed clips.</summary>
    internal static LabeledAudioSet WithAudioCheck(string listingFile, LabelVocabulary vocabulary, List<LabeledAudioClip> clips, MissingAudioPolicy policy)
    {
        var missing = clips.Where(c => !File.Exists(c.Path)).Select(c => c.Path).ToList();
        if (missing.Count == 0)
            return new LabeledAudioSet(vocabulary, clips);
        if (policy == MissingAudioPolicy.Throw)
            throw new MissingAudioFilesException(listingFile, missing);
        var missingSet = missing.ToHashSet(StringComparer.Ordinal);
        return new LabeledAudioSet(vocabulary, clips.Where(c => !missingSet.Contains(c.Path)).ToArray(), missing);
    }
}
