using QuantumKan.Data;

namespace QuantumKan.Cli.Workflow;

/// <summary>A labeled audio listing named on the command line: an FSD50K root or a user's CSV, and a split.</summary>
internal sealed record DataSource(string? Fsd50kRoot, string? CsvPath, string? Split, bool SkipMissing, bool AllowEmptyLabels = false)
{
    public static DataSource ForFsd50k(string root, string split, bool skipMissing) => new(Path.GetFullPath(root), null, split, skipMissing);

    public static DataSource ForCsv(string path, string? split, bool skipMissing, bool allowEmptyLabels = false) =>
        new(null, Path.GetFullPath(path), split, skipMissing, allowEmptyLabels);

    /// <summary>The listing file training rows come from (dev.csv or the CSV), for errors about a row.</summary>
    public string TrainingListing => Fsd50kRoot is not null ? Fsd50kLayout.DevCsv(Fsd50kRoot) : CsvPath!;

    /// <summary>The listing file evaluation rows come from, for errors about a row.</summary>
    public string EvaluationListing => Fsd50kRoot is null ? CsvPath!
        : Split is "val" or "train" ? Fsd50kLayout.DevCsv(Fsd50kRoot) : Fsd50kLayout.EvalCsv(Fsd50kRoot);

    private MissingAudioPolicy Missing => SkipMissing ? MissingAudioPolicy.Skip : MissingAudioPolicy.Throw;

    /// <summary>A short description for progress lines, e.g. "FSD50K eval split at /data/fsd50k".</summary>
    public string Describe() => Fsd50kRoot is not null
        ? $"FSD50K {Split} split at {Fsd50kRoot}"
        : Split is null ? CsvPath! : $"{CsvPath} (split {Split})";

    /// <summary>Which clips an evaluation reads, in words, e.g. "eval" or "eval/test".</summary>
    public string EvaluatedSplit => Split ?? (Fsd50kRoot is not null ? "eval" : "listed");

    /// <summary>
    /// The training and validation sets: FSD50K's train and val splits, or a CSV's rows split by its split column:
    /// train rows train, val rows validate, eval and test rows are never read for training (every row trains when the
    /// CSV has no split column). Validation is null when there are no val rows.
    /// </summary>
    public (LabeledAudioSet Train, LabeledAudioSet? Validation, int TestRowsLeftOut) LoadForTraining() => InCliTerms(() =>
    {
        if (Fsd50kRoot is not null)
        {
            var options = new Fsd50kLoadOptions { MissingAudio = Missing };
            var train = Fsd50kReader.Read(Fsd50kRoot, Fsd50kSplit.Train, options);
            var validation = Fsd50kReader.Read(Fsd50kRoot, Fsd50kSplit.Val, options);
            return (train, validation.Clips.Count > 0 ? validation : null, 0);
        }
        var all = LabeledAudioCsvReader.Read(CsvPath!, new LabeledAudioCsvOptions { MissingAudio = Missing, AllowEmptyLabels = AllowEmptyLabels });
        // The reader admits only train/val/eval/test (or no split column at all, when every split is "").
        var trainClips = all.Clips.Where(c => c.Split is "" or "train").ToArray();
        var valClips = all.Clips.Where(c => c.Split == "val").ToArray();
        if (trainClips.Length == 0)
            throw new AudioDatasetException(CsvPath!, null, "no row is in the train split; nothing is left to train on (val rows validate, eval and test rows are never trained on).");
        return (new LabeledAudioSet(all.Vocabulary, trainClips, all.SkippedMissingAudio),
            valClips.Length > 0 ? new LabeledAudioSet(all.Vocabulary, valClips) : null,
            all.Clips.Count(c => c.Split is "eval" or "test"));
    });

    /// <summary>The clips to evaluate, labeled in the model's class order.</summary>
    /// <param name="classNames">The model's classes; an FSD50K vocabulary must list the same, a CSV's labels must come from them.</param>
    public LabeledAudioSet LoadForEvaluation(IReadOnlyList<string> classNames) => InCliTerms(() =>
    {
        if (Fsd50kRoot is not null)
        {
            var split = Split switch { "val" => Fsd50kSplit.Val, "train" => Fsd50kSplit.Train, _ => Fsd50kSplit.Eval };
            var set = Fsd50kReader.Read(Fsd50kRoot, split, new Fsd50kLoadOptions { MissingAudio = Missing });
            RequireSameClasses(set.Vocabulary, classNames, Fsd50kLayout.VocabularyCsv(Fsd50kRoot));
            return set;
        }
        var all = LabeledAudioCsvReader.Read(CsvPath!, new LabeledAudioCsvOptions
        {
            MissingAudio = Missing, AllowEmptyLabels = AllowEmptyLabels, Vocabulary = new LabelVocabulary(classNames),
        });
        bool hasSplits = all.Clips.Any(c => c.Split.Length > 0);
        if (Split is null && !hasSplits)
            return all; // no split column: every row is evaluated
        string[] wanted = Split is null ? ["eval", "test"] : [Split];
        var clips = all.Clips.Where(c => wanted.Contains(c.Split)).ToArray();
        if (clips.Length == 0)
            throw new AudioDatasetException(CsvPath!, null, Split is null
                ? "no row has split eval or test (the rows evaluated by default when the CSV has a split column); pass --split val or --split train to evaluate those."
                : $"no row has split '{Split}'.");
        return new LabeledAudioSet(all.Vocabulary, clips, all.SkippedMissingAudio);
    });

    // The library's errors name its options (MissingAudio, AllowEmptyLabels); on the command line, name the flags.
    private static T InCliTerms<T>(Func<T> load)
    {
        try
        {
            return load();
        }
        catch (MissingAudioFilesException ex)
        {
            throw ex.WithRemedy("Pass --skip-missing to leave them out (and say how many) instead of failing.");
        }
        catch (EmptyLabelsException ex)
        {
            throw ex.WithRemedy("pass --allow-empty-labels to read such rows as clips of no class");
        }
    }

    private static void RequireSameClasses(LabelVocabulary vocabulary, IReadOnlyList<string> classNames, string file)
    {
        if (vocabulary.Labels.SequenceEqual(classNames))
            return;
        int first = Enumerable.Range(0, Math.Min(vocabulary.Count, classNames.Count)).FirstOrDefault(i => vocabulary.Labels[i] != classNames[i], -1);
        string where = first >= 0
            ? $"class {first} is '{vocabulary.Labels[first]}' here but '{classNames[first]}' in the model"
            : $"it lists {vocabulary.Count} classes, the model {classNames.Count}";
        throw new AudioDatasetException(file, null, $"the vocabulary differs from the model's classes: {where}.");
    }
}
