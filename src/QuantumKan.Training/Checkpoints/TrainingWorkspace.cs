using System.Globalization;
using QuantumKan.Core;

namespace QuantumKan.Training.Checkpoints;

/// <summary>
/// A checkpoint workspace held by one training run. Opening it takes <c>workspace.lock</c> (a file opened with
/// <see cref="FileShare.None"/>, which on Linux is an exclusive <c>flock</c> that the kernel drops when the process
/// dies, so a crashed run never leaves the workspace locked) and writes the holder's process id, host and start time
/// into <c>workspace.holder</c>; a second run on the same folder, in this process or another, gets a
/// <see cref="WorkspaceLockedException"/> naming that holder. Under the lock, the temporaries a crashed atomic write
/// left behind (<see cref="AtomicFile.IsTemporaryFileName"/>) are deleted. Dispose releases the lock.
/// </summary>
public sealed class TrainingWorkspace : IDisposable
{
    /// <summary>The lock file's name.</summary>
    public const string LockFileName = "workspace.lock";

    /// <summary>The file that names the run holding the lock (read by a run that finds the workspace locked).</summary>
    public const string HolderFileName = "workspace.holder";

    private FileStream? _lock;

    private TrainingWorkspace(string directory, FileStream lockStream, WorkspaceHolder holder, IReadOnlyList<string> removed)
    {
        Directory = directory;
        _lock = lockStream;
        Holder = holder;
        RemovedTemporaries = removed;
    }

    /// <summary>The workspace folder (full path).</summary>
    public string Directory { get; }

    /// <summary>This run, as written into the lock.</summary>
    public WorkspaceHolder Holder { get; }

    /// <summary>Stale temporaries deleted when the workspace was opened.</summary>
    public IReadOnlyList<string> RemovedTemporaries { get; }

    /// <summary>Whether the folder holds a checkpoint a run could resume from (<c>last.qkc</c> or <c>best.qkc</c>).</summary>
    public static bool HoldsCheckpoints(string directory) =>
        File.Exists(Path.Combine(directory, CheckpointStore.LastFileName)) || File.Exists(Path.Combine(directory, CheckpointStore.BestFileName));

    /// <summary>
    /// Takes the workspace for this run (creating the folder when missing) and deletes stale temporaries.
    /// </summary>
    /// <param name="directory">The workspace folder.</param>
    /// <param name="mode">
    /// <see cref="WorkspaceStart.Fresh"/> refuses a folder that already holds checkpoints
    /// (<see cref="WorkspaceNotEmptyException"/>), so a new run never silently replaces a resumable one;
    /// <see cref="WorkspaceStart.Resume"/> and <see cref="WorkspaceStart.Overwrite"/> accept it.
    /// </param>
    /// <exception cref="WorkspaceLockedException">Another run holds the workspace.</exception>
    /// <exception cref="WorkspaceNotEmptyException">A fresh start on a folder with checkpoints.</exception>
    public static TrainingWorkspace Open(string directory, WorkspaceStart mode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(full);
        var lockPath = Path.Combine(full, LockFileName);
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException && File.Exists(lockPath))
        {
            throw new WorkspaceLockedException(full, WorkspaceHolder.TryRead(Path.Combine(full, HolderFileName)), ex);
        }
        try
        {
            var holder = WorkspaceHolder.Current();
            // The lock file is never deleted (deleting it would let two runs lock two different files of the same name);
            // it also holds the holder's line, for people looking at the folder.
            stream.SetLength(0);
            var line = System.Text.Encoding.UTF8.GetBytes(holder.ToLine() + "\n");
            stream.Write(line);
            stream.Flush(flushToDisk: false);
            AtomicFile.WriteAllText(Path.Combine(full, HolderFileName), holder.ToLine() + "\n");
            if (mode == WorkspaceStart.Fresh && HoldsCheckpoints(full))
                throw new WorkspaceNotEmptyException(full);
            var removed = AtomicFile.DeleteStaleTemporaries(full);
            return new TrainingWorkspace(full, stream, holder, removed);
        }
        catch
        {
            try { File.Delete(Path.Combine(full, HolderFileName)); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        var stream = Interlocked.Exchange(ref _lock, null);
        if (stream is null)
            return;
        try { File.Delete(Path.Combine(Directory, HolderFileName)); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        stream.Dispose();
    }
}

/// <summary>How a run starts on its workspace.</summary>
public enum WorkspaceStart
{
    /// <summary>A new run: the folder must not hold checkpoints.</summary>
    Fresh,

    /// <summary>Continue the run whose checkpoints the folder holds (or start one when it holds none).</summary>
    Resume,

    /// <summary>A new run that replaces whatever checkpoints the folder holds.</summary>
    Overwrite,
}

/// <summary>The run holding a workspace: process id, host and start time (UTC).</summary>
public sealed record WorkspaceHolder(int ProcessId, string Host, DateTime StartedUtc)
{
    /// <summary>This process, now.</summary>
    public static WorkspaceHolder Current() =>
        new(Environment.ProcessId, Environment.MachineName, DateTime.UtcNow);

    /// <summary>"pid=1234 host=box started=2025-01-01T12:00:00Z".</summary>
    public string ToLine() =>
        $"pid={ProcessId.ToString(CultureInfo.InvariantCulture)} host={Host} started={StartedUtc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}";

    /// <summary>"process 1234 on host box, started 2025-01-01T12:00:00Z".</summary>
    public override string ToString() =>
        $"process {ProcessId.ToString(CultureInfo.InvariantCulture)} on host {Host}, started {StartedUtc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}";

    /// <summary>Reads a holder line; null when the file is missing or does not hold one.</summary>
    public static WorkspaceHolder? TryRead(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        var fields = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
        if (fields.TryGetValue("pid", out var pid) && int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int id)
            && fields.TryGetValue("host", out var host)
            && fields.TryGetValue("started", out var started)
            && DateTime.TryParse(started, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var when))
            return new WorkspaceHolder(id, host, when);
        return null;
    }
}

/// <summary>Another training run holds the workspace.</summary>
public sealed class WorkspaceLockedException(string workspace, WorkspaceHolder? holder, Exception? inner = null)
    : IOException($"Workspace '{workspace}' is in use by another training run ({holder?.ToString() ?? "holder unknown"}; lock file {Path.Combine(workspace, TrainingWorkspace.LockFileName)}). Wait for that run to end, or use another workspace.", inner)
{
    /// <summary>The workspace folder.</summary>
    public string Workspace { get; } = workspace;

    /// <summary>The run holding it, when its holder file could be read.</summary>
    public WorkspaceHolder? Holder { get; } = holder;
}

/// <summary>A fresh run was asked to start on a workspace that holds a resumable run's checkpoints.</summary>
public sealed class WorkspaceNotEmptyException(string workspace)
    : IOException($"Workspace '{workspace}' holds the checkpoints of an earlier run; resume it, or overwrite them explicitly (a new run does not replace them silently).")
{
    /// <summary>The workspace folder.</summary>
    public string Workspace { get; } = workspace;
}
