using System.Diagnostics;
using System.IO.Compression;

namespace QuantumKan.Cli.Tests;

/// <summary>
/// A broken model file through every command that loads one: exit 1 and one line that names the file and says what is
/// wrong with it (no stack trace). FIFOs given as a model or as audio are refused instead of blocking.
/// </summary>
[Collection(TrainedModelCollection.Name)]
public sealed class BrokenModelTests(TrainedModelFixture fixture)
{
    private string Copy(string folder)
    {
        var path = Path.Combine(fixture.NewFolder(folder), "model.zip");
        File.Copy(fixture.ModelPath, path, overwrite: true);
        return path;
    }

    private string AnEvalClip => fixture.Eval.Clips[0].Path;

    private static void FailsNaming(CliResult result, string file, string problem)
    {
        Assert.Equal(CliApp.DataError, result.ExitCode);
        Assert.StartsWith($"error: {file} {problem}", result.Error.Trim().Split('\n').Single());
        Assert.False(result.HasStackTrace, result.ToString());
    }

    [Fact]
    public void Predict_TruncatedZip()
    {
        var model = Copy("truncated");
        var bytes = File.ReadAllBytes(model);
        File.WriteAllBytes(model, bytes[..(bytes.Length * 2 / 3)]);

        FailsNaming(Qkan.Run("predict", "--model", model, AnEvalClip), model, "is truncated or corrupt");
    }

    [Fact]
    public void Evaluate_DirectoryGivenAsModel()
    {
        var model = Path.Combine(fixture.NewFolder("directory"), "model.zip");
        Directory.CreateDirectory(model);

        FailsNaming(Qkan.Run("evaluate", "--model", model, "--fsd50k", fixture.DataRoot), model, "is a directory, not a model file");
    }

    [Fact]
    public void Similar_ZipThatIsNotAModel()
    {
        var model = Path.Combine(fixture.NewFolder("not-a-model"), "model.zip");
        using (var zip = ZipFile.Open(model, ZipArchiveMode.Create))
        using (var writer = new StreamWriter(zip.CreateEntry("notes.txt").Open()))
            writer.Write("hello");

        FailsNaming(Qkan.Run("similar", "--model", model, "--index", Path.GetDirectoryName(AnEvalClip)!, AnEvalClip), model,
            "is not a QuantumKan model zip: entry 'TransformerChain/Model.key' is missing");
    }

    [Fact]
    public void TrainContinueFrom_DeletedEntry()
    {
        var model = Copy("deleted");
        string deleted;
        using (var zip = ZipFile.Open(model, ZipArchiveMode.Update))
        {
            var entry = zip.Entries.First(e => e.FullName.EndsWith("Model.key") && e.FullName.Contains("Transform_"));
            deleted = entry.FullName;
            entry.Delete();
        }

        var result = Qkan.Run("train", "--fsd50k", fixture.DataRoot, "--continue-from", model, "--out", Path.Combine(fixture.NewFolder("deleted-out"), "m.zip"));

        FailsNaming(result, model, $"is not a QuantumKan model zip: entry '{deleted}' is missing");
    }

    [Fact]
    public void Predict_FlippedBytes()
    {
        var model = Copy("flipped");
        var bytes = File.ReadAllBytes(model);
        for (int i = bytes.Length / 2; i < bytes.Length / 2 + 64; i++)
            bytes[i] ^= 0x5A;
        File.WriteAllBytes(model, bytes);

        var result = Qkan.Run("predict", "--model", model, AnEvalClip);

        Assert.Equal(CliApp.DataError, result.ExitCode);
        Assert.StartsWith($"error: {model} is ", result.Error);
        Assert.Contains("corrupt", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Predict_FifoAsModel_IsRefusedInsteadOfBlocking()
    {
        var model = Path.Combine(fixture.NewFolder("fifo-model"), "model.zip");
        MakeFifo(model);

        var result = await Task.Run(() => Qkan.Run("predict", "--model", model, AnEvalClip)).WaitAsync(TimeSpan.FromSeconds(60));

        FailsNaming(result, model, "is a FIFO (named pipe), not a regular file; give the path of a model zip");
    }

    [Theory]
    [InlineData("predict")]
    [InlineData("mel")]
    public async Task FifoAsAudio_IsRefusedInsteadOfBlocking(string command)
    {
        var folder = fixture.NewFolder("fifo-audio-" + command);
        var wav = Path.Combine(folder, "clip.wav");
        MakeFifo(wav);
        string[] args = command == "predict"
            ? ["predict", "--model", fixture.ModelPath, wav]
            : ["mel", wav, "--out", Path.Combine(folder, "x.npy")];

        var result = await Task.Run(() => Qkan.Run(args)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(CliApp.DataError, result.ExitCode);
        Assert.Contains(wav, result.Error);
        Assert.Contains("is a FIFO (named pipe), not a regular file", result.Error);
        Assert.False(result.HasStackTrace, result.ToString());
    }

    internal static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
        mkfifo.WaitForExit();
        Assert.True(mkfifo.ExitCode == 0, mkfifo.StandardError.ReadToEnd());
    }
}
