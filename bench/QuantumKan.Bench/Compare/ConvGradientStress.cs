using QuantumKan.Core;
using QuantumKan.Nn.Encoders;
using static TorchSharp.torch;

namespace QuantumKan.Bench.Compare;

/// <summary>
/// Randomized forward + backward passes of every frame-encoder family (libtorch's own conv1d/conv2d since 2026-12-07),
/// counting passes whose input or parameter gradients are not all finite: the check behind README's "Known issues" note
/// on libtorch's CPU convolution backward. Batch 1–32, 1–120 frames (every other pass 1–16, the lengths that once
/// failed), with and without length masks, 64 mel bands.
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
            var options = new FrameEncoderOptions { Kind = kind, Channels = kind == FrameEncoderKind.Conv2d ? [16, 16, 32, 64] : [64, 64, 96, 128] };
            using var encoder = FrameEncoder.Create(64, options);
            encoder.train();
            int bad = 0;
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
            Console.WriteLine($"{kind}: {bad} of {passes} passes with non-finite gradients ({threads} threads, {watch.Elapsed.TotalSeconds:F0} s)");
            failed += bad;
        }
        return failed == 0 ? 0 : 1;
    }
}
