using Microsoft.ML.Runtime;
using QuantumKan.Core;
using QuantumKan.Nn.Losses;
using QuantumKan.Nn.Quantum;
using QuantumKan.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.ML.Quantum;

/// <summary>One epoch of embedding training: mean loss and mean fidelities over the pairs seen.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Loss">Mean total loss over the epoch's batches.</param>
/// <param name="MeanPositiveFidelity">Mean F over positive pairs (sharing a label); NaN if none were seen.</param>
/// <param name="MeanNegativeFidelity">Mean F over negative pairs (sharing no label); NaN if none were seen.</param>
public sealed record QuantumEmbeddingEpoch(int Epoch, double Loss, double MeanPositiveFidelity, double MeanNegativeFidelity);

/// <summary>
/// Fits a <see cref="QuantumFieldEmbedding"/>'s extractors: shuffled mini-batches (seeded from the ML.NET environment),
/// loss = fidelity contrastive loss + w·normalization penalty + λ·Σθ², optimized with AdamW (TorchSharp's, stepped by <see cref="AdamWUpdate"/>).
/// </summary>
internal static class QuantumEmbeddingTraining
{
    public static (QuantumFieldEmbedding Module, List<QuantumEmbeddingEpoch> History) Train(IHost host, LabelledFeatures data, QuantumEmbeddingOptions options)
    {
        TorchRuntime.EnsureInitialized();
        var device = TorchRuntime.ResolveDevice(options.Device);
        var random = host.Rand;
        // Global RNG: TorchSharp's layers initialize from it. Seeded from the environment for reproducible Fits.
        var module = TorchRuntime.Seeded(random.NextInt64(), () => new QuantumFieldEmbedding(data.Width, options.ToEmbeddingOptions()));
        using var x = tensor(data.Features, [data.Rows, data.Width]).to(device);     // (n, D)
        using var y = tensor(data.MultiHot(), [data.Rows, data.ClassCount]).to(device); // (n, C)
        if (options.StandardizeFeatures)
            Standardize(module, x);
        module.to(device);
        module.train();

        var contrastive = new FidelityContrastiveLoss(options.Margin);
        var normalization = new NormalizationPenalty(module.Grid.Spacing);
        var parameters = module.parameters().ToArray();
        using var optimizer = optim.AdamW(parameters, lr: options.LearningRate, weight_decay: options.WeightDecay);
        var history = new List<QuantumEmbeddingEpoch>();
        using var channel = host.Start("QuantumEmbedding training");
        var order = Enumerable.Range(0, data.Rows).ToArray();
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            random.Shuffle(order);
            var tally = new EpochTally();
            for (int start = 0; start + 1 < order.Length; start += options.BatchSize)
            {
                using var scope = NewDisposeScope();
                var rows = order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start)).ToArray().Select(i => (long)i).ToArray();
                var index = tensor(rows, device: device);
                var labels = y.index_select(0, index);                                // (B, C)
                var state = module.Encode(x.index_select(0, index));                 // (B, M) each
                var fidelity = module.PairwiseFidelity(state);                        // (B, B)
                var psi = module.SampleWavefunction(state);                           // (B, M, N)
                var l2 = parameters.Select(p => p.square().sum()).Aggregate((a, b) => a.Plus(b));
                var loss = contrastive.call(fidelity, labels)
                    .Plus(normalization.call(psi.Real, psi.Imag).Times(options.NormalizationWeight))
                    .Plus(l2.Times(options.L2Weight));
                optimizer.zero_grad();
                loss.backward();
                AdamWUpdate.Step(optimizer); // TorchSharp's AdamW.step() with its Scalars held
                tally.Add(loss.item<float>(), FidelityPairStatistics.Compute(fidelity, labels));
            }
            var summary = tally.Summarize(epoch);
            history.Add(summary);
            channel.Info(MessageSensitivity.None, $"epoch {epoch}: loss {summary.Loss:G4}, mean F positive {summary.MeanPositiveFidelity:G4}, negative {summary.MeanNegativeFidelity:G4}");
        }
        module.eval();
        module.to(CPU);
        return (module, history);
    }

    private static void Standardize(QuantumFieldEmbedding module, Tensor x)
    {
        using var scope = NewDisposeScope();
        var x64 = x.to_type(ScalarType.Float64);
        module.SetInputStandardization(x64.mean([0]).cpu(), x64.std(0, unbiased: false).cpu());
    }

    private sealed class EpochTally
    {
        private double _loss, _positiveSum, _negativeSum;
        private long _batches, _positives, _negatives;

        public void Add(double loss, FidelityPairStatistics stats)
        {
            _loss += loss;
            _batches++;
            if (stats.PositivePairs > 0)
                _positiveSum += stats.MeanPositive * stats.PositivePairs;
            if (stats.NegativePairs > 0)
                _negativeSum += stats.MeanNegative * stats.NegativePairs;
            _positives += stats.PositivePairs;
            _negatives += stats.NegativePairs;
        }

        public QuantumEmbeddingEpoch Summarize(int epoch) => new(epoch, _loss / Math.Max(1, _batches),
            _positives == 0 ? double.NaN : _positiveSum / _positives,
            _negatives == 0 ? double.NaN : _negativeSum / _negatives);
    }
}
