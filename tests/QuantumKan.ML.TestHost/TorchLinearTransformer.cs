using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using QuantumKan.ML.DataView;
using QuantumKan.ML.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.ML.TestHost;

/// <summary>
/// Test-only transformer for the persistence bridge: a TorchSharp Linear layer (Features[4] → Score[3]) that also
/// carries AdamW optimizer state, so both kinds of binary state travel through the zip.
/// </summary>
public sealed class TorchLinearTransformer : QuantumKanTransformerBase
{
    public const string Kind = "Test.TorchLinear";
    public const int InputSize = 4, OutputSize = 3;

    public static void RegisterKind() =>
        ModelPersistence.RegisterKind(Kind, typeof(TorchLinearTransformer), 1, (env, r) => Load(env, r));

    private readonly nn.Module<Tensor, Tensor> _linear;
    public byte[] OptimizerState { get; }

    public TorchLinearTransformer(IHostEnvironment env, nn.Module<Tensor, Tensor> linear, byte[] optimizerState)
        : base(env, nameof(TorchLinearTransformer))
    {
        _linear = linear;
        OptimizerState = optimizerState;
    }

    /// <summary>Builds a seeded layer and takes a few AdamW steps, so there is real optimizer state.</summary>
    public static TorchLinearTransformer Train(IHostEnvironment env, int seed)
    {
        // Every draw from torch's global generator goes through the library's lock, as QuantumKan's own code does, so this
        // test helper never shifts the draws of a seeded Fit running in a parallel test class.
        var (linear, opt) = QuantumKan.Core.TorchRuntime.Seeded(seed, () =>
        {
            var linear = nn.Linear(InputSize, OutputSize);
            var opt = optim.AdamW(linear.parameters(), lr: 0.01);
            for (int i = 0; i < 3; i++)
            {
                using var scope = NewDisposeScope();
                opt.zero_grad();
                var loss = linear.call(randn(8, InputSize)).pow(2).mean();
                loss.backward();
                opt.step();
            }
            return (linear, opt);
        });
        using var ms = new MemoryStream();
        using (var bw = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true))
            opt.save_state_dict(bw);
        return new TorchLinearTransformer(env, linear, ms.ToArray());
    }

    public override string PersistenceKind => Kind;

    public override void SaveState(ModelStateWriter writer)
    {
        writer.Write("Weights", s => _linear.save(s));
        writer.WriteBytes("Optimizer", OptimizerState);
    }

    public static TorchLinearTransformer Load(IHostEnvironment env, ModelStateReader reader)
    {
        var linear = QuantumKan.Core.TorchRuntime.WithGenerator(() => nn.Linear(InputSize, OutputSize)); // throwaway init, locked
        linear.load(reader.OpenRead("Weights"));
        return new TorchLinearTransformer(env, linear, reader.ReadBytes("Optimizer"));
    }

    public float[] Apply(float[] x)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return _linear.call(tensor(x).reshape(1, InputSize)).data<float>().ToArray();
    }

    private protected override BoundRowMapper Bind(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    private sealed class Mapper : BoundRowMapper
    {
        private readonly TorchLinearTransformer _parent;
        private readonly DataViewSchema.Column _features;

        public Mapper(TorchLinearTransformer parent, DataViewSchema schema) : base(schema)
        {
            _parent = parent;
            _features = RequireColumn(schema, "Features", $"a vector of {InputSize} Single",
                t => t is VectorDataViewType v && v.ItemType == NumberDataViewType.Single && v.Size == InputSize);
            Outputs = [new OutputColumn("Score", new VectorDataViewType(NumberDataViewType.Single, OutputSize))];
        }

        public override IReadOnlyList<OutputColumn> Outputs { get; }

        public override IEnumerable<DataViewSchema.Column> GetDependencies(Func<int, bool> isOutputActive) => [_features];

        public override Delegate?[] CreateGetters(DataViewRow input, Func<int, bool> isOutputActive, out Action? disposer)
        {
            disposer = null;
            var getFeatures = input.GetGetter<VBuffer<float>>(_features);
            VBuffer<float> buffer = default;
            ValueGetter<VBuffer<float>> score = (ref VBuffer<float> dst) =>
            {
                getFeatures(ref buffer);
                var y = _parent.Apply(buffer.DenseValues().ToArray());
                var editor = VBufferEditor.Create(ref dst, y.Length);
                y.CopyTo(editor.Values);
                dst = editor.Commit();
            };
            return [isOutputActive(0) ? score : null];
        }
    }
}

public sealed class HostInput
{
    [VectorType(TorchLinearTransformer.InputSize)]
    public float[] Features { get; set; } = [];
}

public sealed class HostOutput
{
    [VectorType(TorchLinearTransformer.OutputSize)]
    public float[] Score { get; set; } = [];
}
