using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuantumKan.Training.Checkpoints;

/// <summary>The JSON settings of checkpoint metadata: NaN/∞ allowed (metrics can be infinite), enums as names.</summary>
internal static class CheckpointJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };
}
