using System.CommandLine;

namespace QuantumKan.Bench.Compare;

/// <summary>
/// The driver modes of the bench project (separate from BenchmarkDotNet), which bench/run.sh calls:
/// <c>generate</c> writes the shared data set, <c>compare</c> measures the figures the PyTorch reference measures
/// (featurization, training, single-clip latency, peak RSS, quality), <c>scale</c> measures one point of the scaling run.
/// </summary>
internal static class DriverCommands
{
    public static readonly string[] Names = ["generate", "compare", "compare-encoder", "encoder-profile", "encoder-latency", "encoder-step", "conv-gradients", "scale", "probe", "device", "scalar-race", "long-clip-memory", "implicit-scalars"];

    public static int Run(string[] args)
    {
        var root = new RootCommand("QuantumKan bench driver (BenchmarkDotNet runs when the first argument is not a driver mode).");
        root.Subcommands.Add(Generate());
        root.Subcommands.Add(Compare());
        root.Subcommands.Add(CompareEncoder());
        root.Subcommands.Add(EncoderProfileCommand());
        root.Subcommands.Add(EncoderLatencyCommand());
        root.Subcommands.Add(EncoderStepCommand());
        root.Subcommands.Add(ConvGradientsCommand());
        root.Subcommands.Add(Scale());
        root.Subcommands.Add(Probe());
        root.Subcommands.Add(Device());
        root.Subcommands.Add(ScalarRace());
        root.Subcommands.Add(Audio.LongClipMemoryRun.Command());
        root.Subcommands.Add(Training.ImplicitScalarScan.Command());
        return root.Parse(args).Invoke();
    }

    private static Option<string> DataOption() => new("--data") { Description = "Root folder of the generated data set (FSD50K layout).", Required = true };

    private static Option<int> IntOption(string name, int value, string description) =>
        new(name) { Description = description, DefaultValueFactory = _ => value };

    private static Command Generate()
    {
        var data = DataOption();
        var train = IntOption("--train", 960, "Clips in the train split.");
        var eval = IntOption("--eval", 320, "Clips in the eval split.");
        var seed = IntOption("--seed", 1, "Seed of the synthetic set.");
        var command = new Command("generate", "Writes the synthetic multi-label set (44.1 kHz, 1–4 s clips), unless it is already there.") { data, train, eval, seed };
        command.SetAction(p =>
        {
            BenchDataSet.Generate(p.GetValue(data)!, p.GetValue(train), p.GetValue(eval), p.GetValue(seed));
            return 0;
        });
        return command;
    }

    private static Command Compare()
    {
        var data = DataOption();
        var output = new Option<string>("--out") { Description = "JSON file to write.", Required = true };
        var threads = IntOption("--threads", Environment.ProcessorCount, "libtorch intra-op threads for training and inference.");
        var epochs = IntOption("--epochs", 20, "Training epochs (the first is excluded from the throughput).");
        var batch = IntOption("--batch", 32, "Batch size.");
        var seed = IntOption("--seed", 1, "MLContext seed.");
        var repeats = IntOption("--infer-repeats", 1, "Passes over the eval clips for the latency percentiles.");
        var npy = new Option<string?>("--features-npy") { Description = "Write the training features here (.npy) for the reference's parity check." };
        var command = new Command("compare", "Measures this project's side of bench/run.sh.") { data, output, threads, epochs, batch, seed, repeats, npy };
        command.SetAction(p => CompareRun.Execute(new CompareRun.Settings(p.GetValue(data)!, p.GetValue(output)!, p.GetValue(threads),
            p.GetValue(epochs), p.GetValue(batch), p.GetValue(seed), p.GetValue(repeats), p.GetValue(npy))));
        return command;
    }

    private static Command CompareEncoder()
    {
        var data = DataOption();
        var output = new Option<string>("--out") { Description = "JSON file to write.", Required = true };
        var work = new Option<string>("--work") { Description = "Folder for the feature cache and the saved model (both deleted after use).", Required = true };
        var threads = IntOption("--threads", Environment.ProcessorCount, "libtorch intra-op threads for training and inference.");
        var epochs = IntOption("--epochs", 6, "Training epochs (the first is excluded from the throughput).");
        var batch = IntOption("--batch", 32, "Batch size.");
        var seed = IntOption("--seed", 1, "MLContext seed.");
        var repeats = IntOption("--infer-repeats", 1, "Passes over the eval clips for the latency percentiles.");
        var npy = new Option<string?>("--band-stats-npy") { Description = "Write the training frames' per-band mean and std here (.npy, 2 x mels) for the reference's parity check." };
        var command = new Command("compare-encoder", "Measures this project's side of bench/run.sh --encoder (the Temporal frame encoder network).")
            { data, output, work, threads, epochs, batch, seed, repeats, npy };
        command.SetAction(p => EncoderRun.Execute(new EncoderRun.Settings(p.GetValue(data)!, p.GetValue(output)!, p.GetValue(work)!, p.GetValue(threads),
            p.GetValue(epochs), p.GetValue(batch), p.GetValue(seed), p.GetValue(repeats), p.GetValue(npy))));
        return command;
    }

    private static Command EncoderProfileCommand()
    {
        var threads = IntOption("--threads", Environment.ProcessorCount, "libtorch intra-op threads.");
        var iterations = IntOption("--iterations", 30, "Timed iterations per part (median reported).");
        var batch = IntOption("--batch", 32, "Batch size.");
        var command = new Command("encoder-profile", "Forward + backward time of each part of the encoder network's training step (see bench/reference/encoder_profile.py).")
            { threads, iterations, batch };
        command.SetAction(p => EncoderProfile.Execute(p.GetValue(threads), p.GetValue(iterations), p.GetValue(batch)));
        return command;
    }

