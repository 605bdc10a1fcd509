using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.ML.Persistence;
using QuantumKan.ML.TestHost;

namespace QuantumKan.ML.Tests.Persistence;

public sealed class PersistenceRoundTripTests : IDisposable
{
    static PersistenceRoundTripTests() => TorchLinearTransformer.RegisterKind();

    // Each test's saved model (and the copies made from it) lives here; the host process a test starts ends before the test does.
    private readonly TempFolder _temp = new("qkan-persist-");

    public void Dispose() => _temp.Dispose();

    private static readonly float[][] Inputs =
    [
        [0.1f, -0.2f, 0.3f, 0.4f],
        [1.5f, 2.25f, -3.125f, 0f],
        [-0.001f, 1e-6f, 123.456f, -7f],
    ];

    private (string Path, TorchLinearTransformer Model, MLContext Ml, IDataView Data) SaveModel()
    {
        var ml = new MLContext(seed: 1);
        var model = TorchLinearTransformer.Train(ml, seed: 7);
        var data = ml.Data.LoadFromEnumerable(Inputs.Select(x => new HostInput { Features = x }));
        var path = _temp.Combine("model.zip");
        // A chain, as pipelines produce, so the transformer sits in a sub-directory of the zip.
        var chain = new TransformerChain<ITransformer>(model);
        ml.Model.Save(chain, data.Schema, path);
        return (path, model, ml, data);
    }

