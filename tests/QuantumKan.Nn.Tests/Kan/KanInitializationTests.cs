using QuantumKan.Nn.Kan;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Nn.Tests.Kan;

public sealed class KanInitializationTests
{
    [Theory]
    [MemberData(nameof(KanVariants.Bases), MemberType = typeof(KanVariants))]
    public void FourLayerNetwork_KeepsOutputStdNearOne_OnStandardNormalInputs(KanBasis basis)
    {
        foreach (var seed in new[] { 1, 2, 3 })
        {
            manual_seed(seed);
            using var network = new KanNetwork([32, 64, 64, 64, 16], KanVariants.Options(basis));
            using var noGrad = no_grad();
            var std = network.forward(randn(2048, 32)).std().item<float>();
            Assert.InRange(std, 0.3f, 3f);
        }
    }

    [Theory]
    [MemberData(nameof(KanVariants.Bases), MemberType = typeof(KanVariants))]
    public void SingleLayer_HasUnitSecondMomentWithinTenPercent(KanBasis basis)
    {
        // Sharper than the depth test: E[y²] over many independent layers should be 1 by construction.
        manual_seed(5);
        using var noGrad = no_grad();
        double total = 0;
        const int layers = 8;
        for (int i = 0; i < layers; i++)
        {
            using var layer = KanLayer.Create(256, 256, KanVariants.Options(basis));
            total += layer.forward(randn(512, 256)).square().mean().item<float>();
        }
        Assert.InRange(total / layers, 0.9, 1.1);
    }
}