    private static Command EncoderLatencyCommand()
    {
        var data = DataOption();
        var work = new Option<string>("--work") { Description = "Folder for the feature cache and the saved model (both deleted after use).", Required = true };
        var threads = IntOption("--threads", Environment.ProcessorCount, "libtorch intra-op threads.");
        var epochs = IntOption("--epochs", 2, "Training epochs of the model that is timed.");
        var repeats = IntOption("--repeats", 3, "Passes over the eval clips (each clip runs every part in turn).");
        var command = new Command("encoder-latency", "Where the single-clip latency of a Temporal-encoder model goes, part by part (median ms).")
            { data, work, threads, epochs, repeats };
        command.SetAction(p => EncoderLatency.Execute(new EncoderLatency.Settings(p.GetValue(data)!, p.GetValue(work)!, p.GetValue(threads),
            p.GetValue(epochs), p.GetValue(repeats))));
        return command;
    }

    private static Command EncoderStepCommand()
    {
        var threads = IntOption("--threads", Environment.ProcessorCount, "libtorch intra-op threads.");
        var steps = IntOption("--steps", 40, "Timed training steps (median reported).");
        var batch = IntOption("--batch", 32, "Batch size.");
        var fitEpochs = IntOption("--fit-epochs", 2, "Epochs of a real Trainer.Fit on the same clips (0 skips it).");
        var command = new Command("encoder-step", "Where one training step of the encoder network goes, part by part, in place (synthetic clips of the bench's shape).")
            { threads, steps, batch, fitEpochs };
        command.SetAction(p => EncoderStepProfile.Execute(p.GetValue(threads), p.GetValue(steps), p.GetValue(batch), p.GetValue(fitEpochs)));
        return command;
    }

    private static Command ConvGradientsCommand()
    {
        var threads = IntOption("--threads", Environment.ProcessorCount, "libtorch intra-op threads.");
        var passes = IntOption("--passes", 1000, "Randomized forward + backward passes per encoder family.");
        var seed = IntOption("--seed", 7, "Seeds the shapes and the data.");
        var command = new Command("conv-gradients", "Counts encoder forward + backward passes with non-finite gradients (libtorch's conv backward; README, Known issues).")
            { threads, passes, seed };
        command.SetAction(p => ConvGradientStress.Execute(p.GetValue(threads), p.GetValue(passes), p.GetValue(seed)));
        return command;
    }

    private static Command Scale()
    {
        var data = DataOption();
        var output = new Option<string>("--out") { Description = "JSON file to write.", Required = true };
        var cache = new Option<string>("--cache") { Description = "Feature cache folder (rebuilt from scratch).", Required = true };
        var epochs = IntOption("--epochs", 3, "Training epochs.");
        var clips = IntOption("--clips", 256, "Use the first this many train clips.");
        var command = new Command("scale", "Featurizes train clips into the on-disk feature cache and trains from it: time and peak RSS.") { data, clips, output, cache, epochs };
        command.SetAction(p => ScalingPoint.Execute(p.GetValue(data)!, p.GetValue(clips), p.GetValue(cache)!, p.GetValue(output)!, p.GetValue(epochs)));
        return command;
    }

    private static Command Probe()
    {
        var data = DataOption();
        var output = new Option<string>("--out") { Description = "JSON file to write.", Required = true };
        var epochs = IntOption("--epochs", 20, "Training epochs.");
        var seeds = IntOption("--seeds", 2, "MLContext seeds 1..N per variant.");
        var only = new Option<string?>("--only") { Description = "Run only the variants whose name contains this text ('mlp' for the baseline)." };
        var command = new Command("probe", "Trains the network variants behind the defaults and the same-size MLP: held-out and training mAP.") { data, output, epochs, seeds, only };
        command.SetAction(p => ProbeRun.Execute(p.GetValue(data)!, p.GetValue(output)!, p.GetValue(epochs), p.GetValue(seeds), p.GetValue(only)));
        return command;
    }

    private static Command Device()
    {
        var data = DataOption();
        var output = new Option<string>("--out") { Description = "JSON file to write.", Required = true };
        var devices = new Option<string[]>("--devices") { Description = "Devices to train on.", DefaultValueFactory = _ => ["cpu", "cuda"], AllowMultipleArgumentsPerToken = true };
        var epochs = IntOption("--epochs", 20, "Training epochs on the bench set.");
        var batches = new Option<int[]>("--batches") { Description = "Batch sizes on the bench set.", DefaultValueFactory = _ => [32, 256], AllowMultipleArgumentsPerToken = true };
        var npy = new Option<string?>("--npy-prefix") { Description = "Write the training features and labels as <prefix>features.npy and <prefix>labels.npy (for bench/reference/device_train.py)." };
        var wide = IntOption("--wide-clips", 4096, "Random clips of the FSD50K-sized run (0 skips it).");
        var command = new Command("device", "Trains on each device (the GPU check): clips/s and held-out mAP, plus an FSD50K-sized step.") { data, output, devices, epochs, batches, npy, wide };
        command.SetAction(p => DeviceRun.Execute(p.GetValue(data)!, p.GetValue(output)!, p.GetValue(devices)!, p.GetValue(epochs), p.GetValue(batches)!, p.GetValue(npy), p.GetValue(wide)));
        return command;
    }

    private static Command ScalarRace()
    {
        var iterations = IntOption("--iterations", 50_000, "Operations per case (about 5 s per case on 2 cores).");
        var command = new Command("scalar-race", "Counts native calls that fail because TorchSharp freed an implicit Scalar during them (one thread forcing GCs).") { iterations };
        command.SetAction(p => ScalarRaceRun.Execute(p.GetValue(iterations)));
        return command;
    }
}
