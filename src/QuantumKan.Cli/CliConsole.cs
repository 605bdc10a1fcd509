using Spectre.Console;

namespace QuantumKan.Cli;

/// <summary>
/// The streams a command writes to, injected so tests can capture them. When <see cref="IsInteractive"/> (stdout is a
/// terminal) long steps show Spectre.Console progress bars; otherwise they print plain progress lines, so logs and
/// pipes stay readable.
/// </summary>
public sealed class CliConsole
{
    // Width used for tables when stdout is not a terminal (Spectre would otherwise assume 80 columns).
    private const int PlainWidth = 160;

    /// <summary>Creates a console over two writers.</summary>
    /// <param name="output">Results and progress.</param>
    /// <param name="error">Errors and warnings.</param>
    /// <param name="isInteractive">Whether <paramref name="output"/> is a terminal (progress bars, colours).</param>
    /// <param name="cancellation">Signalled on Ctrl+C; long steps stop at the next safe point.</param>
    public CliConsole(TextWriter output, TextWriter error, bool isInteractive = false, CancellationToken cancellation = default)
    {
        Out = output ?? throw new ArgumentNullException(nameof(output));
        Error = error ?? throw new ArgumentNullException(nameof(error));
        IsInteractive = isInteractive;
        Cancellation = cancellation;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = isInteractive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isInteractive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isInteractive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        if (!isInteractive)
            Ansi.Profile.Width = PlainWidth;
    }

    /// <summary>Results and progress.</summary>
    public TextWriter Out { get; }

    /// <summary>Errors and warnings.</summary>
    public TextWriter Error { get; }

    /// <summary>Whether stdout is a terminal.</summary>
    public bool IsInteractive { get; }

    /// <summary>Signalled when the user asks to stop (Ctrl+C).</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>Spectre.Console over <see cref="Out"/>, for tables and progress bars.</summary>
    public IAnsiConsole Ansi { get; }

    /// <summary>A table border that reads well in this console (box drawing on terminals, ASCII in logs).</summary>
    public TableBorder TableBorder => IsInteractive ? TableBorder.Rounded : TableBorder.Ascii;

    /// <summary>Writes a warning line to <see cref="Error"/>.</summary>
    public void Warn(string message) => Error.WriteLine($"warning: {message}");
}
