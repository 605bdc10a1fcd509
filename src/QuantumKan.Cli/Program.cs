using QuantumKan.Cli;

// Ctrl+C asks the running command to stop at its next safe point (training writes a checkpoint first); a second
// Ctrl+C ends the process at once.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (cancellation.IsCancellationRequested)
        return;
    e.Cancel = true;
    Console.Error.WriteLine("Stopping at the next safe point (press Ctrl+C again to quit at once)...");
    cancellation.Cancel();
};
return CliApp.Run(args, cancellation: cancellation.Token);
