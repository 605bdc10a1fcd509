using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.ML.Onnx;

/// <summary>
/// A network's parameters and buffers by state-dict name, copied out as float32 arrays for the ONNX graph. Reading by
/// name (the names the saved weights use) keeps the exporter off the modules' private fields.
/// </summary>
internal sealed class NetworkWeights
{
    private readonly Dictionary<string, Tensor> _state;

    public NetworkWeights(nn.Module module)
    {
        _state = module.state_dict();
    }

    public bool Has(string name) => _state.ContainsKey(name);

    /// <summary>The values of <paramref name="name"/>, row-major float32, and its shape.</summary>
    /// <exception cref="InvalidOperationException">The network has no such tensor (an architecture the exporter does not know).</exception>
    public (float[] Values, long[] Shape) Get(string name)
    {
        if (!_state.TryGetValue(name, out var t))
            throw new InvalidOperationException($"ONNX export: the network has no tensor '{name}' (an architecture this exporter does not know).");
        using var scope = NewDisposeScope();
        var values = t.detach().cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray();
        return (values, t.shape);
    }

    public float[] Values(string name) => Get(name).Values;

    public float[]? ValuesOrNull(string name) => Has(name) ? Values(name) : null;
}
