using QuantumKan.Nn.Encoders;
using QuantumKan.Nn.Kan;
using QuantumKan.Nn.Network;
using QuantumKan.Onnx;

namespace QuantumKan.ML.Onnx;

/// <summary>
/// A <see cref="QuantumKanNetwork"/> in eval mode as one ONNX graph with the <see cref="OnnxModelContract"/>'s input
/// and outputs: standardization, frame encoder (with patch cutting and patch aggregation for a frame model), LayerNorm,
/// the embedding's extractors and bounds (α = (L − 5σ)·tanh u, β = β_max·tanh u, γ = π·tanh u), the representation
/// (α/α_max, β/β_max, cos γ, sin γ and the closed-form fidelities to the reference states), the KAN semantic layers and
/// head (or the linear/MLP baseline head), and the probabilities.
/// </summary>
internal sealed class NetworkGraph
{
    private readonly OnnxGraphBuilder _g = new();
    private readonly QuantumKanNetwork _network;
    private readonly NetworkWeights _w;
    private readonly bool _multiclass;

    private NetworkGraph(QuantumKanNetwork network, bool multiclass)
    {
        _network = network;
        _w = new NetworkWeights(network);
        _multiclass = multiclass;
    }

    /// <summary>Builds the graph; <paramref name="metadata"/> goes into the model's metadata properties.</summary>
    public static global::Onnx.ModelProto Build(QuantumKanNetwork network, bool multiclass, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        var graph = new NetworkGraph(network, multiclass);
        graph.BuildGraph();
        var version = typeof(NetworkGraph).Assembly.GetName().Version?.ToString() ?? "0";
        return graph._g.ToModel(metadata, version);
    }

    private void BuildGraph()
    {
        int classes = _network.Classes, modes = _network.Embedding.Modes;
        if (!_network.HasEncoder)
        {
            var x = _g.FloatInput(OnnxModelContract.FeaturesInput, [null, _network.InFeatures], ["batch"]);
            var (scores, embedding) = Clips(x, frames: false);
            _g.FloatOutput(scores, OnnxModelContract.ScoresOutput, [null, classes], ["batch"]);
            _g.FloatOutput(embedding, OnnxModelContract.EmbeddingOutput, [null, 3 * modes], ["batch"]);
            return;
        }
        var frames = _g.FloatInput(OnnxModelContract.FramesInput, [null, _network.InFeatures], ["frames"]);
        var encoder = _network.Options.Encoder;
        if (encoder.Inference == ClipInference.WholeClip)
        {
            var (wholeScores, wholeEmbedding) = Clips(_g.Unsqueeze(frames, 0), frames: true);
            _g.FloatOutput(wholeScores, OnnxModelContract.ScoresOutput, [1, classes], []);
            _g.FloatOutput(wholeEmbedding, OnnxModelContract.EmbeddingOutput, [1, 3 * modes], []);
            return;
        }
        var patches = Patches(frames, encoder.CropFrames, encoder.PatchHop);                      // (P, crop, M)
        var (patchScores, state) = ClipsWithState(patches, frames: true);
        var clipScores = encoder.Inference == ClipInference.PatchMax
            ? _g.ReduceMax(patchScores, 0, keepDims: true)
            : _g.ReduceMean(patchScores, 0, keepDims: true);                                      // (1, C)
        var gamma = Atan2(_g.ReduceMean(_g.Unary("Sin", state.Gamma), 0, keepDims: true),
                          _g.ReduceMean(_g.Unary("Cos", state.Gamma), 0, keepDims: true));        // circular mean
        var clipEmbedding = _g.Concat(1, _g.ReduceMean(state.Alpha, 0, keepDims: true), _g.ReduceMean(state.Beta, 0, keepDims: true), gamma);
        _g.FloatOutput(clipScores, OnnxModelContract.ScoresOutput, [1, classes], []);
        _g.FloatOutput(clipEmbedding, OnnxModelContract.EmbeddingOutput, [1, 3 * modes], []);
    }

    private (string Scores, string Embedding) Clips(string x, bool frames)
    {
        var (scores, state) = ClipsWithState(x, frames);
        return (scores, _g.Concat(1, state.Alpha, state.Beta, state.Gamma));
    }

