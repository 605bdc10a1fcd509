using QuantumKan.Training.Optimization;
using QuantumKan.Training.Tests.Fixtures;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Training.Tests.Optimization;

public class AdamWUpdateTests
{
    [Theory]
    [InlineData(0.0, 0.9, 0.999, false)]
    [InlineData(0.05, 0.9, 0.999, false)]
    [InlineData(0.3, 0.8, 0.95, false)]
    [InlineData(0.05, 0.9, 0.999, true)]
    public void Step_IsBitIdenticalToTorchSharpAdamW(double weightDecay, double beta1, double beta2, bool amsgrad)
    {
        // Two copies of one network, the same gradients each step (drawn from one seeded generator, some parameters
        // left without a gradient on some steps), a learning rate that changes every step as a schedule would: our step
        // on one, TorchSharp's on the other. Parameters and the optimizer state must agree bit for bit after every step.
        var reference = new MlpClassifier(5, 7, 3, seed: 11);
        var ours = new MlpClassifier(5, 7, 3, seed: 11);
        using var referenceOptimizer = Create(reference, weightDecay, beta1, beta2, amsgrad);
        using var ourOptimizer = Create(ours, weightDecay, beta1, beta2, amsgrad);
        using var generator = new torch.Generator(7);
        var referenceParameters = reference.parameters().ToArray();
        var ourParameters = ours.parameters().ToArray();
        for (int step = 0; step < 8; step++)
        {
            double learningRate = 0.01 * (1 + 0.5 * Math.Sin(step));
            foreach (var group in referenceOptimizer.ParamGroups.Concat(ourOptimizer.ParamGroups))
                group.LearningRate = learningRate;
            for (int i = 0; i < referenceParameters.Length; i++)
            {
                // Every third (step, parameter) pair has no gradient: both steps must skip it (its step count stays).
                bool noGradient = (step + i) % 3 == 2;
                var gradient = torch.randn(referenceParameters[i].shape, generator: generator) * (step + 1);
                referenceParameters[i].grad = noGradient ? null : gradient.clone();
                ourParameters[i].grad = noGradient ? null : gradient.clone();
            }
            referenceOptimizer.step();
            AdamWUpdate.Step(ourOptimizer);
            for (int i = 0; i < referenceParameters.Length; i++)
                AssertBitIdentical(referenceParameters[i], ourParameters[i], $"parameter {i} after step {step + 1}");
            AssertSameState(referenceOptimizer, ourOptimizer, step + 1);
        }
    }

    [Fact]
    public void Step_FlatGroups_AreBitIdenticalToTorchSharpAdamW_AcrossSkippedGradientsAndStateLoads()
    {
        // Every parameter has a gradient on most steps, so both groups (decayed: the two weight matrices; undecayed: the
        // two biases) take the flat path, on tensors of 5 to 660 elements (vectorized blocks and scalar tails land on
        // other elements once concatenated). Step 3 leaves one weight without a gradient (its group goes per parameter
        // and its step count falls behind, so the group stays per parameter after it). After step 5 our optimizer's state
        // is saved and loaded back in place (into the flat moments' views) and into a fresh optimizer, which continues.
        var reference = new MlpClassifier(20, 33, 5, seed: 5);
        var ours = new MlpClassifier(20, 33, 5, seed: 5);
        var resumed = new MlpClassifier(20, 33, 5, seed: 5);
        using var referenceOptimizer = AdamWFactory.Create(reference, learningRate: 0.01, weightDecay: 0.05);
        using var ourOptimizer = AdamWFactory.Create(ours, learningRate: 0.01, weightDecay: 0.05);
        using var resumedOptimizer = AdamWFactory.Create(resumed, learningRate: 0.01, weightDecay: 0.05);
        using var generator = new torch.Generator(3);
        var referenceParameters = reference.parameters().ToArray();
        var ourParameters = ours.parameters().ToArray();
        var resumedParameters = resumed.parameters().ToArray();
        for (int step = 0; step < 10; step++)
        {
            double learningRate = 0.01 * (1 + 0.5 * Math.Cos(step));
            foreach (var group in referenceOptimizer.ParamGroups.Concat(ourOptimizer.ParamGroups).Concat(resumedOptimizer.ParamGroups))
                group.LearningRate = learningRate;
            for (int i = 0; i < referenceParameters.Length; i++)
            {
                bool noGradient = step == 3 && i == 0;
                var gradient = torch.randn(referenceParameters[i].shape, generator: generator) * (step + 1);
                referenceParameters[i].grad = noGradient ? null : gradient.clone();
                ourParameters[i].grad = noGradient ? null : gradient.clone();
                resumedParameters[i].grad = noGradient ? null : gradient.clone();
            }
            referenceOptimizer.step();
            AdamWUpdate.Step(ourOptimizer);
            if (step > 5)
                AdamWUpdate.Step(resumedOptimizer);
            for (int i = 0; i < referenceParameters.Length; i++)
                AssertBitIdentical(referenceParameters[i], ourParameters[i], $"parameter {i} after step {step + 1}");
            AssertSameState(referenceOptimizer, ourOptimizer, step + 1);
            if (step == 5)
            {
                var saved = SaveState(ourOptimizer);
                LoadState(ourOptimizer, saved);
                LoadState(resumedOptimizer, saved);
                using (torch.no_grad())
                    for (int i = 0; i < ourParameters.Length; i++)
                        resumedParameters[i].copy_(ourParameters[i]);
            }
            if (step > 5)
            {
                for (int i = 0; i < referenceParameters.Length; i++)
                    AssertBitIdentical(referenceParameters[i], resumedParameters[i], $"resumed parameter {i} after step {step + 1}");
                AssertSameState(referenceOptimizer, resumedOptimizer, step + 1);
            }
        }
    }

