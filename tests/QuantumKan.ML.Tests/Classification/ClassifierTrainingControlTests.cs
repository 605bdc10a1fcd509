using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.Core;
using QuantumKan.ML.Classification;
using QuantumKan.ML.Quantum;
using QuantumKan.Training.Checkpoints;
using QuantumKan.Training.Loop;

namespace QuantumKan.ML.Tests.Classification;

public class ClassifierTrainingControlTests
{
    public sealed class TextRow
    {
        public string Labels { get; set; } = "";

        [VectorType(6)]
        public float[] Features { get; set; } = [];
    }

    // Tiny separable multi-label data: class c is present when feature c is high.
    private static List<TextRow> Rows(int count, string[] names)
    {
        var random = new Random(5);
        return Enumerable.Range(0, count).Select(i =>
        {
            var present = names.Where((_, c) => ((i + c) % 3) == 0 || c == i % names.Length).Distinct().ToArray();
            var features = new float[6];
            for (int j = 0; j < 6; j++)
                features[j] = (float)random.NextDouble() * 0.1f + (j < names.Length && present.Contains(names[j]) ? 1f : 0f);
            return new TextRow { Labels = string.Join(",", present), Features = features };
        }).ToList();
    }

    private static readonly string[] Names = ["dog", "cat", "bird"];

    private static QuantumKanClassifierOptions Options(int epochs, string? workspace = null) => new()
    {
        LabelColumnName = "Labels", Vocabulary = Names,
        Training = new() { Epochs = epochs, EarlyStoppingPatience = 0, Workspace = workspace },
    };

