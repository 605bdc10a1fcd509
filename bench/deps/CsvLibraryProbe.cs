// Why QuantumKan.Data keeps its own CSV reader: feeds the inputs CsvRecordReaderTests requires to be rejected or
// line-numbered to Sep and Sylvan.Data.Csv (both served) and prints what each does with them.
// Run: dotnet run bench/deps/CsvLibraryProbe.cs (bench/deps/run.sh runs it too).
#:package Sep@0.18.0
#:package Sylvan.Data.Csv@1.4.4
#:property ManagePackageVersionsCentrally=false
using nietras.SeparatedValues;
using Sylvan.Data.Csv;

(string Text, string Expected)[] cases =
[
    ("a,b\r\n1,\"x,y\"\n3,\"two\nlines\"\n\n4,\n", "records on lines 1, 2, 3, 6 (the blank line 5 skipped)"),
    ("a,b\n1,\"open\n2,x\n", "error: quoted field never closed, line 2"),
    ("a,b\n1,\"x\"y\n", "error: 'y' after a closing quote, line 2"),
    ("a,b\n\n1,ab\"c\n", "error: quote inside an unquoted field, line 3"),
];
foreach (var (text, expected) in cases)
{
    Console.WriteLine($"=== {Show(text)}\n  QuantumKan.Data expects: {expected}");
    Console.Write("  Sep:    ");
    Try(() =>
    {
        using var reader = Sep.Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = true }).From(new StringReader(text));
        foreach (var row in reader)
        {
            var fields = new List<string>();
            for (int i = 0; i < row.ColCount; i++)
                fields.Add(row[i].ToString());
            Console.Write($"line {row.LineNumberFrom} [{Show(string.Join("|", fields))}]  ");
        }
    });
    Console.Write("  Sylvan: ");
    Try(() =>
    {
        using var reader = CsvDataReader.Create(new StringReader(text), new CsvDataReaderOptions { HasHeaders = false });
        while (reader.Read())
        {
            var fields = new List<string>();
            for (int i = 0; i < reader.RowFieldCount; i++)
                fields.Add(reader.GetString(i));
            Console.Write($"row {reader.RowNumber} [{Show(string.Join("|", fields))}]  ");
        }
    });
}

static void Try(Action read)
{
    try
    {
        read();
    }
    catch (Exception e)
    {
        Console.Write($"{e.GetType().Name}: {e.Message}");
    }
    Console.WriteLine();
}

static string Show(string s) => s.Replace("\r", "\\r").Replace("\n", "\\n");
