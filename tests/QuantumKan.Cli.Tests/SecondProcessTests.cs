using System.Diagnostics;
using System.Text.Json;

namespace QuantumKan.Cli.Tests;

/// <summary>
/// The saved zip is all another process needs: the built <c>qkan</c> run as a separate process gives the very same
/// float32 scores, bit for bit, as an in-process PredictionEngine over the same zip.
/// </summary>
[Collection(TrainedModelCollection.Name)]
public class SecondProcessTests(TrainedModelFixture fixture)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]   // the frame-encoder model: BatchNorm statistics and the patch recipe travel in the zip
    public void BuiltQkan_InAnotherProcess_PredictsBitIdenticalScores(bool encoder)
    {
        string modelPath = encoder ? fixture.EncoderModelPath : fixture.ModelPath;
        var clips = fixture.Eval.Clips.Skip(3).Take(4).Select(c => c.Path).ToArray();
        var expected = SavedModelScores.Predict(modelPath, clips);

        var (exitCode, output, error) = RunBuiltQkan(["predict", "--model", modelPath, "--json", .. clips]);

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        using var json = JsonDocument.Parse(output);
        var predictions = json.RootElement.GetProperty("predictions").EnumerateArray().ToArray();
        Assert.Equal(clips, predictions.Select(p => p.GetProperty("file").GetString()));
        for (int i = 0; i < clips.Length; i++)
        {
            var scores = predictions[i].GetProperty("scores").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            Assert.Equal(SavedModelScores.Bits(expected[i]), SavedModelScores.Bits(scores));
        }
    }

    [Fact]
    public void BuiltQkan_BadArguments_ExitTwo_MissingAudio_ExitsOne()
    {
        var usage = RunBuiltQkan(["predict", "--model", fixture.ModelPath]);
        var missing = RunBuiltQkan(["predict", "--model", fixture.ModelPath, "/no/such/clip.wav"]);

        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("Usage:", usage.Error);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("/no/such/clip.wav", missing.Error);
        Assert.DoesNotContain("   at ", missing.Error);
    }

    // The test project references the CLI project, so the build copies qkan.dll and its runtimeconfig beside the tests.
    private static (int ExitCode, string Output, string Error) RunBuiltQkan(string[] args)
    {
        var qkan = Path.Combine(AppContext.BaseDirectory, "qkan.dll");
        Assert.True(File.Exists(qkan) && File.Exists(Path.Combine(AppContext.BaseDirectory, "qkan.runtimeconfig.json")), $"{qkan} was not built");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(qkan);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("qkan did not finish within 2 minutes");
        }
        return (process.ExitCode, output, error.Result);
    }
}
