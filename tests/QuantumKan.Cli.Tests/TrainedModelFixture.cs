using QuantumKan.Data.Synthesis;
using QuantumKan.Data;

namespace QuantumKan.Cli.Tests;

/// <summary>
/// A tiny synthetic set in the real FSD50K layout (16 kHz, so it generates and featurizes fast) and a small model
/// trained on it by <c>qkan train</c> in-process, shared by the round-trip tests.
/// </summary>
public sealed class TrainedModelFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public TrainedModelFixture()
    {
        DataRoot = _folder.Combine("fsd50k");
        Vocabulary = SyntheticFsd50kWriter.Write(DataRoot, new SyntheticFsd50kOptions
        {
            Sound = new SyntheticSoundSetOptions { Seed = 11, SampleRate = 16_000, MinClipSeconds = 1.0, MaxClipSeconds = 1.5 },
            TrainClips = 96, ValClips = 24, EvalClips = 32,
        });
        ModelPath = _folder.Combine("out", "model.zip");
        TrainResult = Qkan.Succeed("train", "--fsd50k", DataRoot, "--out", ModelPath, "--epochs", Epochs.ToString(), "--encoder", "None",
            "--mels", "32", "--modes", "8", "--references", "8", "--semantic-widths", "32", "--seed", "1");
        EncoderModelPath = _folder.Combine("encoder", "model.zip");
        EncoderTrainResult = Qkan.Succeed("train", "--fsd50k", DataRoot, "--out", EncoderModelPath, "--epochs", Epochs.ToString(),
            "--encoder", "Temporal", "--encoder-channels", "8,8,12", "--crop-frames", "50", "--time-masks", "1", "--mixup", "0.5",
            "--mels", "16", "--modes", "4", "--references", "4", "--semantic-widths", "16", "--seed", "1");
    }

    /// <summary>A frame-encoder model (temporal convolution) trained on the same data.</summary>
    public string EncoderModelPath { get; }

    public CliResult EncoderTrainResult { get; }

    public const int Epochs = 3;

    public string DataRoot { get; }

    public LabelVocabulary Vocabulary { get; }

    public string ModelPath { get; }

    public CliResult TrainResult { get; }

    public LabeledAudioSet Eval => Fsd50kReader.Read(DataRoot, Fsd50kSplit.Eval);

    /// <summary>A scratch folder for one test's outputs.</summary>
    public string NewFolder(string name)
    {
        var path = _folder.Combine(name);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose() => _folder.Dispose();
}

/// <summary>The test classes that share one trained model (trained once, before the first of them runs).</summary>
[CollectionDefinition(Name)]
public sealed class TrainedModelCollection : ICollectionFixture<TrainedModelFixture>
{
    public const string Name = "trained model";
}
