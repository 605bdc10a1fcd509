using System.CommandLine;
using System.CommandLine.Parsing;
using QuantumKan.Cli.Workflow;

namespace QuantumKan.Cli.Options;

/// <summary>Where labeled clips come from: <c>--fsd50k &lt;root&gt;</c> or <c>--csv &lt;file&gt;</c> (exactly one), and which split.</summary>
internal sealed class DataOptionSet(bool withSplit)
{
    public Option<string?> Fsd50k { get; } = new("--fsd50k")
    {
        Description = "FSD50K root folder (holding FSD50K.ground_truth/, FSD50K.dev_audio/, FSD50K.eval_audio/).",
        HelpName = "root",
    };

    public Option<string?> Csv { get; } = new("--csv")
    {
        Description = "Your own listing: a CSV with a header naming 'path' and 'labels' (several labels comma-joined in quotes) and optionally 'split' (train, val, eval or test; any other value is an error). train trains on the train rows, validates on the val rows and never reads eval or test rows. Relative paths resolve against the CSV's folder.",
        HelpName = "file",
    };

    public Option<string?> Split { get; } = new Option<string?>("--split")
    {
        Description = "Which clips: eval (default for --fsd50k), val or train. With --csv, the rows whose split column has this value (eval, test, val or train); default: the eval and test rows when the CSV has a split column, every row when it has none.",
    }.AcceptOnlyFromAmong("eval", "test", "val", "train");

    public Option<bool> SkipMissing { get; } = new("--skip-missing")
    {
        Description = "Leave out listed clips whose audio file does not exist (and say how many) instead of failing.",
    };

    public Option<bool> AllowEmptyLabels { get; } = new("--allow-empty-labels")
    {
        Description = "With --csv: read a row whose labels field is empty as a clip of no class (a negative example for every class) instead of failing.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Fsd50k);
        command.Options.Add(Csv);
        if (withSplit)
            command.Options.Add(Split);
        command.Options.Add(SkipMissing);
        command.Options.Add(AllowEmptyLabels);
        command.ValidateBy(r => Read(r));
    }

    /// <summary>The data source the arguments name.</summary>
    /// <exception cref="ArgumentException">Neither or both of --fsd50k and --csv were given.</exception>
    public DataSource Read(SymbolResult r)
    {
        var root = r.GetValue(Fsd50k);
        var csv = r.GetValue(Csv);
        if ((root is null) == (csv is null))
            throw new ArgumentException("Name the data with exactly one of --fsd50k <root> or --csv <file>.");
        var split = withSplit ? r.GetValue(Split) : null;
        if (root is not null && r.GetValue(AllowEmptyLabels))
            throw new ArgumentException("--allow-empty-labels applies to --csv listings (FSD50K gives every clip a label).");
        if (root is not null && split == "test")
            throw new ArgumentException("FSD50K has no test split: use --split eval (its held-out evaluation set), val or train.");
        return root is not null
            ? DataSource.ForFsd50k(root, split ?? "eval", r.GetValue(SkipMissing))
            : DataSource.ForCsv(csv!, split, r.GetValue(SkipMissing), r.GetValue(AllowEmptyLabels));
    }
}
