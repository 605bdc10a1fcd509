namespace QuantumKan.ML.Quantum;

/// <summary>
/// A value in one row of a data view that a QuantumKan component cannot use; names the column and the row. An
/// <see cref="InvalidOperationException"/>, like the errors ML.NET raises for bad data.
/// </summary>
public sealed class InvalidRowException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="column">The column holding the bad value.</param>
    /// <param name="row">The 0-based row position in the data view.</param>
    /// <param name="reason">What is wrong with the value.</param>
    public InvalidRowException(string column, long row, string reason)
        : base($"Column '{column}', row {row}: {reason}")
    {
        Column = column;
        Row = row;
    }

    /// <summary>The column holding the bad value.</summary>
    public string Column { get; }

    /// <summary>The 0-based row position in the data view.</summary>
    public long Row { get; }
}
