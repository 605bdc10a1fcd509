using QuantumKan.Core;
using QuantumKan.Nn.Encoders;
using QuantumKan.Nn.Kan;
using QuantumKan.Nn.Network;
using QuantumKan.Training.Data.Frames;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;
using QuantumKan.Training.Tests.Fixtures;
using static TorchSharp.torch;

namespace QuantumKan.Training.Tests.Loop;

/// <summary>
/// TorchSharp 0.107 frees an implicitly created Scalar in its finalizer, which a collection on another thread can run
/// while libtorch still reads it: the native call then fails with "Unknown scalar type" (or reads a wrong value). The
/// training step holds every Scalar it passes (ScalarArithmetic, AdamWUpdate), so training under collections forced
/// without pause from a second thread must finish every step with finite losses. With the implicit Scalars of the
/// earlier code, the same runs failed within a few hundred steps (bench/RESULTS.md, "Scalar lifetime race").
/// </summary>
[Collection(TorchGlobalStateCollection.Name)]
public class ScalarLifetimeStressTests
{
    public static TheoryData<KanBasis> Bases => new(Enum.GetValues<KanBasis>());

    [Theory]
    [MemberData(nameof(Bases))]
    public void PooledTraining_UnderForcedCollections_CompletesEveryStep(KanBasis basis)
    {
        var train = SyntheticSets.MultiLabel(48, 3, 12, seed: 5);
        var options = new QuantumKanNetworkOptions
        {
            Embedding = new QuantumKanNetworkOptions().Embedding with { Modes = 4, ReferenceStates = 2 },
            SemanticWidths = [8],
            Semantic = new KanLayerOptions { Basis = basis },
            Head = new KanLayerOptions { Basis = basis },
        };
        var network = TorchRuntime.Seeded(5, () => new QuantumKanNetwork(12, 3, options));
        var trainerOptions = new TrainerOptions
        {
            Epochs = 60, BatchSize = 8, Seed = 5, EarlyStoppingPatience = 0, LossWeights = QuantumKanModel.DefaultLossWeights,
        };
        var steps = TrainUnderForcedCollections(() => new Trainer(new QuantumKanModel(network), TaskKind.MultiLabel, trainerOptions).Fit(train, progress: Log));
        Assert.Equal(60 * 6, steps.Count);
    }

    [Theory]
    [InlineData(FrameEncoderKind.Temporal)]
    [InlineData(FrameEncoderKind.KanTemporal)]
    [InlineData(FrameEncoderKind.Conv2d)]
    public void EncoderTraining_WithAugmentation_UnderForcedCollections_CompletesEveryStep(FrameEncoderKind kind)
    {
        var clips = EncoderResumeTestsData.Train;
        var options = new QuantumKanNetworkOptions
        {
            Encoder = new FrameEncoderOptions { Kind = kind, Channels = [8, 8, 12], CropFrames = 16 },
            Augmentation = new FrameAugmentationOptions
            {
                FrequencyMasks = 1, FrequencyMaskWidth = 2, TimeMasks = 1, TimeMaskWidth = 3, TimeShift = 2, FrequencyShift = 1, GainDb = 3, MixupProbability = 0.5,
            },
            Embedding = new QuantumKanNetworkOptions().Embedding with { Modes = 4, ReferenceStates = 2 },
            SemanticWidths = [8],
        };
        var network = TorchRuntime.Seeded(3, () => new QuantumKanNetwork(8, 3, options));
        var (mean, std) = clips.BandStatistics();
        network.SetInputStandardization(tensor(mean), tensor(std));
        var trainerOptions = new TrainerOptions { Epochs = 30, BatchSize = 8, Seed = 77, EarlyStoppingPatience = 0, LearningRate = 0.01 };
        var steps = TrainUnderForcedCollections(() =>
            new Trainer(new QuantumKanModel(network, TaskKind.Multiclass), TaskKind.Multiclass, trainerOptions).Fit(new FrameCropSource(clips, 16, seed: 5), progress: Log));
        Assert.Equal(30 * 6, steps.Count);
    }

    private readonly ReportLog Log = new();

    // Runs the training while a second thread collects and runs finalizers back to back; returns the step reports.
    private List<StepReport> TrainUnderForcedCollections(Action train)
    {
        using var stop = new CancellationTokenSource();
        long collections = 0;
        var collector = new Thread(() =>
        {
            // Gen-0 collections back to back, as bench's scalar-race reproducer: a Scalar made for a native call is
            // collected (and its finalizer queued) within microseconds of becoming unreachable.
            while (!stop.IsCancellationRequested)
            {
                GC.Collect(0);
                Interlocked.Increment(ref collections);
            }
        }) { IsBackground = true };
        collector.Start();
        try
        {
            train();
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
        var steps = Log.Of<StepReport>().ToList();
        Assert.True(Interlocked.Read(ref collections) > steps.Count / 10, $"only {collections} collections ran during {steps.Count} steps");
        Assert.All(steps, s => Assert.False(s.Skipped, s.SkipReason));
        Assert.All(steps, s => Assert.True(s.Losses.Values.All(double.IsFinite), $"step {s.GlobalStep}: non-finite loss"));
        return steps;
    }
}
