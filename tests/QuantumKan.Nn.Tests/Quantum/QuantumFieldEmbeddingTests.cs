using TorchSharp;
using QuantumKan.Nn.Kan;
using QuantumKan.Nn.Losses;
using QuantumKan.Nn.Quantum;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Quantum;

public class QuantumFieldEmbeddingTests
{
    private static QuantumFieldEmbedding Create(int inFeatures = 5, int modes = 4, int references = 3, int seed = 1)
    {
        manual_seed(seed);
        return new QuantumFieldEmbedding(inFeatures, new QuantumFieldEmbeddingOptions { Modes = modes, ReferenceStates = references });
    }

    [Fact]
    public void Extractors_AreChebyshevKanLayersOfDegreeEight_ByDefault()
    {
        var options = new QuantumFieldEmbeddingOptions();
        Assert.Equal(KanBasis.Chebyshev, options.Extractor.Basis);
        Assert.Equal(8, Assert.IsType<ChebyshevKanOptions>(options.Extractor).Degree);
        using var module = Create();
        var layers = module.modules().OfType<KanLayer>().ToArray();
        Assert.Equal(3, layers.Length); // α, β and γ extractors, one layer each
        Assert.All(layers, l => Assert.Equal(KanBasis.Chebyshev, l.Basis));
        Assert.All(layers, l => Assert.Equal(9, l.BasisSize));
    }

    [Fact]
    public void Parameters_StayInsideTheGridBounds_EvenForExtremeInputs()
    {
        using var module = Create();
        using var scope = NewDisposeScope();
        var x = cat([randn(64, 5) * 1000, randn(64, 5) * 1e-3, full(1, 5, 1e30f)]);
        var state = module.Encode(x);
        Assert.True(state.Alpha.abs().max().item<float>() <= module.Grid.MaxCenter);
        Assert.True(state.Beta.abs().max().item<float>() <= module.Options.BetaMax);
        Assert.True(state.Gamma.abs().max().item<float>() <= (float)Math.PI);
        // Saturated packets are still normalized on the grid.
        var norm = Wavefunction.Norm(module.SampleWavefunction(state), module.Grid.Spacing);
        Assert.True((norm - 1).abs().max().item<float>() < 1e-4);
    }

    [Fact]
    public void Forward_PacksAlphaBetaGamma_InThatOrder()
    {
        using var module = Create();
        using var scope = NewDisposeScope();
        var x = randn(7, 5);
        var state = module.Encode(x);
        var packed = module.call(x);
        Assert.Equal([7L, 12L], packed.shape);
        Assert.True(packed.narrow(1, 0, 4).equal(state.Alpha).all().item<bool>());
        Assert.True(packed.narrow(1, 4, 4).equal(state.Beta).all().item<bool>());
        Assert.True(packed.narrow(1, 8, 4).equal(state.Gamma).all().item<bool>());
        var back = CoherentStateParameters.Unpack(packed);
        Assert.True(back.Beta.equal(state.Beta).all().item<bool>());
    }

    [Fact]
    public void PairwiseFidelity_MatchesTheGridDefinition_OnTheModulesOwnStates()
    {
        using var module = Create();
        module.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        var state = module.Encode(randn(6, 5, dtype: ScalarType.Float64) * 2);
        var closed = module.PairwiseFidelity(state);
        var grid = BornFidelity.GridPairwise(module.SampleWavefunction(state), module.Grid.Spacing);
        Assert.Equal(ScalarType.Float64, closed.dtype);
        Assert.True((closed - grid).abs().max().item<double>() < 1e-5);
        Assert.True((module.PairwiseLogFidelity(state).exp() - closed).abs().max().item<double>() < 1e-15);
    }

    [Fact]
    public void InitialSpread_SetsTheStartingLogFidelityOfUnrelatedInputs()
    {
        using var scope = NewDisposeScope();
        foreach (var spread in new[] { 0.5, 2.0 })
        {
            manual_seed(4);
            using var module = new QuantumFieldEmbedding(16, new QuantumFieldEmbeddingOptions { Modes = 16, InitialSpread = spread });
            var logF = module.PairwiseLogFidelity(module.Encode(randn(256, 16)));
            var offDiagonal = logF.masked_select(eye(256, dtype: ScalarType.Bool).logical_not());
            var meanDistance = -offDiagonal.mean().item<float>();
            // Unit-variance KAN outputs are an initialization target, not exact: allow a factor of 2.5.
            Assert.InRange(meanDistance, spread / 2.5, spread * 2.5);
        }
    }