    private static (int ExitCode, string[] Lines) RunHost(params string[] args)
    {
        var hostDll = Path.Combine(AppContext.BaseDirectory, "QuantumKan.ML.TestHost.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(hostDll);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(120_000), "the second process did not finish in 2 minutes");
        var lines = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(p.ExitCode == 0 || lines.Length > 0, "host failed: " + stderr.Result);
        return (p.ExitCode, lines);
    }

    [Fact]
    public void SavedModel_LoadsInFreshProcess_WithBitIdenticalPredictions()
    {
        var (path, model, ml, _) = SaveModel();
        var inputsFile = Path.ChangeExtension(path, ".txt");
        File.WriteAllLines(inputsFile, Inputs.Select(x => string.Join(' ', x.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));

        var engine = ml.Model.CreatePredictionEngine<HostInput, HostOutput>(new TransformerChain<ITransformer>(model));
        var expected = Inputs.Select(x => string.Join(' ', engine.Predict(new HostInput { Features = x }).Score
            .Select(v => BitConverter.SingleToInt32Bits(v).ToString("X8")))).ToArray();

        var (code, lines) = RunHost("predict", path, inputsFile);
        Assert.Equal(0, code);
        Assert.Equal(expected, lines);
    }

    [Fact]
    public void BinaryState_TravelsInsideTheZip()
    {
        var (path, model, _, _) = SaveModel();
        var ml2 = new MLContext(seed: 2).RegisterQuantumKan();
        var loaded = ml2.Model.Load(path, out var schema);
        var linear = Assert.IsType<TorchLinearTransformer>(Assert.Single((TransformerChain<ITransformer>)loaded));
        Assert.Equal(model.OptimizerState, linear.OptimizerState);
        Assert.Equal(model.Apply(Inputs[1]), linear.Apply(Inputs[1]));
        Assert.NotNull(schema.GetColumnOrNull("Features"));
    }

    [Fact]
    public void Load_WithoutRegistration_NamesTheCallToMake()
    {
        var (path, _, _, _) = SaveModel();
        var (code, lines) = RunHost("load-unregistered", path);
        Assert.NotEqual(0, code);
        Assert.Contains(lines, l => l.Contains("mlContext.RegisterQuantumKan()"));
        // As the README says: ML.NET's own message is on top, the hint is the innermost exception's.
        Assert.StartsWith("ERROR InvalidOperationException: Error during class instantiation", lines.First(l => l.StartsWith("ERROR")));
        Assert.Contains(ModelPersistence.RegistrationHint, lines.Last(l => l.StartsWith("INNER")));
    }

    [Fact]
    public void Register_IsIdempotentAndObservable()
    {
        var ml = new MLContext();
        Assert.False(ml.IsQuantumKanRegistered());
        ml.RegisterQuantumKan().RegisterQuantumKan();
        Assert.True(ml.IsQuantumKanRegistered());
    }

    private static string RewriteEntry(string path, Func<string, bool> match, Func<byte[], byte[]> change)
    {
        var copy = Path.Combine(Path.GetDirectoryName(path)!, Guid.NewGuid().ToString("N") + ".zip");
        File.Copy(path, copy);
        using var zip = ZipFile.Open(copy, ZipArchiveMode.Update);
        var entry = zip.Entries.Single(e => match(e.FullName));
        byte[] bytes;
        using (var s = entry.Open())
        using (var ms = new MemoryStream())
        {
            s.CopyTo(ms);
            bytes = ms.ToArray();
        }
        var name = entry.FullName;
        entry.Delete();
        var replaced = zip.CreateEntry(name);
        using (var s = replaced.Open())
            s.Write(change(bytes));
        return copy;
    }

    [Fact]
    public void CorruptedSection_FailsNamingTheEntry()
    {
        var (path, _, _, _) = SaveModel();
        var bad = RewriteEntry(path, n => n.EndsWith("Weights.qks"), b => { b[b.Length / 2] ^= 0x5A; return b; });
        var ex = Assert.Throws<ModelFormatException>(() => new MLContext().LoadQuantumKanModel(bad, out _));
        Assert.EndsWith("Weights.qks", ex.Entry);
        Assert.Contains("checksum", ex.Message);
    }

    [Fact]
    public void CorruptedSection_ThroughPlainModelLoad_CarriesTheEntryInTheExceptionChain()
    {
        var (path, _, _, _) = SaveModel();
        var bad = RewriteEntry(path, n => n.EndsWith("Weights.qks"), b => { b[b.Length / 2] ^= 0x5A; return b; });
        var ex = Assert.ThrowsAny<Exception>(() => new MLContext().RegisterQuantumKan().Model.Load(bad, out _));
        var typed = Assert.IsType<ModelFormatException>(ex.GetBaseException());
        Assert.Equal("TransformerChain/Transform_000/Weights.qks", typed.Entry);
    }

    [Fact]
    public void TruncatedSection_FailsNamingTheEntry()
    {
        var (path, _, _, _) = SaveModel();
        var bad = RewriteEntry(path, n => n.EndsWith("Optimizer.qks"), b => b[..(b.Length / 3)]);
        var ex = Assert.Throws<ModelFormatException>(() => new MLContext().LoadQuantumKanModel(bad, out _));
        Assert.EndsWith("Optimizer.qks", ex.Entry);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void NewerSectionFormatVersion_FailsNamingTheEntry()
    {
        var (path, _, _, _) = SaveModel();
        var bad = RewriteEntry(path, n => n.EndsWith("Weights.qks"), b => { b[4] = 99; return b; });
        var ex = Assert.Throws<ModelFormatException>(() => new MLContext().LoadQuantumKanModel(bad, out _));
        Assert.EndsWith("Weights.qks", ex.Entry);
        Assert.Contains("version 99", ex.Message);
    }

    [Fact]
    public void MissingSection_FailsNamingTheEntry()
    {
        var (path, _, _, _) = SaveModel();
        var copy = Path.Combine(Path.GetDirectoryName(path)!, "missing.zip");
        File.Copy(path, copy);
        using (var zip = ZipFile.Open(copy, ZipArchiveMode.Update))
            zip.Entries.Single(e => e.FullName.EndsWith("Optimizer.qks")).Delete();
        var ex = Assert.Throws<ModelFormatException>(() => new MLContext().LoadQuantumKanModel(copy, out _));
        Assert.EndsWith("Optimizer.qks", ex.Entry);
        Assert.Contains("missing", ex.Message);
    }

    [Fact]
    public void NewerHeaderFormat_FailsNamingModelKey()
    {
        var (path, _, _, _) = SaveModel();
        // Our header starts right after ML.NET's header and string table; find our format int (1) followed by the kind string.
        var bad = RewriteEntry(path, n => n.EndsWith("Model.key") && n.Contains("Transform_"), b =>
        {
            var kind = System.Text.Encoding.UTF8.GetBytes(TorchLinearTransformer.Kind);
            for (int i = 0; i + 5 + kind.Length < b.Length; i++)
                if (b[i] == 1 && b[i + 1] == 0 && b[i + 2] == 0 && b[i + 3] == 0 && b[i + 4] == kind.Length &&
                    b.AsSpan(i + 5, kind.Length).SequenceEqual(kind))
                {
                    b[i] = 42;
                    return b;
                }
            throw new InvalidOperationException("header not found");
        });
        var ex = Assert.Throws<ModelFormatException>(() => new MLContext().LoadQuantumKanModel(bad, out _));
        Assert.EndsWith("Model.key", ex.Entry);
        Assert.Contains("format version 42", ex.Message);
    }
}
