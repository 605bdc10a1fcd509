using CsCheck;
using QuantumKan.Data;

namespace QuantumKan.Data.Tests;

public class CsvRecordReaderTests
{
    private static List<CsvRecord> Read(string text) => CsvRecordReader.Read(new StringReader(text), "test.csv").ToList();

    [Fact]
    public void Read_HandlesQuotedCommasDoubledQuotesAndLineBreaks_WithRecordStartLines()
    {
        var records = Read("a,b\r\n1,\"x,y\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n\n4,\n");
        Assert.Equal(["a", "b"], records[0].Fields);
        Assert.Equal(["1", "x,y"], records[1].Fields);
        Assert.Equal(["2", "say \"hi\""], records[2].Fields);
        Assert.Equal(["3", "two\nlines"], records[3].Fields);
        Assert.Equal(["4", ""], records[4].Fields);
        Assert.Equal([1, 2, 3, 4, 7], records.Select(r => r.LineNumber));
    }

    [Fact]
    public void ReadFile_SkipsTheUtf8Bom_AndReadsALastLineWithoutNewline()
    {
        using var dir = new TempFolder();
        string path = dir.File("bom.csv");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "fname,labels\r\n1,Dog"u8]);
        var records = CsvRecordReader.ReadFile(path).ToList();
        Assert.Equal("fname", records[0].Fields[0]);
        Assert.Equal(["1", "Dog"], records[1].Fields);
    }

    [Theory]
    [InlineData("a,b\n1,\"open\n2,x\n", 2, "never closed")]
    [InlineData("a,b\n1,\"x\"y\n", 2, "after a closing quote")]
    [InlineData("a,b\n\n1,ab\"c\n", 3, "inside an unquoted field")]
    public void Read_RejectsMisplacedQuotes_NamingTheLine(string text, int line, string reason)
    {
        var ex = Assert.Throws<MalformedCsvRowException>(() => Read(text));
        Assert.Equal(line, ex.LineNumber);
        Assert.Contains(reason, ex.Message);
        Assert.Contains("test.csv", ex.Message);
    }

    [Fact]
    public void EscapeThenRead_RoundTripsAnyFields()
    {
        var field = Gen.String[Gen.Char["a,\"\r\n b"], 0, 8];
        Gen.Select(field.Array[1, 5].Array[1, 4], Gen.Bool).Sample((rows, quoteAll) =>
        {
            // A record of one empty unquoted field is a blank line, which the reader skips by design.
            var text = string.Concat(rows.Select(r => string.Join(",", r.Select(f => CsvRecordReader.Escape(f, quoteAll || r.Length == 1))) + "\n"));
            var back = Read(text);
            Assert.Equal(rows.Length, back.Count);
            for (int i = 0; i < rows.Length; i++)
                Assert.Equal(rows[i], back[i].Fields);
        });
    }
}
