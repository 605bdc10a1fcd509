namespace QuantumKan.Data;

/// <summary>Which part of FSD50K to load. Flags: <c>Train | Val</c> is the whole development set.</summary>
[Flags]
public enum Fsd50kSplit
{
    /// <summary>dev.csv rows with split = train.</summary>
    Train = 1,

    /// <summary>dev.csv rows with split = val.</summary>
    Val = 2,

    /// <summary>eval.csv.</summary>
    Eval = 4,

    /// <summary>The whole development set (train and val).</summary>
    Dev = Train | Val,

    /// <summary>Everything.</summary>
    All = Dev | Eval,
}

/// <summary>The file layout of FSD50K under its root folder (the Zenodo release's names).</summary>
public static class Fsd50kLayout
{
    /// <summary>The folder of the ground-truth CSVs.</summary>
    public const string GroundTruthFolder = "FSD50K.ground_truth";

    /// <summary>The folder of the development clips.</summary>
    public const string DevAudioFolder = "FSD50K.dev_audio";

    /// <summary>The folder of the evaluation clips.</summary>
    public const string EvalAudioFolder = "FSD50K.eval_audio";

    /// <summary>dev.csv: fname,labels,mids,split.</summary>
    public static string DevCsv(string root) => Path.Combine(root, GroundTruthFolder, "dev.csv");

    /// <summary>eval.csv: fname,labels,mids.</summary>
    public static string EvalCsv(string root) => Path.Combine(root, GroundTruthFolder, "eval.csv");

    /// <summary>vocabulary.csv: index,label,mid with no header.</summary>
    public static string VocabularyCsv(string root) => Path.Combine(root, GroundTruthFolder, "vocabulary.csv");

    /// <summary>The audio file of a development clip.</summary>
    public static string DevAudio(string root, string fname) => Path.Combine(root, DevAudioFolder, fname + ".wav");

    /// <summary>The audio file of an evaluation clip.</summary>
    public static string EvalAudio(string root, string fname) => Path.Combine(root, EvalAudioFolder, fname + ".wav");

    /// <summary>The split names dev.csv uses.</summary>
    public static string SplitName(Fsd50kSplit split) => split switch
    {
        Fsd50kSplit.Train => "train",
        Fsd50kSplit.Val => "val",
        Fsd50kSplit.Eval => "eval",
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Name a single split."),
    };
}
