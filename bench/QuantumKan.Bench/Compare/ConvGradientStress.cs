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
        ProbeLayouts(passes, rng);
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

    /// <summary>
    /// libtorch's own conv2d, not the encoders: the shapes the encoders used before 2026-12-08 (a 3×3 convolution over
    /// (B, C, T, 8) and a 1×9 row convolution over (B, C, 1, T), T 2–120) with C = 12, 16 and 24, in the contiguous
    /// layout and channels-last, counting passes whose training output's input gradient or whose eval output is not all
    /// finite. Informational (the encoders use channels-last); README, "Known issues".
    /// </summary>
    private static void ProbeLayouts(int passes, Random rng)
    {
        foreach (var (name, kernel) in new[] { ("3x3 over (B, C, T, 8)", (3, 3)), ("1x9 row over (B, C, 1, T)", (1, 9)) })
            foreach (int channels in new[] { 12, 16, 24 })
                foreach (bool channelsLast in new[] { false, true })
                {
                    using var weight = (randn(channels, channels, kernel.Item1, kernel.Item2) * 0.1).requires_grad_(true);
                    int badGradient = 0, badEval = 0;
                    for (int i = 0; i < passes; i++)
                    {
                        using var scope = NewDisposeScope();
                        int batch = 1 + rng.Next(8), time = 2 + rng.Next(i % 2 == 0 ? 8 : 119);
                        var x = kernel.Item1 == 3 ? randn(batch, channels, time, 8) : randn(batch, channels, 1, time);
                        if (channelsLast)
                            x = x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
                        x.requires_grad_(true);
                        var y = nn.functional.conv2d(x, weight, padding: [kernel.Item1 / 2, kernel.Item2 / 2]);
                        (y * randn_like(y)).sum().backward();
                        badGradient += x.grad!.isfinite().all().item<bool>() ? 0 : 1;
                        weight.grad!.zero_();
                        using (no_grad())
                            badEval += nn.functional.conv2d(x, weight, padding: [kernel.Item1 / 2, kernel.Item2 / 2]).isfinite().all().item<bool>() ? 0 : 1;
                    }
                    Console.WriteLine($"libtorch conv2d {name}, C = {channels}, {(channelsLast ? "channels-last" : "contiguous")}: " +
                                      $"{badGradient} of {passes} backward passes with non-finite input gradients, {badEval} of {passes} eval forwards non-finite");
                }
    }
}
