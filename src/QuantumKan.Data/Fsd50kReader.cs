namespace QuantumKan.Data;

/// <summary>Options of <see cref="Fsd50kReader"/>.</summary>
public sealed record Fsd50kLoadOptions
{
    /// <summary>What to do about listed clips whose audio file is missing. Default <see cref="MissingAudioPolicy.Throw"/>.</summary>
    public MissingAudioPolicy MissingAudio { get; init; } = MissingAudioPolicy.Throw;

    /// <summary>Whether each row's mids must match its labels' ids in the vocabulary, in order. Default true.</summary>
    public bool VerifyMids { get; init; } = true;
}

/// <summary>
/// Reads FSD50K in its released layout (see <see cref="Fsd50kLayout"/>) into a validated <see cref="LabeledAudioSet"/>.
/// Only the listings a split needs are read. Errors name the file and line.
/// </summary>
public static class Fsd50kReader
{
    private static readonly string[] DevColumns = ["fname", "labels", "mids", "split"];
    private static readonly string[] EvalColumns = ["fname", "labels", "mids"];

    /// <summary>Reads the clips of <paramref name="split"/> under <paramref name="root"/>.</summary>
    /// <param name="root">The folder holding FSD50K.ground_truth, FSD50K.dev_audio and FSD50K.eval_audio.</param>
    /// <param name="split">Which clips; flags combine (train, then val, then eval).</param>
    /// <param name="options">Missing-audio policy and mid checking; default throws on missing audio.</param>
    /// <exception cref="FileNotFoundException">A listing the split needs is missing.</exception>
    /// <exception cref="AudioDatasetException">A listing is malformed, names an unknown label, or audio is missing.</exception>
    public static LabeledAudioSet Read(string root, Fsd50kSplit split, Fsd50kLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        if (split == 0 || (split & ~Fsd50kSplit.All) != 0)
            throw new ArgumentOutOfRangeException(nameof(split), split, "Name Train, Val, Eval or a combination.");
        options ??= new Fsd50kLoadOptions();
        root = Path.GetFullPath(root);
        var vocabulary = LabelVocabulary.ReadFsd50kCsv(RequireFile(Fsd50kLayout.VocabularyCsv(root), root));

        var clips = new List<LabeledAudioClip>();
        if ((split & Fsd50kSplit.Dev) != 0)
        {
            var dev = ReadListing(root, Fsd50kLayout.DevCsv(root), DevColumns, vocabulary, options, isEval: false);
            foreach (var wanted in new[] { Fsd50kSplit.Train, Fsd50kSplit.Val }.Where(s => (split & s) != 0))
                clips.AddRange(dev.Where(c => c.Split == Fsd50kLayout.SplitName(wanted)));
        }
        if ((split & Fsd50kSplit.Eval) != 0)
            clips.AddRange(ReadListing(root, Fsd50kLayout.EvalCsv(root), EvalColumns, vocabulary, options, isEval: true));
        return LabeledAudioSet.WithAudioCheck(ListingOf(root, split), vocabulary, clips, options.MissingAudio);
    }

    private static List<LabeledAudioClip> ReadListing(string root, string file, string[] columns, LabelVocabulary vocabulary, Fsd50kLoadOptions options, bool isEval)
    {
        RequireFile(file, root);
        var clips = new List<LabeledAudioClip>();
        var fnameLines = new Dictionary<string, int>(StringComparer.Ordinal);
        CsvHeader? header = null;
        foreach (var record in CsvRecordReader.ReadFile(file))
        {
            if (header is null)
            {
                header = CsvHeader.Bind(file, record, columns, [], allowExtra: false);
                continue;
            }
            header.RequireWidth(file, record);
            string Field(string column) => record.Fields[header.IndexOf(column)];
            int line = record.LineNumber;

            string fname = Field("fname").Trim();
            if (fname.Length == 0 || fname.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || fname is "." or "..")
                throw new MalformedCsvRowException(file, line, $"fname '{fname}' is not a valid file name.");
            if (!fnameLines.TryAdd(fname, line))
                throw new MalformedCsvRowException(file, line, $"fname '{fname}' already appeared on line {fnameLines[fname]}.");

            var names = LabelListParser.Split(Field("labels"), ',', file, line, "labels");
            if (names.Length == 0)
                throw new MalformedCsvRowException(file, line, $"clip '{fname}' has no labels.");
            var indices = LabelListParser.ToIndices(names, vocabulary, file, line);
            if (options.VerifyMids)
                VerifyMids(Field("mids"), names, vocabulary, file, line);

            string split = isEval ? "eval" : Field("split").Trim().ToLowerInvariant();
            if (!isEval && split is not ("train" or "val"))
                throw new MalformedCsvRowException(file, line, $"split '{Field("split")}' is neither 'train' nor 'val'.");
            string audio = isEval ? Fsd50kLayout.EvalAudio(root, fname) : Fsd50kLayout.DevAudio(root, fname);
            clips.Add(new LabeledAudioClip(audio, fname, indices, split, line));
        }
        if (header is null)
            throw new AudioDatasetException(file, null, $"the file is empty; expected a header {string.Join(",", columns)}.");
        return clips;
    }

    private static string ListingOf(string root, Fsd50kSplit split) =>
        (split & Fsd50kSplit.Dev) == 0 ? Fsd50kLayout.EvalCsv(root)
        : (split & Fsd50kSplit.Eval) == 0 ? Fsd50kLayout.DevCsv(root)
        : Path.Combine(root, Fsd50kLayout.GroundTruthFolder);

    private static void VerifyMids(string field, string[] labels, LabelVocabulary vocabulary, string file, int line)
    {
        var mids = LabelListParser.Split(field, ',', file, line, "mids");
        if (mids.Length != labels.Length)
            throw new MalformedCsvRowException(file, line, $"{labels.Length} label(s) but {mids.Length} mid(s).");
        for (int i = 0; i < mids.Length; i++)
        {
            string? expected = vocabulary.Mids[vocabulary.IndexOf(labels[i])];
            if (expected is not null && mids[i] != expected)
                throw new MalformedCsvRowException(file, line, $"mid '{mids[i]}' does not match label '{labels[i]}' (the vocabulary gives '{expected}').");
        }
    }

    private static string RequireFile(string path, string root) =>
        File.Exists(path) ? path : throw new FileNotFoundException(
            $"{path} does not exist. An FSD50K root ({root}) holds {Fsd50kLayout.GroundTruthFolder}/(dev.csv, eval.csv, vocabulary.csv), " +
            $"{Fsd50kLayout.DevAudioFolder}/ and {Fsd50kLayout.EvalAudioFolder}/.", path);
}
