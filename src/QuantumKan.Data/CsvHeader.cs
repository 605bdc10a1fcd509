namespace QuantumKan.Data;

/// <summary>Binds a CSV header row to the columns a listing needs (names match case-insensitively).</summary>
internal sealed class CsvHeader
{
    private readonly Dictionary<string, int> _columns;

    private CsvHeader(IReadOnlyList<string> names, Dictionary<string, int> columns)
    {
        Names = names;
        _columns = columns;
    }

    /// <summary>The header's column names, in file order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Validates a header.</summary>
    /// <exception cref="CsvColumnsException">Required columns are missing, or (unless allowed) unknown ones are present.</exception>
    /// <exception cref="MalformedCsvRowException">A column name repeats.</exception>
    public static CsvHeader Bind(string file, CsvRecord header, IReadOnlyList<string> required, IReadOnlyList<string> optional, bool allowExtra)
    {
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < header.Fields.Count; i++)
            if (!columns.TryAdd(header.Fields[i].Trim(), i))
                throw new MalformedCsvRowException(file, header.LineNumber, $"column '{header.Fields[i]}' appears twice in the header.");
        var missing = required.Where(r => !columns.ContainsKey(r)).ToArray();
        var known = required.Concat(optional).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var extra = allowExtra ? [] : header.Fields.Where(f => !known.Contains(f.Trim())).ToArray();
        if (missing.Length > 0 || extra.Length > 0)
            throw new CsvColumnsException(file, missing, extra, header.Fields);
        return new CsvHeader(header.Fields, columns);
    }

    /// <summary>The position of a column, or −1 when the header lacks it.</summary>
    public int IndexOf(string column) => _columns.TryGetValue(column, out int i) ? i : -1;

    /// <summary>Checks that a record has one field per column.</summary>
    /// <exception cref="MalformedCsvRowException">The field count differs (the message names the line and the columns).</exception>
    public void RequireWidth(string file, CsvRecord record)
    {
        if (record.Fields.Count == Names.Count)
            return;
        string what = record.Fields.Count > Names.Count
            ? $"{record.Fields.Count - Names.Count} extra field(s) beyond the header's {Names.Count}"
            : $"only {record.Fields.Count} field(s); the header has {Names.Count} ({string.Join(", ", Names)})";
        throw new MalformedCsvRowException(file, record.LineNumber, $"{what}. Quote fields that hold commas.");
    }
}
