using QuantumKan.Nn.Kan;
using QuantumKan.Nn.Quantum;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Quantum;

/// <summary>
/// Encode expands the Chebyshev basis of the input once for the α, β and γ extractors (a speed change): its outputs
/// and the gradients it sends to every parameter must be those of calling each extractor on its own.
/// </summary>
public class QuantumFieldEmbeddingSharedBasisTests
{
    private static QuantumFieldEmbedding Create(ScalarType dtype)
    {
        manual_seed(3);
        var module = new QuantumFieldEmbedding(6, new QuantumFieldEmbeddingOptions { Modes = 4, ReferenceStates = 2 });
        module.SetInputStandardization(tensor(new float[] { 0.5f, -1, 2, 0, 0.1f, 3 }), tensor(new float[] { 2, 0.5f, 1, 1, 3, 0.2f }));
        module.to(dtype);
        return module;
    }

    // What Encode computed before the basis was shared: each extractor's own forward on the standardized input.
    private static (Tensor Alpha, Tensor Beta, Tensor Gamma) SeparateExtractors(QuantumFieldEmbedding module, Tensor features)
    {
        var extractors = module.named_children().ToDictionary(c => c.name, c => (KanNetwork)c.module);
        var x = module.Standardize(features);
        return (extractors["alpha_extractor"].call(x).tanh() * module.Grid.MaxCenter,
                extractors["beta_extractor"].call(x).tanh() * module.Options.BetaMax,
                extractors["gamma_extractor"].call(x).tanh() * Math.PI);
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Encode_MatchesEachExtractorCalledOnItsOwn(ScalarType dtype)
    {
        using var module = Create(dtype);
        using var scope = NewDisposeScope();
        var features = randn(9, 6, dtype: dtype) * 3;
        var shared = module.Encode(features);
        var separate = SeparateExtractors(module, features);
        Assert.True(shared.Alpha.equal(separate.Alpha).all().item<bool>());
        Assert.True(shared.Beta.equal(separate.Beta).all().item<bool>());
        Assert.True(shared.Gamma.equal(separate.Gamma).all().item<bool>());
    }

    [Fact]
    public void Encode_SendsTheSameGradientsToEveryExtractorParameter()
    {
        using var module = Create(ScalarType.Float64);
        using var scope = NewDisposeScope();
        var features = randn(9, 6, dtype: ScalarType.Float64);
        var weights = randn(3, 9, 4, dtype: ScalarType.Float64); // a loss that weighs every output differently

        Tensor Loss(Tensor a, Tensor b, Tensor g) => (a * weights[0]).sum() + (b * weights[1]).sum() + (g * weights[2]).sum();
        var state = module.Encode(features);
        Loss(state.Alpha, state.Beta, state.Gamma).backward();
        var sharedGradients = module.named_parameters().Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        module.zero_grad();
        var separate = SeparateExtractors(module, features);
        Loss(separate.Alpha, separate.Beta, separate.Gamma).backward();

        Assert.Equal(3, sharedGradients.Count(g => g.Key.Contains("extractor", StringComparison.Ordinal)));
        foreach (var (name, parameter) in module.named_parameters().Where(p => p.parameter.grad is not null))
            Assert.True(parameter.grad!.allclose(sharedGradients[name], rtol: 1e-12, atol: 1e-14), name);
    }

    [Fact]
    public void Encode_WithHiddenLayers_StillUsesEachExtractor()
    {
        manual_seed(4);
        using var module = new QuantumFieldEmbedding(6, new QuantumFieldEmbeddingOptions { Modes = 3, HiddenWidths = [5] });
        using var scope = NewDisposeScope();
        var features = randn(4, 6);
        var shared = module.Encode(features);
        var separate = SeparateExtractors(module, features);
        Assert.True(shared.Beta.equal(separate.Beta).all().item<bool>());
    }

    [Fact]
    public void Encode_OfTheWrongDtype_StillGetsTheLayersClearError()
    {
        using var module = Create(ScalarType.Float32);
        var error = Assert.Throws<ArgumentException>(() => module.Encode(randn(2, 6, dtype: ScalarType.Float64)));
        Assert.Contains("Float64", error.Message, StringComparison.Ordinal);
    }
}
