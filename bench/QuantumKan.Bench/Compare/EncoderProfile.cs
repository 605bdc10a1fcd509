using System.Diagnostics;
using QuantumKan.Core;
using QuantumKan.Nn.Encoders;
using QuantumKan.Nn.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Bench.Compare;

/// <summary>
/// Where a training step of the encoder network goes (batch 32, 100-frame crops, 64 mels), forward + backward of each
/// part on random data, median ms over the iterations; bench/reference/encoder_profile.py times the same parts in
/// PyTorch. Parts: the ten encoder convolutions (libtorch's conv1d, as the library runs them), their
/// BatchNorms, the whole encoder, the whole network (ForwardAll + a sum of its outputs), and AdamW over all
/// parameters.
/// </summary>
internal static class EncoderProfile
{
    // (Cin, Cout, K, stride, padding, T): the stem and the three blocks' conv1, conv2, shortcut at T = 100.
    private static readonly (int Cin, int Cout, int K, int S, int P, int T)[] Convs =
    [
        (64, 64, 3, 1, 1, 100),
        (64, 64, 9, 2, 4, 100), (64, 64, 9, 1, 4, 50), (64, 64, 1, 2, 0, 100),
        (64, 96, 9, 2, 4, 50), (96, 96, 9, 1, 4, 25), (64, 96, 1, 2, 0, 50),
        (96, 128, 9, 2, 4, 25), (128, 128, 9, 1, 4, 13), (96, 128, 1, 2, 0, 25),
    ];

    public static int Execute(int threads, int iterations, int batch)
    {
        TorchRuntime.SetIntraOpThreads(threads);
        var results = new List<(string Name, double Ms)>();
        random.manual_seed(1);
        using var scope = NewDisposeScope();

        var convs = Convs.Select(c => new EncoderConv1d(c.Cin, c.Cout, c.K, c.S, c.P)).ToArray();
        var inputs = Convs.Select(c => randn(batch, c.Cin, c.T).requires_grad_(true)).ToArray();
        results.Add(("convolutions (library: libtorch conv1d)", Time(iterations, () =>
        {
            using var s = NewDisposeScope();
            for (int i = 0; i < convs.Length; i++)
                convs[i].call(inputs[i]).sum().backward();
        })));
        var norms = Convs.Select(c => nn.BatchNorm1d(c.Cout)).ToArray();
        var normInputs = Convs.Select(c => randn(batch, c.Cout, (c.T + 2 * c.P - c.K) / c.S + 1).requires_grad_(true)).ToArray();
        results.Add(("BatchNorm1d x10 (train mode)", Time(iterations, () =>
        {
            using var s = NewDisposeScope();
            for (int i = 0; i < norms.Length; i++)
                norms[i].call(normInputs[i]).sum().backward();
        })));

        var options = EncoderRun.Network with { Encoder = EncoderRun.Network.Encoder with { MelBands = 64 } };
        var network = new QuantumKanNetwork(64, 8, options);
        network.train();
        var frames = randn(batch, 100, 64);
        results.Add(("encoder (stem + 3 blocks + pooling)", Time(iterations, () =>
        {
            using var s = NewDisposeScope();
            network.Encoder!.call(frames).sum().backward();
        })));
        results.Add(("whole network, ForwardAll", Time(iterations, () =>
        {
            using var s = NewDisposeScope();
            var o = network.ForwardAll(frames);
            (o.Logits.sum() + o.Reconstruction.sum() + o.State.Alpha.sum() + o.State.Beta.sum()).backward();
        })));
        var parameters = network.parameters().ToArray();
        var adamw = optim.AdamW(parameters, 1e-3, weight_decay: 1e-2);
        foreach (var p in parameters)
            p.grad = randn_like(p) * 1e-3;
        results.Add(("AdamW step, all parameters", Time(iterations, () =>
        {
            using var s = NewDisposeScope();
            adamw.step();
        })));
        results.Add(("clip_grad_norm_, all parameters", Time(iterations, () =>
        {
            using var s = NewDisposeScope();
            nn.utils.clip_grad_norm_(parameters, 1.0);
        })));

        Console.WriteLine($"QuantumKan (TorchSharp {typeof(torch).Assembly.GetName().Version}), {threads} threads, batch {batch}, median of {iterations}:");
        foreach (var (name, ms) in results)
            Console.WriteLine($"  {name,-42} {ms,8:F2} ms");
        return 0;
    }

    private static double Time(int iterations, Action step)
    {
        for (int i = 0; i < 3; i++)
            step();
        var times = new double[iterations];
        var watch = new Stopwatch();
        for (int i = 0; i < iterations; i++)
        {
            watch.Restart();
            step();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[iterations / 2];
    }
}
