using System.Text.Json;
using QuantumKan.Core;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Training.Checkpoints;

/// <summary>
/// Everything needed to continue a run exactly: the weights (current and best), the AdamW state, torch's generator
/// state, the counters and schedule position (<see cref="TrainingState"/>) and the options. One versioned format
/// (<see cref="CheckpointContainer"/>), written atomically to files or embedded in other containers as a stream.
/// </summary>
public sealed class TrainingCheckpoint
{
    private const string MetaSection = "meta.json";
    private const string ModelSection = "model.bin";
    private const string BestModelSection = "best_model.bin";
    private const string OptimizerSection = "optimizer.bin";
    private const string RngSection = "torch_rng.bin";

    private readonly byte[] _model;
    private readonly byte[]? _bestModel;
    private readonly byte[] _optimizer;
    private readonly byte[] _torchRng;

    private TrainingCheckpoint(CheckpointMetadata meta, byte[] model, byte[]? bestModel, byte[] optimizer, byte[] torchRng, string source)
    {
        Metadata = meta;
        _model = model;
        _bestModel = bestModel;
        _optimizer = optimizer;
        _torchRng = torchRng;
        Source = source;
    }

    /// <summary>The task, options, counters and parameter layout recorded in the checkpoint.</summary>
    public CheckpointMetadata Metadata { get; }

    /// <summary>Where the checkpoint was read from (a path or a stream description), or "memory" when captured.</summary>
    public string Source { get; }

    /// <summary>A copy of the run's counters at the time of the checkpoint.</summary>
    public TrainingState State => Clone(Metadata.State);

    /// <summary>Whether the checkpoint holds the weights of a best validation.</summary>
    public bool HasBestWeights => _bestModel is not null;

    /// <summary>The serialized model state dict (TorchSharp format) at the checkpoint.</summary>
    public ReadOnlyMemory<byte> ModelState => _model;

    /// <summary>The serialized weights of the best validation, or of the checkpoint when none was recorded.</summary>
    public ReadOnlyMemory<byte> BestModelState => _bestModel ?? _model;

    /// <summary>Captures the live state of a run.</summary>
    internal static TrainingCheckpoint Capture(
        ClassificationTask task, TrainerOptions options, TrainingState state, nn.Module module, OptimizerHelper optimizer, byte[]? bestModel)
    {
        var meta = new CheckpointMetadata(
            CheckpointContainer.FormatVersion, task, options, Clone(state), DateTime.UtcNow, ParameterLayout.Of(module));
        using var rng = TorchRuntime.WithGenerator(torch.random.get_rng_state);
        return new TrainingCheckpoint(meta, SerializeModule(module), bestModel, SerializeOptimizer(optimizer), rng.bytes.ToArray(), "memory");
    }

    /// <summary>Serializes a module's state dict (parameters and buffers).</summary>
    public static byte[] SerializeModule(nn.Module module)
    {
        using var buffer = new MemoryStream();
        module.save(new NonClosingStream(buffer));
        return buffer.ToArray();
    }

    /// <summary>Writes the checkpoint to <paramref name="stream"/> (left open).</summary>
    public void WriteTo(Stream stream)
    {
        var sections = new List<(string, byte[])>
        {
            (MetaSection, JsonSerializer.SerializeToUtf8Bytes(Metadata, CheckpointJson.Options)),
            (ModelSection, _model),
            (OptimizerSection, _optimizer),
            (RngSection, _torchRng),
        };
        if (_bestModel is not null)
            sections.Add((BestModelSection, _bestModel));
        CheckpointContainer.Write(stream, sections);
    }

    /// <summary>Writes the checkpoint to a file atomically (temporary file, flush, rename): a crash never leaves it half-written.</summary>
    public void Save(string path) => AtomicFile.Write(path, WriteTo);

