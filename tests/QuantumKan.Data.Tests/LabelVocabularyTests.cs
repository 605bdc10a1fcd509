using QuantumKan.Data;

namespace QuantumKan.Data.Tests;

public class LabelVocabularyTests
{
    [Fact]
    public void Fsd50kCsv_RoundTripsWithoutHeader()
    {
        using var dir = new TempFolder();
        var vocabulary = new LabelVocabulary(["Bark", "Bass_guitar", "Wind"], ["/m/05tny_", "/m/018vs", "/m/03m9d0z"]);
        string path = dir.File("vocabulary.csv");
        vocabulary.WriteFsd50kCsv(path);
        Assert.Equal("0,Bark,/m/05tny_", File.ReadLines(path).First());
        var back = LabelVocabulary.ReadFsd50kCsv(path);
        Assert.Equal(vocabulary.Labels, back.Labels);
        Assert.Equal(vocabulary.Mids, back.Mids);
        Assert.Equal(2, back.IndexOf("Wind"));
        Assert.Equal(-1, back.IndexOf("wind"));
    }

    [Fact]
    public void ReadFsd50kCsv_OrdersByIndexColumn()
    {
        using var dir = new TempFolder();
        var back = LabelVocabulary.ReadFsd50kCsv(dir.File("v.csv", "1,B,/m/b\n0,A,/m/a\n"));
        Assert.Equal(["A", "B"], back.Labels);
    }

    [Theory]
    [InlineData("0,A,/m/a\n2,B,/m/b\n", 2, "gap")]
    [InlineData("0,A,/m/a\n1,A,/m/b\n", 2, "already appeared on line 1")]
    [InlineData("0,A,/m/a\n0,B,/m/b\n", 2, "index 0 already appeared")]
    [InlineData("0,A,/m/a\n1,B,/m/a\n", 2, "mid '/m/a' already appeared")]
    [InlineData("0,A,/m/a\nx,B,/m/b\n", 2, "not a non-negative integer")]
    [InlineData("0,A\n", 1, "expected 3 fields")]
    [InlineData("0,\"A,B\",/m/a\n", 1, "comma")]
    public void ReadFsd50kCsv_RejectsBadRows_NamingTheLine(string text, int line, string reason)
    {
        using var dir = new TempFolder();
        var ex = Assert.Throws<MalformedCsvRowException>(() => LabelVocabulary.ReadFsd50kCsv(dir.File("v.csv", text)));
        Assert.Equal(line, ex.LineNumber);
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void Constructor_RejectsRepeatedOrPaddedLabels()
    {
        Assert.Throws<ArgumentException>(() => new LabelVocabulary(["A", "A"]));
        Assert.Throws<ArgumentException>(() => new LabelVocabulary([" A"]));
        Assert.Throws<ArgumentException>(() => new LabelVocabulary([]));
    }
}