    private static byte[] SaveState(AdamW optimizer)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            optimizer.save_state_dict(writer);
        return stream.ToArray();
    }

    private static void LoadState(AdamW optimizer, byte[] saved)
    {
        using var reader = new BinaryReader(new MemoryStream(saved));
        optimizer.load_state_dict(reader);
    }

    [Fact]
    public void Step_AppliesDecayBiasCorrectionAndMoments()
    {
        // One parameter, one step, a constant gradient g: w₁ = w₀(1 − lr·λ) − lr·(g(1−β₁)/(1−β₁)) / (|g|·√((1−β₂)/(1−β₂)) + ε)
        // = w₀(1 − lr·λ) − lr·g/(|g| + ε). A step that forgot the decay or the bias correction would miss this.
        var w = new Parameter(torch.full(3, 2.0, dtype: ScalarType.Float64));
        using var optimizer = optim.AdamW([w], lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, weight_decay: 0.5);
        w.grad = torch.full(3, 0.25, dtype: ScalarType.Float64);
        AdamWUpdate.Step(optimizer);
        double expected = 2.0 * (1 - 0.1 * 0.5) - 0.1 * 0.25 / (0.25 + 1e-8);
        foreach (var value in w.data<double>().ToArray())
            Assert.Equal(expected, value, 12);
        var state = (AdamW.State)optimizer.state_dict().State[0];
        Assert.Equal(1L, state.step);
        Assert.Equal(0.1 * 0.25, state.exp_avg.data<double>()[0], 12);
        Assert.Equal(0.01 * 0.25 * 0.25, state.exp_avg_sq.data<double>()[0], 12);
    }

    private static AdamW Create(nn.Module model, double weightDecay, double beta1, double beta2, bool amsgrad)
    {
        if (!amsgrad)
            return AdamWFactory.Create(model, learningRate: 0.01, weightDecay, beta1, beta2); // two groups: decayed and not
        return optim.AdamW(model.parameters(), lr: 0.01, beta1: beta1, beta2: beta2, weight_decay: weightDecay, amsgrad: true);
    }

    private static void AssertSameState(AdamW expected, AdamW actual, int step)
    {
        var e = expected.state_dict().State.Cast<AdamW.State>().ToArray();
        var a = actual.state_dict().State.Cast<AdamW.State>().ToArray();
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++)
        {
            Assert.Equal(e[i].step, a[i].step);
            AssertBitIdentical(e[i].exp_avg, a[i].exp_avg, $"exp_avg {i} after step {step}");
            AssertBitIdentical(e[i].exp_avg_sq, a[i].exp_avg_sq, $"exp_avg_sq {i} after step {step}");
            Assert.Equal(e[i].max_exp_avg_sq is null, a[i].max_exp_avg_sq is null);
            if (e[i].max_exp_avg_sq is { } max)
                AssertBitIdentical(max, a[i].max_exp_avg_sq!, $"max_exp_avg_sq {i} after step {step}");
        }
    }

    private static void AssertBitIdentical(Tensor expected, Tensor actual, string what)
    {
        var e = expected.detach().cpu().to(ScalarType.Float32).data<float>().ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
        var a = actual.detach().cpu().to(ScalarType.Float32).data<float>().ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
        Assert.True(e.SequenceEqual(a), $"{what} differs from TorchSharp's AdamW");
    }
}