    /// <summary>Reads a checkpoint written by <see cref="WriteTo"/>.</summary>
    /// <param name="stream">The stream, positioned at the checkpoint.</param>
    /// <param name="source">A description for error messages (a path or an archive entry name).</param>
    /// <exception cref="CheckpointCorruptException">The data is damaged or incomplete.</exception>
    /// <exception cref="CheckpointMismatchException">The format version is newer than this build reads.</exception>
    public static TrainingCheckpoint ReadFrom(Stream stream, string source)
    {
        var sections = CheckpointContainer.Read(stream, source);
        CheckpointMetadata meta;
        try
        {
            meta = JsonSerializer.Deserialize<CheckpointMetadata>(CheckpointContainer.Require(sections, MetaSection, source), CheckpointJson.Options)
                ?? throw new JsonException("null metadata");
        }
        catch (JsonException e)
        {
            throw new CheckpointCorruptException(source, $"the metadata is not valid JSON ({e.Message}).", e);
        }
        return new TrainingCheckpoint(
            meta,
            CheckpointContainer.Require(sections, ModelSection, source),
            sections.GetValueOrDefault(BestModelSection),
            CheckpointContainer.Require(sections, OptimizerSection, source),
            CheckpointContainer.Require(sections, RngSection, source),
            source);
    }

    /// <summary>Reads a checkpoint file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CheckpointException">The file is damaged or from a newer version (the message names the file).</exception>
    public static TrainingCheckpoint Load(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return ReadFrom(stream, Path.GetFullPath(path));
    }

    /// <summary>Loads the checkpoint's weights (or its best weights) into <paramref name="module"/>, checking names and shapes first.</summary>
    /// <exception cref="CheckpointMismatchException">The module's parameters differ from the checkpoint's (the message lists how).</exception>
    public void LoadWeightsInto(nn.Module module, bool best = false)
    {
        ArgumentNullException.ThrowIfNull(module);
        var problems = Metadata.Parameters.Differences(ParameterLayout.Of(module));
        if (problems.Count > 0)
            throw new CheckpointMismatchException(Source, "the network does not match the checkpoint: " + string.Join("; ", problems.Take(5)) +
                (problems.Count > 5 ? $"; and {problems.Count - 5} more" : "") + ".");
        try
        {
            module.load(new MemoryStream(best ? (_bestModel ?? _model) : _model, writable: false));
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or EndOfStreamException or IOException)
        {
            throw new CheckpointMismatchException(Source, $"the weights could not be loaded into the network ({e.Message}).", e);
        }
    }

    /// <summary>Restores the optimizer's moments, step counts and hyper-parameters.</summary>
    internal void RestoreOptimizer(OptimizerHelper optimizer)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(_optimizer, writable: false));
            optimizer.load_state_dict(reader);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or EndOfStreamException or IOException)
        {
            throw new CheckpointMismatchException(Source, $"the optimizer state does not fit this network's optimizer ({e.Message}).", e);
        }
    }

    /// <summary>Restores torch's global CPU generator, which dropout and random initialization draw from.</summary>
    internal void RestoreTorchRng()
    {
        using var state = torch.tensor(_torchRng, ScalarType.Byte);
        TorchRuntime.WithGenerator(() => torch.random.set_rng_state(state));
    }

    private static byte[] SerializeOptimizer(OptimizerHelper optimizer)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
            optimizer.save_state_dict(writer);
        return buffer.ToArray();
    }

    private static TrainingState Clone(TrainingState state) =>
        JsonSerializer.Deserialize<TrainingState>(JsonSerializer.SerializeToUtf8Bytes(state, CheckpointJson.Options), CheckpointJson.Options)!;
}

/// <summary>The JSON metadata of a checkpoint.</summary>
/// <param name="FormatVersion">The container format version that wrote it.</param>
/// <param name="Task">The task the run trains.</param>
/// <param name="Options">The run's options.</param>
/// <param name="State">The counters at the time of the checkpoint.</param>
/// <param name="CreatedUtc">When it was captured.</param>
/// <param name="Parameters">Names and shapes of the network's state dict, to explain mismatches before loading.</param>
public sealed record CheckpointMetadata(
    int FormatVersion, ClassificationTask Task, TrainerOptions Options, TrainingState State, DateTime CreatedUtc, ParameterLayout Parameters);