    /// <summary>Features (N, D) or frames (P, T, M) → probabilities (N, C) and the state α, β, γ (N, M) each.</summary>
    private (string Scores, State State) ClipsWithState(string x, bool frames)
    {
        string clip, baselineInput;
        if (frames)
        {
            var standardized = _g.Mul(_g.Sub(x, Floats("frame_mean")), Floats("frame_scale"));   // (P, T, M)
            if (_network.Options.Encoder.SubtractClipMean)
                standardized = _g.Sub(standardized, _g.ReduceMean(standardized, 1, keepDims: true));
            var encoded = EncoderGraph.Add(_g, standardized, _w, _network.Options.Encoder, _network.InFeatures);
            clip = LayerNorm(encoded, "encoder_norm.");
            baselineInput = clip;
        }
        else
        {
            clip = x;
            baselineInput = Standardize(x);
        }
        var state = Embed(clip);
        string logits;
        if (_network.Options.ClassifierHead == ClassifierHead.QuantumKan)
            logits = Classify(_network.Options.HeadInput == HeadInput.StateAndClip
                ? _g.Concat(1, Represent(state), baselineInput)
                : Represent(state));
        else
            logits = BaselineHead(baselineInput);
        var scores = _multiclass ? _g.Op("Softmax", [logits], OnnxGraphBuilder.Attr("axis", 1L)) : _g.Sigmoid(logits);
        return (scores, state);
    }

    private string Standardize(string x) => _g.Mul(_g.Sub(x, Floats("embedding.input_mean")), Floats("embedding.input_scale"));

    private State Embed(string clip)
    {
        var options = _network.Embedding.Options;
        var x = Standardize(clip);
        var u = new[] { "alpha", "beta", "gamma" }.Select(name => KanStack(x, $"embedding.{name}_extractor.", options.Extractor, options.LayerNormBetween)).ToArray();
        var alpha = _g.Mul(_g.Tanh(u[0]), (float)_network.Embedding.Grid.MaxCenter);
        var beta = _g.Mul(_g.Tanh(u[1]), (float)options.BetaMax);
        var gamma = _g.Mul(_g.Tanh(u[2]), MathF.PI);
        return new State(alpha, beta, gamma);
    }

    /// <summary>(N, M) state → (N, 4M + K): α/α_max, β/β_max, cos γ, sin γ, reference fidelities.</summary>
    private string Represent(State state)
    {
        var embedding = _network.Embedding;
        var parts = new List<string>
        {
            _g.Div(state.Alpha, (float)embedding.Grid.MaxCenter),
            _g.Div(state.Beta, (float)embedding.Options.BetaMax),
            _g.Unary("Cos", state.Gamma),
            _g.Unary("Sin", state.Gamma),
        };
        if (embedding.Options.ReferenceStates > 0)
            parts.Add(ReferenceFidelity(state));
        return _g.Concat(1, parts.ToArray());
    }

