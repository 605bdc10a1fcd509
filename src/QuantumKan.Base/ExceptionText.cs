namespace QuantumKan.Core;

/// <summary>Exception messages as a person should read them, for errors that wrap another error's message.</summary>
public static class ExceptionText
{
    /// <summary>
    /// <paramref name="ex"/>'s message without the " (Parameter 'x')" tail that .NET appends to an
    /// <see cref="ArgumentException"/> with a parameter name: the name of a C# parameter means nothing to the user of a
    /// file or a command line.
    /// </summary>
    public static string ForUser(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var message = ex.Message;
        if (ex is ArgumentException { ParamName: { } name })
        {
            int cut = message.IndexOf($" (Parameter '{name}')", StringComparison.Ordinal);
            if (cut >= 0)
                message = message[..cut];
        }
        return message;
    }
}