    [Fact]
    public void ReferenceFidelity_ComparesEverySampleWithEveryLearnedReference()
    {
        using var module = Create(references: 3);
        using var scope = NewDisposeScope();
        var state = module.Encode(randn(4, 5));
        var f = module.ReferenceFidelity(state);
        Assert.Equal([4L, 3L], f.shape);
        var references = module.ReferenceStates();
        Assert.True(references.Alpha.abs().max().item<float>() <= module.Grid.MaxCenter);
        var expected = BornFidelity.ClosedForm(state.Alpha[2], state.Beta[2], references.Alpha[1], references.Beta[1], module.Grid.Sigma);
        Assert.Equal(expected.item<float>(), f[2, 1].item<float>(), 6);
    }

    [Fact]
    public void ReferenceStates_AbsentWhenNoneWereAskedFor()
    {
        using var module = Create(references: 0);
        using var scope = NewDisposeScope();
        Assert.Throws<InvalidOperationException>(() => module.ReferenceFidelity(module.Encode(randn(2, 5))));
        Assert.DoesNotContain(module.named_parameters(), p => p.name.StartsWith("reference", StringComparison.Ordinal));
    }

    [Fact]
    public void Gradients_ReachEveryTrainableParameter()
    {
        using var module = Create();
        using var scope = NewDisposeScope();
        var state = module.Encode(randn(8, 5));
        var labels = tensor(new long[] { 0, 0, 1, 1, 2, 2, 3, 3 });
        var psi = module.SampleWavefunction(state);
        // Fidelities reach α, β and the references; γ enters only through the wavefunction's phase.
        var loss = new FidelityContrastiveLoss(0.1).call(module.PairwiseFidelity(state), labels)
                   + module.ReferenceFidelity(state).mean()
                   + psi.Imag.mean();
        loss.backward();
        foreach (var (name, p) in module.named_parameters())
            Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, $"no gradient reached {name}");
    }

    [Fact]
    public void LossGradient_WithRespectToTheFeatures_MatchesFiniteDifferences()
    {
        using var module = Create(inFeatures: 3, modes: 2, references: 0);
        module.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        manual_seed(9);
        var x = randn(5, 3, dtype: ScalarType.Float64);
        var labels = tensor(new long[] { 0, 0, 1, 1, 0 });
        var loss = new FidelityContrastiveLoss(0.05);
        FiniteDifferences.AssertGradientsMatch(p => loss.call(module.PairwiseFidelity(module.Encode(p[0])), labels), [x], tolerance: 1e-5);
    }

    [Fact]
    public void InputStandardization_IsAppliedBeforeTheExtractors_AndTravelsWithTheStateDict()
    {
        using var module = Create();
        using var scope = NewDisposeScope();
        var x = randn(6, 5) * 3 + 7;
        var mean = x.mean([0]);
        var std = x.std(0, unbiased: false);
        var raw = module.call((x - mean) / std);
        module.SetInputStandardization(mean, std);
        var standardized = module.call(x);
        Assert.True((raw - standardized).abs().max().item<float>() < 1e-5);

        using var temp = new TempFolder("qfe-");
        var path = temp.Combine("module.bin");
        module.save(path);
        using var copy = Create(seed: 99);
        copy.load(path);
        Assert.True(copy.call(x).equal(standardized).all().item<bool>());
    }

    [Fact]
    public void MovingTheModule_MovesItsBuffers_AndTheFieldsThatUseThem()
    {
        // .to() replaces buffers; a field left pointing at the old tensor would ignore later standardization.
        using var module = Create();
        module.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        module.SetInputStandardization(full(5, 2.0), full(5, 4.0));
        var buffers = module.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        Assert.Equal(ScalarType.Float64, buffers["input_mean"].dtype);
        Assert.Equal(2.0, buffers["input_mean"][0].item<double>());
        Assert.Equal(0.25, buffers["input_scale"][0].item<double>());
        Assert.All(module.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
        Assert.Equal(ScalarType.Float64, module.ReferenceStates().Alpha.dtype);
    }

    [Fact]
    public void Encode_RejectsFeaturesOfTheWrongWidth()
    {
        using var module = Create();
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => module.Encode(randn(2, 6)));
        Assert.Contains("(batch, 5)", ex.Message);
    }

    [Theory]
    [InlineData(0, 2.0, "Modes")]
    [InlineData(4, 40.0, "BetaMax")] // above π/Δx / 4 ≈ 33.5
    [InlineData(4, 0.0, "BetaMax")]
    public void Options_NameTheSettingOutOfRange(int modes, double betaMax, string name)
    {
        var options = new QuantumFieldEmbeddingOptions { Modes = modes, BetaMax = betaMax };
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(options.Validate).ParamName);
    }
}
