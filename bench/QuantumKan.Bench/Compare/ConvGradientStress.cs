using QuantumKan.Core;
using QuantumKan.Nn.Encoders;
using static TorchSharp.torch;

namespace QuantumKan.Bench.Compare;

/// <summary>
/// Randomized forward + backward passes of every frame-encoder family (libtorch's own conv1d/conv2d since 2026-12-07),
/// counting passes whose input or parameter gradients are not all finite, then eval forwards whose outputs are not: the
/// check behind README's "Known issues" note on libtorch's CPU convolutions. Batch 1–32, 1–120 frames (every other pass
/// 1–16, the lengths that once failed), with and without length masks, 64 mel bands; each family with its bench
/// channels and with channel counts that are not multiples of 16 (12/24/40, where contiguous convolutions gave NaN on
/// an AVX-512 machine).
/// </summary>
internal static class ConvGradientStress
{
    public static int Execute(int threads, int passes, int seed)
    {
        TorchRuntime.SetIntraOpThreads(threads);
        random.manual_seed(seed);
        var rng = new Random(seed);
        int failed = 0;
        foreach (var kind in new[] { FrameEncoderKind.Temporal, FrameEncoderKind.KanTemporal, FrameEncoderKind.Conv2d })
        {
            int[] benchChannels = kind == FrameEncoderKind.Conv2d ? [16, 16, 32, 64] : [64, 64, 96, 128];
            foreach (var channels in new[] { benchChannels, [12, 12, 24, 40] })
            {
                var options = new FrameEncoderOptions { Kind = kind, Channels = channels };
                using var encoder = FrameEncoder.Create(64, options);
                encoder.train();
                int bad = 0, badEval = 0;
                var watch = System.Diagnostics.Stopwatch.StartNew();
                for (int i = 0; i < passes; i++)
                {
                    using var scope = NewDisposeScope();
                    encoder.zero_grad();
                    int batch = 2 + rng.Next(31), time = 1 + rng.Next(i % 2 == 0 ? 16 : 120);
                    var x = randn(batch, time, 64).requires_grad_(true);
                    Tensor? lengths = i % 3 == 0 ? null : tensor(Enumerable.Range(0, batch).Select(_ => (long)(1 + rng.Next(time))).ToArray());
                    encoder.Encode(x, lengths).mean().backward();
                    bool finite = x.grad!.isfinite().all().item<bool>() && encoder.parameters().All(p => p.grad is null || p.grad.isfinite().all().item<bool>());
                    bad += finite ? 0 : 1;
                }
                encoder.eval();
                using (no_grad())
                {
                    for (int i = 0; i < passes; i++)
                    {
                        using var scope = NewDisposeScope();
                        var y = encoder.Encode(randn(1 + rng.Next(3), 1 + rng.Next(400), 64), null);
                        badEval += y.isfinite().all().item<bool>() ? 0 : 1;
                    }
                }
                Console.WriteLine($"{kind} channels {string.Join('/', channels)}: {bad} of {passes} training passes with non-finite gradients, " +
                                  $"{badEval} of {passes} eval forwards with non-finite outputs ({threads} threads, {watch.Elapsed.TotalSeconds:F0} s)");
                failed += bad + badEval;
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
