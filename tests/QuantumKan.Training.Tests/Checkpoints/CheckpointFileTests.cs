using QuantumKan.Training.Checkpoints;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;
using QuantumKan.Training.Tests.Fixtures;

namespace QuantumKan.Training.Tests.Checkpoints;

public class CheckpointFileTests
{
    private static TrainingCheckpoint TrainedCheckpoint(string? workspace = null, int epochs = 1)
    {
        var data = SyntheticSets.MultiLabel(48, classes: 3, features: 6, seed: 61);
        var validation = SyntheticSets.MultiLabel(24, classes: 3, features: 6, seed: 62);
        var options = new TrainerOptions { Epochs = epochs, BatchSize = 16, Workspace = workspace, Seed = 3 };
        return new Trainer(new MlpClassifier(6, 8, 3, seed: 63), ClassificationTask.MultiLabel, options).Fit(data, validation).Checkpoint;
    }

    [Fact]
    public void SaveAndLoad_RoundTripsWeightsStateAndOptions()
    {
        using var folder = new TempFolder();
        var checkpoint = TrainedCheckpoint();
        var path = Path.Combine(folder.Path, "c.qkc");
        checkpoint.Save(path);
        var loaded = TrainingCheckpoint.Load(path);

        Assert.Equal(path, loaded.Source);
        Assert.Equal(checkpoint.ModelState.ToArray(), loaded.ModelState.ToArray());
        Assert.Equal(checkpoint.BestModelState.ToArray(), loaded.BestModelState.ToArray());
        Assert.Equal(checkpoint.Metadata.Options, loaded.Metadata.Options with { LossWeights = checkpoint.Metadata.Options.LossWeights });
        Assert.Equal(checkpoint.State.GlobalStep, loaded.State.GlobalStep);
        Assert.Equal(checkpoint.State.BestMetric, loaded.State.BestMetric);
        Assert.Equal(ClassificationTask.MultiLabel, loaded.Metadata.Task);
        Assert.Single(loaded.State.History);
        Assert.Equal(checkpoint.State.History[0].ValidationMetrics, loaded.State.History[0].ValidationMetrics);
    }

    [Fact]
    public void OptionsWithCustomLossWeights_SurviveTheRoundTrip()
    {
        var data = SyntheticSets.MultiLabel(16, classes: 2, features: 3, seed: 64);
        var weights = new LossWeights { AudioReconstruction = 0.25, L2 = 1e-4, Extra = new Dictionary<string, double> { ["sparsity"] = 0.5 } };
        var options = new TrainerOptions { Epochs = 1, LossWeights = weights, MonitorMetric = MetricNames.Lwlrap };
        var checkpoint = new Trainer(new MlpClassifier(3, 4, 2, seed: 65), ClassificationTask.MultiLabel, options).Fit(data).Checkpoint;
        using var stream = new MemoryStream();
        checkpoint.WriteTo(stream);
        stream.Position = 0;
        var loaded = TrainingCheckpoint.ReadFrom(stream, "memory stream").Metadata.Options;

        Assert.Equal(0.25, loaded.LossWeights.AudioReconstruction);
        Assert.Equal(1e-4, loaded.LossWeights.L2);
        Assert.Equal(0.5, loaded.LossWeights.Extra["sparsity"]);
        Assert.Equal(MetricNames.Lwlrap, loaded.MonitorMetric);
        Assert.Empty(QuantumKan.Training.Loop.ResumeCompatibility.ChangedOptions(options, loaded));
    }

    [Fact]
    public void Workspace_HoldsLastAndBestFiles()
    {
        using var folder = new TempFolder();
        TrainedCheckpoint(folder.Path, epochs: 2);
        Assert.True(File.Exists(Path.Combine(folder.Path, CheckpointStore.LastFileName)));
        Assert.True(File.Exists(Path.Combine(folder.Path, CheckpointStore.BestFileName)));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
        Assert.Equal(2, TrainingCheckpoint.Load(Path.Combine(folder.Path, CheckpointStore.LastFileName)).State.Epoch);
    }

    [Theory]
    [InlineData(0.5)]  // a flipped byte in the middle (inside a section)
    [InlineData(0.99)] // a flipped byte near the end
    public void Load_OfAnAlteredFile_ThrowsCorruptNamingTheFile(double where)
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "c.qkc");
        TrainedCheckpoint().Save(path);
        var bytes = File.ReadAllBytes(path);
        bytes[(int)(bytes.Length * where)] ^= 0x5A;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<CheckpointCorruptException>(() => TrainingCheckpoint.Load(path));
        Assert.Equal(path, error.CheckpointSource);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Load_OfATruncatedOrForeignFile_ThrowsCorrupt()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "c.qkc");
        TrainedCheckpoint().Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        Assert.Contains("ends early", Assert.Throws<CheckpointCorruptException>(() => TrainingCheckpoint.Load(path)).Message);

        File.WriteAllText(path, "definitely not a checkpoint");
        Assert.Contains("magic", Assert.Throws<CheckpointCorruptException>(() => TrainingCheckpoint.Load(path)).Message);
    }

    [Fact]
    public void Load_OfANewerFormatVersion_ThrowsMismatch()
    {
        using var stream = new MemoryStream();
        TrainedCheckpoint().WriteTo(stream);
        var bytes = stream.ToArray();
        BitConverter.GetBytes(CheckpointContainer.FormatVersion + 1).CopyTo(bytes, 8);
        var error = Assert.Throws<CheckpointMismatchException>(() => TrainingCheckpoint.ReadFrom(new MemoryStream(bytes), "model.zip:checkpoint"));
        Assert.Contains("model.zip:checkpoint", error.Message);
        Assert.Contains("version", error.Message);
    }

    [Fact]
    public void LoadWeightsInto_ADifferentNetwork_ThrowsMismatchListingTheDifference()
    {
        var checkpoint = TrainedCheckpoint();
        var error = Assert.Throws<CheckpointMismatchException>(() => checkpoint.LoadWeightsInto(new MlpClassifier(6, 9, 3, seed: 1)));
        Assert.Contains("_hidden.weight", error.Message);
        Assert.Contains("[8, 6]", error.Message);
        Assert.Contains("[9, 6]", error.Message);
    }

    [Fact]
    public void AFailureDuringAWrite_LeavesThePreviousCheckpointIntactAndNoTemporaryFile()
    {
        using var folder = new TempFolder();
        var store = new CheckpointStore(folder.Path);
        var first = TrainedCheckpoint(epochs: 1);
        var second = TrainedCheckpoint(epochs: 2);
        store.SaveLast(first);

        store.WrapWriteStream = inner => new FailingStream(inner, failAfterBytes: 5000);
        Assert.Throws<IOException>(() => store.SaveLast(second));

        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp", SearchOption.AllDirectories));
        Assert.Single(Directory.GetFiles(folder.Path));
        var onDisk = store.TryLoadLast()!;
        Assert.Equal(first.State.GlobalStep, onDisk.State.GlobalStep);
        Assert.Equal(first.ModelState.ToArray(), onDisk.ModelState.ToArray());
        Assert.Same(first, store.Last);
    }

    /// <summary>Writes through until a byte budget is spent, then fails like a full disk or a killed process.</summary>
    private sealed class FailingStream(Stream inner, long failAfterBytes) : Stream
    {
        private long _written;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _written;
        public override long Position { get => _written; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (_written + count > failAfterBytes)
            {
                inner.Write(buffer, offset, (int)(failAfterBytes - _written));
                throw new IOException("Simulated failure in the middle of a checkpoint write.");
            }
            inner.Write(buffer, offset, count);
            _written += count;
        }
    }
}
