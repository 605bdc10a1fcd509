using System.Runtime.InteropServices;
using QuantumKan.Cli;

// Ctrl+C (SIGINT) and SIGTERM (how containers and job schedulers stop a process) ask the running command to stop at
// its next safe point (training writes a checkpoint first), exit code 130; a second Ctrl+C ends the process at once.
using var cancellation = new CancellationTokenSource();
void RequestStop(string what)
{
    Console.Error.WriteLine($"{what}: stopping at the next safe point (press Ctrl+C again to quit at once)...");
    try
    {
        cancellation.Cancel();
    }
    catch (ObjectDisposedException)
    {
        // The command has already returned.
    }
}
Console.CancelKeyPress += (_, e) =>
{
    if (cancellation.IsCancellationRequested)
        return;
    e.Cancel = true;
    RequestStop("Ctrl+C");
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    // Cancel = true keeps the runtime from ending the process; the command unwinds and exits with 130.
    context.Cancel = true;
    if (!cancellation.IsCancellationRequested)
        RequestStop("SIGTERM");
});
return CliApp.Run(args, cancellation: cancellation.Token);
