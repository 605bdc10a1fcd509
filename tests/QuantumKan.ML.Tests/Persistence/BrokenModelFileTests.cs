using System.Diagnostics;
using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.ML.Persistence;
using QuantumKan.ML.TestHost;

namespace QuantumKan.ML.Tests.Persistence;

/// <summary>
/// Every way a model file commonly goes wrong gives one <see cref="ModelFormatException"/> from
/// <see cref="QuantumKanRegistration.LoadQuantumKanModel"/> whose message starts with the file's path and says what is wrong.
/// </summary>
public sealed class BrokenModelFileTests : IDisposable
{
    static BrokenModelFileTests() => TorchLinearTransformer.RegisterKind();

    private readonly TempFolder _temp = new("qkan-broken-");

    private string _dir => _temp.Path;

    public void Dispose() => _temp.Dispose();

    private string SaveModel()
    {
        var ml = new MLContext(seed: 1);
        var model = TorchLinearTransformer.Train(ml, seed: 7);
        var data = ml.Data.LoadFromEnumerable(new[] { new HostInput { Features = [1f, 2f, 3f, 4f] } });
        var path = Path.Combine(_dir, "model.zip");
        ml.Model.Save(new TransformerChain<ITransformer>(model), data.Schema, path);
        return path;
    }

    private static ModelFormatException LoadFails(string path)
    {
        var ex = Assert.Throws<ModelFormatException>(() => new MLContext().LoadQuantumKanModel(path, out _));
        Assert.Equal(path, ex.FilePath);
        Assert.StartsWith(path + " ", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        return ex;
    }

    [Fact]
    public void GoodModel_Loads()
    {
        var loaded = new MLContext().LoadQuantumKanModel(SaveModel(), out _);
        Assert.IsType<TorchLinearTransformer>(Assert.Single((TransformerChain<ITransformer>)loaded));
    }

    [Fact]
    public void TruncatedZip_IsNamedTruncatedOrCorrupt()
    {
        var path = SaveModel();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]); // the central directory at the end is gone

        var ex = LoadFails(path);
        Assert.Contains("is truncated or corrupt (not a valid zip archive)", ex.Message);
    }

    [Fact]
    public void FlippedBytes_AreNamedCorrupt()
    {
        var path = SaveModel();
        var bytes = File.ReadAllBytes(path);
        // Flip a run of bytes in the middle of every entry's data (a disk or transfer error inside the archive).
        using (var zip = ZipFile.OpenRead(path))
            Assert.True(zip.Entries.Count >= 3);
        for (int i = bytes.Length / 3; i < bytes.Length / 3 + 64; i++)
            bytes[i] ^= 0xA5;
        File.WriteAllBytes(path, bytes);

        var ex = LoadFails(path);
        Assert.Contains("corrupt", ex.Message);
    }

    [Fact]
    public void DeletedTransformerHeader_IsNamedMissing()
    {
        var path = SaveModel();
        string deleted;
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var entry = zip.Entries.Single(e => e.FullName.EndsWith("Model.key") && e.FullName.Contains("Transform_"));
            deleted = entry.FullName;
            entry.Delete();
        }

        var ex = LoadFails(path);
        Assert.Contains($"is not a QuantumKan model zip: entry '{deleted}' is missing", ex.Message);
    }

    [Fact]
    public void DeletedSection_IsNamedMissing()
    {
        var path = SaveModel();
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            zip.Entries.Single(e => e.FullName.EndsWith("Weights.qks")).Delete();

        var ex = LoadFails(path);
        Assert.Contains("entry 'TransformerChain/Transform_000/Weights.qks' is missing", ex.Message);
        Assert.Equal("TransformerChain/Transform_000/Weights.qks", ex.Entry);
    }

    [Fact]
    public void ValidZipThatIsNotAModel_SaysSo()
    {
        var path = Path.Combine(_dir, "photos.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        using (var writer = new StreamWriter(zip.CreateEntry("readme.txt").Open()))
            writer.Write("not a model");

        var ex = LoadFails(path);
        Assert.Contains("is not a QuantumKan model zip: entry 'TransformerChain/Model.key' is missing", ex.Message);
    }

    [Fact]
    public void Directory_IsNamedADirectory()
    {
        var path = Path.Combine(_dir, "model.zip");
        Directory.CreateDirectory(path);

        var ex = LoadFails(path);
        Assert.Equal($"{path} is a directory, not a model file", ex.Message);
    }

    [Fact]
    public async Task Fifo_IsRefusedInsteadOfBlocking()
    {
        var path = Path.Combine(_dir, "model.zip");
        MakeFifo(path);

        var ex = await Task.Run(() => LoadFails(path)).WaitAsync(TimeSpan.FromSeconds(30)); // a TimeoutException if it blocks
        Assert.Contains("is a FIFO (named pipe), not a regular file", ex.Message);
    }

    [Fact]
    public void MissingFile_IsFileNotFound()
    {
        var path = Path.Combine(_dir, "nowhere.zip");
        var ex = Assert.Throws<FileNotFoundException>(() => new MLContext().LoadQuantumKanModel(path, out _));
        Assert.Contains(path, ex.Message);
    }

    internal static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
        mkfifo.WaitForExit();
        Assert.True(mkfifo.ExitCode == 0, mkfifo.StandardError.ReadToEnd());
    }
}
