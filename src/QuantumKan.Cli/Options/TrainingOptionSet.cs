using System.CommandLine;
using System.CommandLine.Parsing;
using QuantumKan.ML.Classification;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;

namespace QuantumKan.Cli.Options;

/// <summary>The optimization options of <c>train</c> (and <c>demo</c>): epochs, batch, learning rate, device, workspace, loss weights.</summary>
internal sealed class TrainingOptionSet
{
    private static readonly TrainerOptions Defaults = new();
    private static readonly LossWeights Weights = new();

    public TrainingOptionSet(int defaultEpochs, int defaultBatchSize)
    {
        Epochs = new Option<int>("--epochs") { Description = $"Passes over the training clips.", DefaultValueFactory = _ => defaultEpochs }.InRange(1, 100_000);
        BatchSize = new Option<int>("--batch-size") { Description = $"Clips per micro-batch.", DefaultValueFactory = _ => defaultBatchSize }.InRange(1, 1 << 20);
    }

    public Option<int> Epochs { get; }

    public Option<int> BatchSize { get; }

    public Option<double> LearningRate { get; } = new Option<double>("--lr") { Description = $"Peak AdamW learning rate (after warmup, then cosine decay).", DefaultValueFactory = _ => Defaults.LearningRate }.InRange(1e-9, 10);

    public Option<double> WeightDecay { get; } = new Option<double>("--weight-decay") { Description = $"AdamW decoupled weight decay.", DefaultValueFactory = _ => Defaults.WeightDecay }.InRange(0, 10);

    public Option<int> Accumulation { get; } = new Option<int>("--accumulation") { Description = $"Micro-batches accumulated per optimizer step.", DefaultValueFactory = _ => Defaults.AccumulationSteps }.InRange(1, 1024);

    public Option<int> Patience { get; } = new Option<int>("--patience") { Description = $"Epochs without validation improvement before stopping; 0 never stops early.", DefaultValueFactory = _ => Defaults.EarlyStoppingPatience }.InRange(0, 100_000);

    public Option<string> Device { get; } = new("--device") { Description = "Device: cpu, cuda, cuda:N or auto.", DefaultValueFactory = _ => Defaults.Device };

    public Option<bool> AllowCpuFallback { get; } = new("--allow-cpu-fallback") { Description = "Train on the CPU when the requested GPU is unavailable instead of failing." };

    public Option<string?> Workspace { get; } = new("--workspace") { Description = "Folder for checkpoints (last and best), written atomically at every epoch end. Default none (kept in memory)." };

    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue the interrupted run whose checkpoint is in --workspace." };

    public Option<bool> Overwrite { get; } = new("--overwrite") { Description = "Start a new run in --workspace even though it holds an earlier run's checkpoints, replacing them." };

    public Option<int> CheckpointEvery { get; } = new Option<int>("--checkpoint-every") { Description = "Also write a checkpoint every this many optimizer steps; 0 only at epoch ends.", DefaultValueFactory = _ => 0 }.InRange(0, int.MaxValue);

    public Option<int> Seed { get; } = new("--seed") { Description = "MLContext seed: initialization, shuffling and the validation hold-out.", DefaultValueFactory = _ => 1 };

    public Option<double> ValidationFraction { get; } = new Option<double>("--validation-fraction") { Description = "Share of training clips held out for validation when the data has no val split.", DefaultValueFactory = _ => 0.1 }.InRange(0, 0.9);

    public Option<double> ClassificationWeight { get; } = Weight("--loss-classification", "classification loss (BCE or cross-entropy)", Weights.Classification);

    public Option<double> AudioWeight { get; } = Weight("--loss-audio", "audio (feature) reconstruction MSE", Weights.AudioReconstruction);

    public Option<double> QuantumWeight { get; } = Weight("--loss-quantum", "quantum fidelity contrastive loss", Weights.QuantumFidelity);

    public Option<double> L2Weight { get; } = Weight("--loss-l2", "L2 penalty on the parameters", Weights.L2);

    public Option<double> NormalizationWeight { get; } = Weight("--loss-norm", "wavefunction normalization penalty", Weights.Normalization);

    public void AddTo(Command command)
    {
        Option[] options = [Epochs, BatchSize, LearningRate, WeightDecay, Accumulation, Patience, Device, AllowCpuFallback, Workspace, Resume, Overwrite,
            CheckpointEvery, Seed, ValidationFraction, ClassificationWeight, AudioWeight, QuantumWeight, L2Weight, NormalizationWeight];
        foreach (var option in options)
            command.Options.Add(option);
        command.ValidateBy(r => Read(r));
    }

    /// <summary>The trainer options the arguments describe (validated).</summary>
    public TrainerOptions Read(SymbolResult r)
    {
        if (r.GetValue(Resume) && string.IsNullOrWhiteSpace(r.GetValue(Workspace)))
            throw new ArgumentException("--resume continues the run checkpointed in --workspace; give --workspace <dir>.");
        if (r.GetValue(Overwrite) && string.IsNullOrWhiteSpace(r.GetValue(Workspace)))
            throw new ArgumentException("--overwrite replaces the checkpoints in --workspace; give --workspace <dir>.");
        if (r.GetValue(Overwrite) && r.GetValue(Resume))
            throw new ArgumentException("--resume continues the run in --workspace and --overwrite replaces it; give one of them.");
        string device = r.GetValue(Device) ?? "cpu";
        if (!(device is "cpu" or "cuda" or "auto" || (device.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(device.AsSpan(5), out int n) && n >= 0)))
            throw new ArgumentException($"--device '{device}' is not one of cpu, cuda, cuda:N, auto.");
        var options = Defaults with
        {
            Epochs = r.GetValue(Epochs),
            BatchSize = r.GetValue(BatchSize),
            LearningRate = r.GetValue(LearningRate),
            WeightDecay = r.GetValue(WeightDecay),
            AccumulationSteps = r.GetValue(Accumulation),
            EarlyStoppingPatience = r.GetValue(Patience),
            Device = device,
            AllowCpuFallback = r.GetValue(AllowCpuFallback),
            Workspace = r.GetValue(Workspace) is { Length: > 0 } ws ? Path.GetFullPath(ws) : null,
            OverwriteWorkspace = r.GetValue(Overwrite),
            CheckpointEverySteps = r.GetValue(CheckpointEvery),
            LossWeights = Weights with
            {
                Classification = r.GetValue(ClassificationWeight),
                AudioReconstruction = r.GetValue(AudioWeight),
                QuantumFidelity = r.GetValue(QuantumWeight),
                L2 = r.GetValue(L2Weight),
                Normalization = r.GetValue(NormalizationWeight),
            },
        };
        options.Validate();
        return options;
    }

    private static Option<double> Weight(string name, string what, double defaultValue) =>
        new Option<double>(name) { Description = $"Weight of the {what} in the total loss.", DefaultValueFactory = _ => defaultValue }.InRange(0, 1e6);
}
