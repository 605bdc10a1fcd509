using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.Data;

namespace QuantumKan.Data.Tests;

public class LabeledAudioCsvReaderTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private static string Listing(TempFolder dir, string text, params string[] wavs)
    {
        foreach (var w in wavs)
            TinyFsd50k.Wav(dir.File(w));
        return dir.File("list.csv", text);
    }

    [Fact]
    public void LoadLabeledAudioCsv_ResolvesRelativePaths_AndDerivesASortedVocabulary()
    {
        using var dir = new TempFolder();
        string csv = Listing(dir, "path,labels\nclips/b.wav,\"Wind,Dog\"\nclips/a.wav,Cat\n", "clips/a.wav", "clips/b.wav");
        var data = Ml.Data.LoadLabeledAudioCsv(csv, null, out var set);
        Assert.Equal(["Cat", "Dog", "Wind"], set.Vocabulary.Labels);
        var rows = Ml.Data.CreateEnumerable<LabeledAudioRow>(data, false).ToList();
        Assert.Equal(Path.Combine(dir.Path, "clips", "b.wav"), rows[0].Path);
        Assert.Equal("b", rows[0].Fname);
        Assert.Equal([0f, 1f, 1f], rows[0].Label);
        Assert.Equal("Dog,Wind", rows[0].LabelNames);
        Assert.Equal([1f, 0f, 0f], rows[1].Label);
        Assert.Equal("", rows[1].Split);
        VBuffer<ReadOnlyMemory<char>> slots = default;
        data.Schema[LabeledAudioColumns.Label].GetSlotNames(ref slots);
        Assert.Equal(3, slots.Length);
    }

    [Fact]
    public void Read_GivenVocabulary_FixesIndicesAndRejectsUnknownLabels()
    {
        using var dir = new TempFolder();
        var vocabulary = new LabelVocabulary(["Wind", "Dog", "Cat"]);
        string csv = Listing(dir, "path,labels\na.wav,Cat\nb.wav,Rain\n", "a.wav", "b.wav");
        var ex = Assert.Throws<UnknownLabelException>(() => LabeledAudioCsvReader.Read(csv, new LabeledAudioCsvOptions { Vocabulary = vocabulary }));
        Assert.Equal(("Rain", 3), (ex.Label, ex.LineNumber));

        File.WriteAllText(csv, "path,labels\na.wav,Cat\n");
        var set = LabeledAudioCsvReader.Read(csv, new LabeledAudioCsvOptions { Vocabulary = vocabulary });
        Assert.Equal([2], set.Clips[0].LabelIndices);
    }

    [Fact]
    public void Read_CustomColumnsSeparatorSplitAndAudioRoot()
    {
        using var dir = new TempFolder();
        TinyFsd50k.Wav(dir.File("audio/x.wav"));
        string csv = dir.File("meta/list.csv", "File;Tags;Split;Notes\nx.wav;Dog|Cat;TRAIN;hello\n".Replace(';', ','));
        var options = new LabeledAudioCsvOptions
        {
            PathColumn = "file", LabelsColumn = "tags", LabelSeparator = '|', AudioRoot = Path.Combine(dir.Path, "audio"),
        };
        var clip = LabeledAudioCsvReader.Read(csv, options).Clips.Single();
        Assert.Equal(Path.Combine(dir.Path, "audio", "x.wav"), clip.Path);
        Assert.Equal("train", clip.Split);
        Assert.Equal(2, clip.LabelIndices.Count);

        options = options with { AllowExtraColumns = false };
        var ex = Assert.Throws<CsvColumnsException>(() => LabeledAudioCsvReader.Read(csv, options));
        Assert.Equal(["Notes"], ex.ExtraColumns);
    }

    [Fact]
    public void Read_HeaderlessFile_NamesTheMissingColumns()
    {
        using var dir = new TempFolder();
        string csv = Listing(dir, "a.wav,Dog\n", "a.wav");
        var ex = Assert.Throws<CsvColumnsException>(() => LabeledAudioCsvReader.Read(csv));
        Assert.Equal(["path", "labels"], ex.MissingColumns);
        Assert.Contains("'a.wav'", ex.Message);
    }

    [Fact]
    public void Read_EmptyLabels_AreAnErrorUnlessAllowed()
    {
        using var dir = new TempFolder();
        string csv = Listing(dir, "path,labels\na.wav,Dog\nb.wav,\n", "a.wav", "b.wav");
        var ex = Assert.Throws<EmptyLabelsException>(() => LabeledAudioCsvReader.Read(csv));
        Assert.Equal(3, ex.LineNumber);
        Assert.IsAssignableFrom<MalformedCsvRowException>(ex);
        Assert.Contains("set AllowEmptyLabels to permit it", ex.Message);
        Assert.EndsWith("has no labels (pass --allow-empty-labels).", ex.WithRemedy("pass --allow-empty-labels").Message);
        var set = LabeledAudioCsvReader.Read(csv, new LabeledAudioCsvOptions { AllowEmptyLabels = true });
        Assert.Empty(set.Clips[1].LabelIndices);
        Assert.Equal([0f], set.MultiHot(1));
    }

    [Fact]
    public void Read_MissingAudio_ThrowsOrSkips()
    {
        using var dir = new TempFolder();
        string csv = Listing(dir, "path,labels\na.wav,Dog\ngone.wav,Cat\n", "a.wav");
        var ex = Assert.Throws<MissingAudioFilesException>(() => LabeledAudioCsvReader.Read(csv));
        Assert.Equal([Path.Combine(dir.Path, "gone.wav")], ex.MissingPaths);
        var set = LabeledAudioCsvReader.Read(csv, new LabeledAudioCsvOptions { MissingAudio = MissingAudioPolicy.Skip });
        Assert.Single(set.Clips);
        Assert.Single(set.SkippedMissingAudio);
        Assert.Equal(["Cat", "Dog"], set.Vocabulary.Labels); // the vocabulary still covers the whole listing
    }

    [Theory]
    [InlineData("path,labels\na.wav,Dog,extra\n", 2, "extra field")]
    [InlineData("path,labels\n,Dog\n", 2, "path field is empty")]
    [InlineData("path,labels\na.wav,Dog\na.wav,Cat\n", 3, "already appeared on line 2")]
    public void Read_BadRows_NameTheLine(string text, int line, string reason)
    {
        using var dir = new TempFolder();
        string csv = Listing(dir, text, "a.wav");
        var ex = Assert.Throws<MalformedCsvRowException>(() => LabeledAudioCsvReader.Read(csv));
        Assert.Equal(line, ex.LineNumber);
        Assert.Contains(reason, ex.Message);
    }

    [Theory]
    [InlineData("path,labels,split\na.wav,Dog,train\nb.wav,Dog,testing\n", 3, "unknown split 'testing'")]
    [InlineData("path,labels,split\na.wav,Dog,train\nb.wav,Dog,\n", 3, "split field is empty")]
    public void Read_UnknownSplitValue_NamesTheLine(string text, int line, string reason)
    {
        using var dir = new TempFolder();
        string csv = Listing(dir, text, "a.wav", "b.wav");
        var ex = Assert.Throws<MalformedCsvRowException>(() => LabeledAudioCsvReader.Read(csv));
        Assert.Equal(line, ex.LineNumber);
        Assert.Contains(csv, ex.Message);
        Assert.Contains(reason, ex.Message);
        Assert.Contains("train, val, eval, test", ex.Message);
    }

    [Fact]
    public void Read_StandardSplits_AreKept_AndNullSplitsAcceptsAnyValue()
    {
        using var dir = new TempFolder();
        string csv = Listing(dir, "path,labels,split\na.wav,Dog,train\nb.wav,Dog,Val\nc.wav,Dog,EVAL\nd.wav,Dog,test\n", "a.wav", "b.wav", "c.wav", "d.wav");
        Assert.Equal(["train", "val", "eval", "test"], LabeledAudioCsvReader.Read(csv).Clips.Select(c => c.Split));

        File.WriteAllText(csv, "path,labels,split\na.wav,Dog,fold3\n");
        var set = LabeledAudioCsvReader.Read(csv, new LabeledAudioCsvOptions { Splits = null });
        Assert.Equal("fold3", set.Clips.Single().Split);
    }
}