    /// <summary>exp(−Σ_m (Δα²/(4σ²) + σ²Δβ²)) against each bounded reference state: (N, M) → (N, K).</summary>
    private string ReferenceFidelity(State state)
    {
        var embedding = _network.Embedding;
        var references = embedding.ReferenceStates();
        int k = (int)references.Alpha.shape[0], m = (int)references.Alpha.shape[1];
        float[] Values(TorchSharp.torch.Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();
        var referenceAlpha = _g.Floats("reference_alpha", Values(references.Alpha), 1, k, m);
        var referenceBeta = _g.Floats("reference_beta", Values(references.Beta), 1, k, m);
        references.Alpha.Dispose();
        references.Beta.Dispose();
        references.Gamma.Dispose();
        double sigma = embedding.Grid.Sigma;
        var alphaTerm = _g.Div(_g.Square(_g.Sub(_g.Unsqueeze(state.Alpha, 1), referenceAlpha)), (float)(4 * sigma * sigma));
        var betaTerm = _g.Mul(_g.Square(_g.Sub(_g.Unsqueeze(state.Beta, 1), referenceBeta)), (float)(sigma * sigma));
        return _g.Unary("Exp", _g.Op("Neg", [_g.ReduceSum(_g.Add(alphaTerm, betaTerm), 2, keepDims: false)]));
    }

    private string Classify(string representation)
    {
        var h = KanStack(representation, "semantic.", _network.Options.Semantic, _network.Options.LayerNorm);
        if (_network.Options.LayerNorm)
            h = LayerNorm(h, "head_norm.");
        return KanLayerGraph.Add(_g, h, _w, "head.", _network.Options.Head);
    }

    private string BaselineHead(string x)
    {
        string Linear(string input, string name)
        {
            var (weight, shape) = _w.Get($"baseline_head.{name}.weight");
            return _g.Linear(input, "baseline_" + name, weight, (int)shape[0], (int)shape[1], _w.Values($"baseline_head.{name}.bias"));
        }
        return _network.Options.ClassifierHead == ClassifierHead.Linear
            ? Linear(x, "linear")
            : Linear(_g.Relu(Linear(x, "hidden")), "output");
    }

    /// <summary>A <see cref="KanNetwork"/>: its layers, with a LayerNorm after every one but the last when it has norms.</summary>
    private string KanStack(string x, string prefix, KanLayerOptions options, bool layerNormBetween)
    {
        var h = x;
        for (int i = 0; _w.Has($"{prefix}layers.{i}.coefficients"); i++)
        {
            if (i > 0 && layerNormBetween && _w.Has($"{prefix}norms.{i - 1}.weight"))
                h = LayerNorm(h, $"{prefix}norms.{i - 1}.");
            h = KanLayerGraph.Add(_g, h, _w, $"{prefix}layers.{i}.", options);
        }
        return h;
    }

    private string LayerNorm(string x, string prefix)
    {
        var (weight, shape) = _w.Get(prefix + "weight");
        return _g.LayerNorm(x, _g.Floats(prefix.Replace('.', '_') + "w", weight, shape), Floats(prefix + "bias"), 1e-5f);
    }

    private string Floats(string name)
    {
        var (values, shape) = _w.Get(name);
        return _g.Floats(name.Replace('.', '_'), values, shape);
    }

    /// <summary>
    /// One clip's frames (F, M) → its inference patches (P, crop, M): P = 1 + ⌈max(F − crop, 0)/hop⌉ patches starting at
    /// min(p·hop, F − crop) (≥ 0), frame indices taken modulo F, so a clip shorter than a patch is tiled.
    /// </summary>
    private string Patches(string frames, int crop, int hop)
    {
        var count = _g.Op("Shape", [frames], OnnxGraphBuilder.Attr("end", 1L));                 // (1): F
        var spare = _g.Sub(count, _g.Int64s(crop));                                              // F − crop
        var excess = _g.Max(spare, _g.Int64s(0));
        var patchCount = _g.Add(_g.Int64s(1), _g.Div(_g.Add(excess, _g.Int64s(hop - 1)), _g.Int64s(hop)));
        var patchIndex = _g.Op("Range", [_g.Int64Scalar(0), _g.Squeeze(patchCount, 0), _g.Int64Scalar(1)]); // (P)
        var starts = _g.Max(_g.Min(_g.Mul(patchIndex, _g.Int64s(hop)), spare), _g.Int64s(0));   // (P)
        var offsets = _g.Int64s(Enumerable.Range(0, crop).Select(i => (long)i).ToArray());     // (crop)
        var indices = _g.Op("Mod", [_g.Add(_g.Unsqueeze(starts, 1), _g.Unsqueeze(offsets, 0)), count]); // (P, crop)
        return _g.Op("Gather", [frames, indices], OnnxGraphBuilder.Attr("axis", 0L));            // (P, crop, M)
    }

    /// <summary>atan2(y, x) from Atan and the quadrant (ONNX has no Atan2); 0 where both are 0, as torch.</summary>
    private string Atan2(string y, string x)
    {
        var zero = _g.Scalar(0f);
        var quotient = _g.Unary("Atan", _g.Div(y, x));
        var turn = _g.Op("Where", [_g.Op("Less", [y, zero]), _g.Scalar(-MathF.PI), _g.Scalar(MathF.PI)]);
        var angle = _g.Op("Where", [_g.Op("Less", [x, zero]), _g.Add(quotient, turn), quotient]);
        var origin = _g.Op("And", [_g.Op("Equal", [x, zero]), _g.Op("Equal", [y, zero])]);
        return _g.Op("Where", [origin, zero, angle]);
    }

    private readonly record struct State(string Alpha, string Beta, string Gamma);
}
