using TorchSharp;

namespace QuantumKan.Training.Checkpoints;

/// <summary>The names and shapes of a module's state dict, used to explain why a checkpoint does not fit a network.</summary>
/// <param name="Entries">Each entry's name and shape, in state-dict order.</param>
public sealed record ParameterLayout(IReadOnlyList<ParameterShape> Entries)
{
    /// <summary>The layout of <paramref name="module"/>'s state dict.</summary>
    public static ParameterLayout Of(torch.nn.Module module) =>
        new(module.state_dict().Select(kv => new ParameterShape(kv.Key, kv.Value.shape)).ToList());

    /// <summary>Human-readable differences from <paramref name="actual"/> (empty when they match).</summary>
    public IReadOnlyList<string> Differences(ParameterLayout actual)
    {
        var expected = Entries.ToDictionary(e => e.Name, e => e.Shape);
        var found = actual.Entries.ToDictionary(e => e.Name, e => e.Shape);
        var problems = new List<string>();
        foreach (var (name, shape) in expected)
        {
            if (!found.TryGetValue(name, out var other))
                problems.Add($"'{name}' is in the checkpoint but not in the network");
            else if (!shape.SequenceEqual(other))
                problems.Add($"'{name}' has shape [{string.Join(", ", shape)}] in the checkpoint but [{string.Join(", ", other)}] in the network");
        }
        problems.AddRange(found.Keys.Where(k => !expected.ContainsKey(k)).Select(k => $"'{k}' is in the network but not in the checkpoint"));
        return problems;
    }
}

/// <summary>One state-dict entry's name and shape.</summary>
public sealed record ParameterShape(string Name, long[] Shape);
