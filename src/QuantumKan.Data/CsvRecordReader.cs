using System.Text;

namespace QuantumKan.Data;

/// <summary>One CSV record: its fields and the 1-based line it starts on.</summary>
public readonly record struct CsvRecord(IReadOnlyList<string> Fields, int LineNumber);

/// <summary>
/// A strict RFC 4180 reader: comma-separated fields, double-quoted fields that may hold commas, quotes (doubled) and
/// line breaks, CRLF/LF/CR line ends, an optional UTF-8 BOM; blank lines are skipped. Written by hand because ML.NET's
/// TextLoader turns malformed rows into missing values without saying where, and the data set errors here must name
/// the line a record starts on. Kept rather than Sep 0.18 or Sylvan.Data.Csv 1.4.4 because Sep accepts misplaced and
/// unclosed quotes silently and Sylvan numbers records rather than physical lines (<c>bench/deps/CsvLibraryProbe.cs</c>).
/// </summary>
public static class CsvRecordReader
{
    /// <summary>Reads every record of a file.</summary>
    /// <exception cref="MalformedCsvRowException">A quote is misplaced or never closed (the message names the line).</exception>
    public static IEnumerable<CsvRecord> ReadFile(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        foreach (var record in Read(reader, path))
            yield return record;
    }

    /// <summary>Reads every record from a reader; <paramref name="sourceName"/> names it in errors.</summary>
    public static IEnumerable<CsvRecord> Read(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1;
        bool inQuotes = false, fieldWasQuoted = false, recordHasContent = false;

        while (true)
        {
            int c = reader.Read();
            if (inQuotes)
            {
                if (c == -1)
                    throw new MalformedCsvRowException(sourceName, recordLine, "a quoted field is never closed.");
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                        int next = reader.Peek();
                        if (next is not (',' or '\r' or '\n' or -1))
                            throw new MalformedCsvRowException(sourceName, line, $"unexpected '{(char)next}' after a closing quote.");
                    }
                }
                else
                {
                    if (c == '\n' || (c == '\r' && reader.Peek() != '\n'))
                        line++;
                    field.Append((char)c);
                }
                continue;
            }

            switch (c)
            {
                case '"':
                    if (field.Length > 0 || fieldWasQuoted)
                        throw new MalformedCsvRowException(sourceName, line, "a quote inside an unquoted field; quote the whole field and double inner quotes.");
                    inQuotes = fieldWasQuoted = recordHasContent = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldWasQuoted = false;
                    recordHasContent = true;
                    break;
                case '\r' or '\n' or -1:
                    if (c == '\r' && reader.Peek() == '\n')
                        reader.Read();
                    if (recordHasContent || field.Length > 0)
                    {
                        fields.Add(field.ToString());
                        yield return new CsvRecord(fields.ToArray(), recordLine);
                    }
                    if (c == -1)
                        yield break;
                    fields.Clear();
                    field.Clear();
                    fieldWasQuoted = recordHasContent = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append((char)c);
                    recordHasContent = true;
                    break;
            }
        }
    }

    /// <summary>Quotes a field when it holds a comma, a quote or a line break (quotes are doubled).</summary>
    public static string Escape(string field, bool alwaysQuote = false)
    {
        ArgumentNullException.ThrowIfNull(field);
        bool needs = alwaysQuote || field.AsSpan().IndexOfAny(",\"\r\n") >= 0;
        return needs ? $"\"{field.Replace("\"", "\"\"")}\"" : field;
    }
}
