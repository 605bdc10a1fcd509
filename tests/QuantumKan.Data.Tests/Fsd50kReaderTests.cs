using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.Data;

namespace QuantumKan.Data.Tests;

public class Fsd50kReaderTests
{
    private static readonly MLContext Ml = new(seed: 1);

    [Fact]
    public void LoadFsd50k_GivesPathLabelsMultiHotAndSplit()
    {
        using var dir = new TempFolder();
        string root = TinyFsd50k.Write(dir);
        var data = Ml.Data.LoadFsd50k(root, Fsd50kSplit.Train);

        var labels = data.Schema[LabeledAudioColumns.Label];
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), labels.Type);
        VBuffer<ReadOnlyMemory<char>> slots = default;
        labels.GetSlotNames(ref slots);
        Assert.Equal(["Bark", "Dog", "Wind"], slots.DenseValues().Select(s => s.ToString()));

        var rows = Ml.Data.CreateEnumerable<LabeledAudioRow>(data, reuseRowObject: false).ToList();
        Assert.Equal(["1", "2"], rows.Select(r => r.Fname));
        Assert.Equal(Fsd50kLayout.DevAudio(root, "1"), rows[0].Path);
        Assert.Equal([1f, 1f, 0f], rows[0].Label);
        Assert.Equal([0f, 0f, 1f], rows[1].Label);
        Assert.Equal("Bark,Dog", rows[0].LabelNames);
        Assert.All(rows, r => Assert.Equal("train", r.Split));
    }

    [Theory]
    [InlineData(Fsd50kSplit.Val, new[] { "3" })]
    [InlineData(Fsd50kSplit.Eval, new[] { "10", "11" })]
    [InlineData(Fsd50kSplit.Dev, new[] { "1", "2", "3" })]
    [InlineData(Fsd50kSplit.All, new[] { "1", "2", "3", "10", "11" })]
    public void Read_SelectsTheRequestedSplits(Fsd50kSplit split, string[] fnames)
    {
        using var dir = new TempFolder();
        var set = Fsd50kReader.Read(TinyFsd50k.Write(dir), split);
        Assert.Equal(fnames, set.Clips.Select(c => c.Fname));
        var eval = set.Clips.FirstOrDefault(c => c.Fname == "10");
        if (eval is not null)
        {
            Assert.Equal("eval", eval.Split);
            Assert.Equal([0, 2], eval.LabelIndices); // "Wind,Bark" → ascending vocabulary indices
        }
    }

    [Fact]
    public void Read_EvalOnly_DoesNotNeedDevCsv()
    {
        using var dir = new TempFolder();
        string root = TinyFsd50k.Write(dir);
        File.Delete(Fsd50kLayout.DevCsv(root));
        Assert.Equal(2, Fsd50kReader.Read(root, Fsd50kSplit.Eval).Clips.Count);
        var ex = Assert.Throws<FileNotFoundException>(() => Fsd50kReader.Read(root, Fsd50kSplit.Train));
        Assert.Equal(Fsd50kLayout.DevCsv(root), ex.FileName);
    }

    [Fact]
    public void Read_AcceptsCrlfAndBom()
    {
        using var dir = new TempFolder();
        string root = TinyFsd50k.Write(dir);
        File.WriteAllText(Fsd50kLayout.DevCsv(root), "\uFEFF" + TinyFsd50k.Dev.Replace("\n", "\r\n"), new System.Text.UTF8Encoding(false));
        Assert.Equal(3, Fsd50kReader.Read(root, Fsd50kSplit.Dev).Clips.Count);
    }

    [Fact]
    public void Read_MissingAudio_NamesTheFirstFewAndTheCount()
    {
        using var dir = new TempFolder();
        var dev = "fname,labels,mids,split\n" + string.Concat(Enumerable.Range(1, 9).Select(i => $"{i},Dog,/m/0bt9lr,train\n"));
        string root = TinyFsd50k.Write(dir, dev: dev, devWavs: ["1", "2"]);
        var ex = Assert.Throws<MissingAudioFilesException>(() => Fsd50kReader.Read(root, Fsd50kSplit.Train));
        Assert.Equal(7, ex.MissingPaths.Count);
        Assert.Contains("7 listed audio file(s) do not exist", ex.Message);
        Assert.Contains(Fsd50kLayout.DevAudio(root, "3"), ex.Message);
        Assert.Contains("and 2 more", ex.Message);
        Assert.DoesNotContain(Fsd50kLayout.DevAudio(root, "9"), ex.Message);
    }

    [Fact]
    public void Read_MissingAudioWithSkip_LoadsTheRestAndReportsTheMissing()
    {
        using var dir = new TempFolder();
        string root = TinyFsd50k.Write(dir, devWavs: ["1", "3"]);
        var options = new Fsd50kLoadOptions { MissingAudio = MissingAudioPolicy.Skip };
        var data = Ml.Data.LoadFsd50k(root, Fsd50kSplit.Dev, options, out var set);
        Assert.Equal([Fsd50kLayout.DevAudio(root, "2")], set.SkippedMissingAudio);
        Assert.Equal(["1", "3"], Ml.Data.CreateEnumerable<LabeledAudioRow>(data, false).Select(r => r.Fname));
    }

    public static TheoryData<string, int, string> BadDevRows => new()
    {
        { "4,Cat,/m/0cat,train\n", 6, "label 'Cat' is not in the vocabulary" },
        { "4,Dog,/m/0bt9lr\n", 6, "only 3 field(s)" },
        { "4,Dog,Wind,/m/0bt9lr,train\n", 6, "1 extra field(s)" },
        { "4,Dog,/m/0bt9lr,test\n", 6, "split 'test'" },
        { "4,\"Dog,Wind\",/m/0bt9lr,train\n", 6, "2 label(s) but 1 mid(s)" },
        { "4,Dog,/m/03m9d0z,train\n", 6, "does not match label 'Dog'" },
        { "2,Dog,/m/0bt9lr,train\n", 6, "fname '2' already appeared on line 3" },
        { "4,,,train\n", 6, "has no labels" },
        { "4,\"Dog,,Wind\",x,train\n", 6, "empty item" },
        { "../4,Dog,/m/0bt9lr,train\n", 6, "not a valid file name" },
        { "4,\"Dog,/m/0bt9lr,train\n", 6, "never closed" },
    };

    [Theory]
    [MemberData(nameof(BadDevRows))]
    public void Read_BadRow_NamesFileLineAndReason(string row, int line, string reason)
    {
        using var dir = new TempFolder();
        string root = TinyFsd50k.Write(dir, dev: TinyFsd50k.Dev + "\n" + row); // a blank line 5, then the row on line 6
        var ex = Assert.ThrowsAny<AudioDatasetException>(() => Fsd50kReader.Read(root, Fsd50kSplit.Dev));
        Assert.Equal(line, ex.LineNumber);
        Assert.Equal(Fsd50kLayout.DevCsv(root), ex.FilePath);
        Assert.Contains(reason, ex.Message);
        if (reason.StartsWith("label 'Cat'", StringComparison.Ordinal))
            Assert.Equal("Cat", Assert.IsType<UnknownLabelException>(ex).Label);
    }

    [Fact]
    public void Read_UnknownLabelInEval_NamesLabelAndLine()
    {
        using var dir = new TempFolder();
        string root = TinyFsd50k.Write(dir, eval: TinyFsd50k.Eval + "12,Rain,/m/06mb1\n");
        var ex = Assert.Throws<UnknownLabelException>(() => Fsd50kReader.Read(root, Fsd50kSplit.Eval));
        Assert.Equal(("Rain", 4), (ex.Label, ex.LineNumber));
    }

    [Fact]
    public void Read_MidCheckCanBeTurnedOff()
    {
        using var dir = new TempFolder();
        string root = TinyFsd50k.Write(dir, dev: TinyFsd50k.Dev.Replace("/m/03m9d0z", "/m/other"));
        Assert.Throws<MalformedCsvRowException>(() => Fsd50kReader.Read(root, Fsd50kSplit.Dev));
        Assert.Equal(3, Fsd50kReader.Read(root, Fsd50kSplit.Dev, new Fsd50kLoadOptions { VerifyMids = false }).Clips.Count);
    }

    [Theory]
    [InlineData("fname,labels,mids\n", new[] { "split" }, new string[0])]
    [InlineData("fname,labels,mids,split,license\n", new string[0], new[] { "license" })]
    [InlineData("name,labels,mids,split\n", new[] { "fname" }, new[] { "name" })]
    public void Read_WrongHeader_NamesMissingAndExtraColumns(string header, string[] missing, string[] extra)
    {
        using var dir = new TempFolder();
        string root = TinyFsd50k.Write(dir, dev: header);
        var ex = Assert.Throws<CsvColumnsException>(() => Fsd50kReader.Read(root, Fsd50kSplit.Train));
        Assert.Equal(missing, ex.MissingColumns);
        Assert.Equal(extra, ex.ExtraColumns);
        Assert.All(missing.Concat(extra), c => Assert.Contains($"'{c}'", ex.Message));
    }

    [Fact]
    public void Read_EmptyListing_SaysWhatHeaderItNeeds()
    {
        using var dir = new TempFolder();
        string root = TinyFsd50k.Write(dir, dev: "");
        var ex = Assert.Throws<AudioDatasetException>(() => Fsd50kReader.Read(root, Fsd50kSplit.Train));
        Assert.Contains("fname,labels,mids,split", ex.Message);
    }

    [Fact]
    public void Read_MissingRoot_SaysWhatTheLayoutIs()
    {
        using var dir = new TempFolder();
        var ex = Assert.Throws<FileNotFoundException>(() => Fsd50kReader.Read(Path.Combine(dir.Path, "nowhere"), Fsd50kSplit.Train));
        Assert.Contains(Fsd50kLayout.GroundTruthFolder, ex.Message);
        Assert.Contains("vocabulary.csv", ex.Message);
    }
}
