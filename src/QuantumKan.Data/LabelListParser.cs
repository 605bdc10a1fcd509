namespace QuantumKan.Data;

/// <summary>Parses a delimited list of label names (FSD50K: comma-joined inside quotes) into vocabulary indices.</summary>
internal static class LabelListParser
{
    /// <summary>Splits a label field into trimmed names; an empty field gives none.</summary>
    /// <exception cref="MalformedCsvRowException">An item between separators is empty.</exception>
    public static string[] Split(string field, char separator, string file, int line, string column)
    {
        if (field.Trim().Length == 0)
            return [];
        var items = field.Split(separator).Select(s => s.Trim()).ToArray();
        if (items.Any(s => s.Length == 0))
            throw new MalformedCsvRowException(file, line, $"the {column} field '{field}' has an empty item.");
        return items;
    }

    /// <summary>Maps names to ascending, distinct vocabulary indices.</summary>
    /// <exception cref="UnknownLabelException">A name is not in the vocabulary.</exception>
    public static int[] ToIndices(IEnumerable<string> names, LabelVocabulary vocabulary, string file, int line)
    {
        var indices = new SortedSet<int>();
        foreach (var name in names)
        {
            int i = vocabulary.IndexOf(name);
            if (i < 0)
                throw new UnknownLabelException(file, line, name, vocabulary.Count);
            indices.Add(i);
        }
        return indices.ToArray();
    }
}
