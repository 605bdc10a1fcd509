using Google.Protobuf;
using Onnx;

namespace QuantumKan.Onnx;

/// <summary>
/// Builds one ONNX graph (default domain, <see cref="Opset"/>) from C#: every call adds a node or an initializer and
/// returns the name of the value it produces, so a network is written the way its forward pass reads. Values get
/// unique names from a hint; float scalars and int64 vectors are shared initializers.
/// </summary>
public sealed class OnnxGraphBuilder
{
    /// <summary>The opset every graph is built for, 17 (ReduceMean and ReduceMax take their axes as attributes there).</summary>
    public const int Opset = 17;

    private readonly GraphProto _graph = new() { Name = "quantumkan" };
    private readonly Dictionary<string, int> _used = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _floatScalars = new();
    private readonly Dictionary<string, string> _int64Vectors = new(StringComparer.Ordinal);

    /// <summary>Declares a float32 graph input; a null entry in <paramref name="dims"/> is a symbolic dimension named by <paramref name="symbols"/>.</summary>
    public string FloatInput(string name, long?[] dims, string[] symbols)
    {
        _graph.Input.Add(ValueInfo(name, dims, symbols));
        _used[name] = 1;
        return name;
    }

    /// <summary>Marks <paramref name="value"/> as the graph output <paramref name="name"/> (through an Identity node when renamed).</summary>
    public void FloatOutput(string value, string name, long?[] dims, string[] symbols)
    {
        if (value != name)
            AddNode("Identity", [value], [name]);
        _graph.Output.Add(ValueInfo(name, dims, symbols));
    }

    /// <summary>A float32 initializer of shape <paramref name="dims"/> holding <paramref name="values"/> (row-major).</summary>
    public string Floats(string hint, ReadOnlySpan<float> values, params long[] dims)
    {
        long count = dims.Aggregate(1L, (a, b) => a * b);
        if (count != values.Length)
            throw new ArgumentException($"Initializer {hint}: {values.Length} values for shape ({string.Join(", ", dims)}).", nameof(values));
        var name = Unique(hint);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        var bytes = new byte[values.Length * sizeof(float)];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(bytes);
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian.");
        tensor.RawData = ByteString.CopyFrom(bytes);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A float32 scalar (0-d) initializer; the same value is shared.</summary>
    public string Scalar(float value)
    {
        int bits = BitConverter.SingleToInt32Bits(value);
        if (_floatScalars.TryGetValue(bits, out var name))
            return name;
        name = Floats("c", [value]);
        _graph.Initializer[^1].Dims.Clear();
        _floatScalars[bits] = name;
        return name;
    }

    /// <summary>A 1-D int64 initializer (shapes, axes, indices); the same vector is shared.</summary>
    public string Int64s(params long[] values)
    {
        var key = string.Join(",", values);
        if (_int64Vectors.TryGetValue(key, out var name))
            return name;
        name = Unique("i");
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        _int64Vectors[key] = name;
        return name;
    }

    /// <summary>An int64 scalar (0-d) initializer.</summary>
    public string Int64Scalar(long value)
    {
        var key = "s" + value;
        if (_int64Vectors.TryGetValue(key, out var name))
            return name;
        name = Unique("i");
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Int64Data.Add(value);
        _graph.Initializer.Add(tensor);
        _int64Vectors[key] = name;
        return name;
    }

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Op(string opType, string[] inputs, params AttributeProto[] attributes) =>
        AddNode(opType, inputs, [Unique(opType.ToLowerInvariant())], attributes)[0];

    /// <summary>Adds a node with explicit output names.</summary>
    public string[] AddNode(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Unique("n_" + opType) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return outputs;
    }

    /// <summary>An int attribute.</summary>
    public static AttributeProto Attr(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A float attribute.</summary>
    public static AttributeProto Attr(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>An ints attribute.</summary>
    public static AttributeProto Attr(string name, long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    /// <summary>A tensor attribute holding one float (ConstantOfShape's value).</summary>
    public static AttributeProto FloatTensorAttr(string name, float value)
    {
        var t = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.Add(1);
        t.FloatData.Add(value);
        return new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = t };
    }

    /// <summary>The finished model with <paramref name="metadata"/> as its metadata properties.</summary>
    public ModelProto ToModel(IEnumerable<KeyValuePair<string, string>> metadata, string producerVersion)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "QuantumKan.ML",
            ProducerVersion = producerVersion,
            Domain = "ml.quantumkan",
            ModelVersion = 1,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in metadata)
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    private string Unique(string hint)
    {
        var baseName = string.IsNullOrEmpty(hint) ? "v" : hint;
        if (!_used.TryGetValue(baseName, out int n))
        {
            _used[baseName] = 1;
            return baseName;
        }
        string name;
        do
            name = $"{baseName}_{n++}";
        while (_used.ContainsKey(name));
        _used[baseName] = n;
        _used[name] = 1;
        return name;
    }

    private static ValueInfoProto ValueInfo(string name, long?[] dims, string[] symbols)
    {
        var shape = new TensorShapeProto();
        int s = 0;
        foreach (var d in dims)
        {
            shape.Dim.Add(d is { } value
                ? new TensorShapeProto.Types.Dimension { DimValue = value }
                : new TensorShapeProto.Types.Dimension { DimParam = symbols[s++] });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