    [Fact]
    public void TextLabels_WithVocabulary_TrainAndNameTheClasses()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.MultiLabelClassification().Trainers.QuantumKan(Options(3)).Fit(ml.Data.LoadFromEnumerable(Rows(64, Names)));
        Assert.Equal(Names, model.ClassNames);
        var scored = model.Transform(ml.Data.LoadFromEnumerable(Rows(16, Names)));
        VBuffer<ReadOnlyMemory<char>> slots = default;
        scored.Schema["Score"].GetSlotNames(ref slots);
        Assert.Equal(Names, slots.DenseValues().Select(s => s.ToString()));
        var metrics = ml.MultiLabelClassification().Evaluate(scored, "Labels");   // text labels matched against slot names
        Assert.InRange(metrics.MeanAveragePrecision, 0, 1);
    }

    [Fact]
    public void UnknownTextLabel_FailsNamingLabelColumnAndRow()
    {
        var rows = Rows(20, Names);
        rows[11].Labels = "dog,unicorn";
        var ml = new MLContext(seed: 1);
        var ex = Assert.Throws<InvalidRowException>(() => ml.MultiLabelClassification().Trainers.QuantumKan(Options(1)).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Equal("Labels", ex.Column);
        Assert.Equal(11, ex.Row);
        Assert.Contains("unicorn", ex.Message);
    }

    [Fact]
    public void EmptyLabelSet_FailsNamingLabelColumnAndRow()
    {
        var rows = Rows(20, Names);
        rows[4].Labels = " ";
        var ml = new MLContext(seed: 1);
        var ex = Assert.Throws<InvalidRowException>(() => ml.MultiLabelClassification().Trainers.QuantumKan(Options(1)).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Equal(4, ex.Row);
    }

    [Fact]
    public void TextLabels_WithoutVocabulary_FailWithAClearMessage()
    {
        var ml = new MLContext(seed: 1);
        var options = Options(1);
        options = options with { Vocabulary = null };
        var ex = Assert.Throws<ArgumentException>(() => ml.MultiLabelClassification().Trainers.QuantumKan(options).Fit(ml.Data.LoadFromEnumerable(Rows(8, Names))));
        Assert.Contains("Vocabulary", ex.Message);
    }

    [Fact]
    public void CancelExecution_StopsTraining_AndLeavesAValidCheckpoint()
    {
        using var temp = new TempFolder("qkan-cancel-");
        var workspace = temp.Path;
        var ml = new MLContext(seed: 1);
        var options = Options(3, workspace);
        int steps = 0;
        options = options with
        {
            Progress = new Relay(r =>
            {
                // MLContext.CancelExecution is internal in ML.NET 6.0.0 (AutoML and hosts call it); reach it as they do.
                if (r is StepReport && ++steps == 5)
                    typeof(MLContext).GetMethod("CancelExecution", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.Invoke(ml, null);
            }),
        };
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ml.MultiLabelClassification().Trainers.QuantumKan(options).Fit(ml.Data.LoadFromEnumerable(Rows(128, Names))));
        var last = TrainingCheckpoint.Load(Path.Combine(workspace, CheckpointStore.LastFileName));
        Assert.InRange(last.State.GlobalStep, 5, 6);

        // Resuming from the workspace continues the same run (same options) instead of starting over.
        var resumed = new MLContext(seed: 1);
        options = options with { Progress = null, ResumeFromWorkspace = true };
        var model = resumed.MultiLabelClassification().Trainers.QuantumKan(options).Fit(resumed.Data.LoadFromEnumerable(Rows(128, Names)));
        Assert.Equal(3, model.TrainingHistory.Count);
        Assert.True(model.Checkpoint.State.GlobalStep > last.State.GlobalStep);

        // ...and ends bit-identical to a run that was never interrupted.
        var uninterrupted = new MLContext(seed: 1);
        var plain = Options(3);
        var reference = uninterrupted.MultiLabelClassification().Trainers.QuantumKan(plain).Fit(uninterrupted.Data.LoadFromEnumerable(Rows(128, Names)));
        Assert.Equal(reference.Checkpoint.State.GlobalStep, model.Checkpoint.State.GlobalStep);
        Assert.True(reference.Checkpoint.ModelState.Span.SequenceEqual(model.Checkpoint.ModelState.Span), "resumed weights differ from the uninterrupted run");
    }

    [Fact]
    public void CancellationToken_StopsTrainingBetweenSteps()
    {
        using var cts = new CancellationTokenSource();
        var ml = new MLContext(seed: 1);
        var options = Options(50);
        int steps = 0;
        options = options with
        {
            CancellationToken = cts.Token,
            Progress = new Relay(r =>
            {
                if (r is StepReport && ++steps == 3)
                    cts.Cancel();
            }),
        };
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ml.MultiLabelClassification().Trainers.QuantumKan(options).Fit(ml.Data.LoadFromEnumerable(Rows(128, Names))));
        Assert.InRange(steps, 3, 4);
    }

    [Fact]
    public void UnavailableGpu_FailsClearly_UnlessFallbackIsAllowed()
    {
        if (TorchSharp.torch.cuda.is_available())
            return; // this checks the CPU-only backend's behaviour
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows(32, Names));
        var options = Options(1);
        options = options with { Training = options.Training with { Device = "cuda" } };
        var ex = Assert.Throws<DeviceUnavailableException>(() => ml.MultiLabelClassification().Trainers.QuantumKan(options).Fit(data));
        Assert.Contains("cuda", ex.Message);
        options = options with { Training = options.Training with { AllowCpuFallback = true } };
        Assert.Single(ml.MultiLabelClassification().Trainers.QuantumKan(options).Fit(data).TrainingHistory);
    }

    [Fact]
    public void EpochProgress_ReachesTheMlNetLogAndTheCallback()
    {
        var ml = new MLContext(seed: 1);
        var log = new List<string>();
        ml.Log += (_, e) => { lock (log) log.Add(e.Message); };
        var options = Options(2);
        var epochs = new List<EpochSummary>();
        options = options with { EpochCompleted = epochs.Add };
        ml.MultiLabelClassification().Trainers.QuantumKan(options).Fit(ml.Data.LoadFromEnumerable(Rows(64, Names)));
        Assert.Equal(2, epochs.Count);
        Assert.All(epochs, e => Assert.Contains("audio_reconstruction", e.TrainingLosses.Keys));
        Assert.Contains(log, m => m.Contains("epoch 2:") && m.Contains("quantum_fidelity"));
    }

    private sealed class Relay(Action<TrainingReport> action) : IProgress<TrainingReport>
    {
        public void Report(TrainingReport value) => action(value);
    }
}
