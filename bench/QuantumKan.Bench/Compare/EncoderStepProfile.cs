using System.Diagnostics;
using QuantumKan.Core;
using QuantumKan.Nn.Network;
using QuantumKan.Training.Data;
using QuantumKan.Training.Data.Frames;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;
using QuantumKan.Training.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantumKan.Bench.Compare;

/// <summary>
/// Where one training step of the bench's encoder network goes, in place: the trainer's own pieces (batch assembly
/// from a <see cref="FrameCropSource"/>, <see cref="QuantumKanModel.Forward"/>, <see cref="MultiTaskLoss"/>, the
/// one-copy read of the loss values, backward, gradient clipping, <see cref="AdamWUpdate"/>, the step's dispose scope)
/// timed one after the other inside each step; the forward split by module on the same batches; forward + backward of
/// the encoder alone and of everything after it (from a detached clip vector: embedding, heads, decoder, the four
/// losses); and the median step of a real <see cref="Trainer.Fit"/> over the same synthetic clips (960 clips of
/// 100–400 frames, 64 bands, 8 classes, batch 32: the shape of <c>bench/run.sh --encoder</c>'s data). Medians over the
/// steps. On a shared machine compare builds by interleaving their processes, several rounds each.
/// </summary>
internal static class EncoderStepProfile
{
    private const int Bands = 64, Classes = 8, Clips = 960;

    public static int Execute(int threads, int steps, int batch, int fitEpochs)
    {
        TorchRuntime.SetIntraOpThreads(threads);
        var clips = SyntheticClips(seed: 3);
        var network = TorchRuntime.Seeded(1, () => new QuantumKanNetwork(Bands, Classes, EncoderRun.Network));
        var (mean, std) = clips.BandStatistics();
        network.SetInputStandardization(tensor(mean), tensor(std));
        network.train();
        Console.WriteLine($"QuantumKan encoder step, {threads} threads, batch {batch}, {network.parameters().Sum(p => p.numel()):N0} parameters, median of {steps} steps");

        var parts = new SortedDictionary<string, List<double>>(StringComparer.Ordinal);
        void Add(string name, double ms)
        {
            if (!parts.TryGetValue(name, out var list))
                parts[name] = list = [];
            list.Add(ms);
        }

        var source = new FrameCropSource(clips, EncoderRun.Network.Encoder.CropFrames, seed: 5);
        var reader = new BatchReader(source, CPU);
        var model = new QuantumKanModel(network);
        var loss = new MultiTaskLoss(ClassificationTask.MultiLabel, new TrainerOptions().LossWeights);
        var trainable = network.parameters().Where(p => p.requires_grad).ToList();
        using var optimizer = (AdamW)AdamWFactory.Create(network, 3e-3, 1e-2, 0.9, 0.999, 1e-8);
        var order = Enumerable.Range(0, Clips).ToArray();
        new Random(7).Shuffle(order);
        var watch = new Stopwatch();
        var total = new Stopwatch();
        // Milliseconds since the last lap (or restart), and a new lap.
        double Lap()
        {
            double ms = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            return ms;
        }
        for (int s = 0; s < steps + 3; s++)
        {
            bool record = s >= 3;
            int[] indices = [.. order.Skip(s * batch % (Clips - batch)).Take(batch)];
            total.Restart();
            watch.Restart();
            var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var inner = NewDisposeScope();
            var b = reader.Read(indices) with { RandomSeed = s };
            double read = Lap();
            var output = model.Forward(b);
            double forward = Lap();
            var breakdown = loss.Compute(output, b, trainable);
            double lossMs = Lap();
            breakdown.ReadValues();
            double item = Lap();
            breakdown.Total.Times(1.0).backward();
            double backward = Lap();
            inner.Dispose();
            double innerDispose = Lap();
            nn.utils.clip_grad_norm_(trainable, 1.0);
            double clip = Lap();
            AdamWUpdate.Step(optimizer);
            double adam = Lap();
            stepScope.Dispose();
            double outerDispose = Lap();
            double step = total.Elapsed.TotalMilliseconds;
            if (!record)
                continue;
            Add("1 read batch", read);
            Add("2 forward (model.Forward)", forward);
            Add("3 loss.Compute", lossMs);
            Add("4 ReadValues (item)", item);
            Add("5 backward", backward);
            Add("6 inner scope dispose", innerDispose);
            Add("7 clip_grad_norm_", clip);
            Add("8 AdamWUpdate.Step", adam);
            Add("9 step scope dispose", outerDispose);
            Add("step total", step);
        }

        // The forward by module, with autograd on as in training, on the same kind of batches.
        for (int s = 0; s < steps + 3; s++)
        {
            bool record = s >= 3;
            int[] indices = [.. order.Skip(s * batch % (Clips - batch)).Take(batch)];
            using var scope = NewDisposeScope();
            var b = reader.Read(indices);
            watch.Restart();
            var x = network.StandardizeFrames(b.Features);
            QuantumKanNetwork.BandStatistics(x, null);
            double standardize = Lap();
            var clip = network.Encoder!.Encode(x, null);
            double encoder = Lap();
            var normed = nn.functional.layer_norm(clip, [clip.shape[1]]);
            double layerNorm = Lap();
            var state = network.Embedding.Encode(normed);
            double embed = Lap();
            network.Represent(state);
            double represent = Lap();
            network.ForwardAll(b.Features);
            double all = Lap();
            if (record)
            {
                Add("f1 standardize + band statistics", standardize);
                Add("f2 encoder", encoder);
                Add("f3 layer norm", layerNorm);
                Add("f4 embedding encode", embed);
                Add("f5 represent (incl. reference fidelity)", represent);
                Add("f9 ForwardAll", all);
            }
        }

        // Forward + backward of the two halves in isolation: the encoder (sum of its output), and everything after it
        // from a detached clip vector (the embedding, representation, heads, decoder and the four losses).
        var contrastive = new QuantumKan.Nn.Losses.FidelityContrastiveLoss(network.Options.ContrastiveMargin, network.Options.ContrastiveTarget);
        var penalty = new QuantumKan.Nn.Losses.NormalizationPenalty(network.Embedding.Grid.Spacing);
        for (int s = 0; s < steps + 3; s++)
        {
            bool record = s >= 3;
            int[] indices = [.. order.Skip(s * batch % (Clips - batch)).Take(batch)];
            using var scope = NewDisposeScope();
            var b = reader.Read(indices);
            var x = network.StandardizeFrames(b.Features);
            watch.Restart();
            network.Encoder!.Encode(x, null).sum().backward();
            double encoder = watch.Elapsed.TotalMilliseconds;
            var clip = network.Encoder!.Encode(x, null).detach().requires_grad_(true);
            var target = QuantumKanNetwork.BandStatistics(x, null);
            watch.Restart();
            var state = network.Embedding.Encode(nn.functional.layer_norm(clip, [clip.shape[1]]));
            var representation = network.Represent(state);
            double embed = Lap();
            var logits = network.Options.ClassifierHead == ClassifierHead.QuantumKan ? HeadLogits(network, representation) : null!;
            double head = Lap();
            var decoded = ((nn.Module<Tensor, Tensor>)network.named_children().First(c => c.name == "decoder").module).call(representation);
            double decoder = Lap();
            var bce = nn.functional.binary_cross_entropy_with_logits(logits, b.Labels);
            var mse = nn.functional.mse_loss(decoded, target);
            double simple = Lap();
            var logF = network.Embedding.PairwiseLogFidelity(state).DividedBy(state.Modes).exp();
            var c = contrastive.call(logF, b.Labels);
            double contrast = Lap();
            var density = QuantumKan.Nn.Quantum.Wavefunction.Density(state.Alpha[..4], network.Embedding.Grid);
            var n = penalty.FromDensity(density);
            double norm = Lap();
            bce.Plus(mse.Times(0.3)).Plus(c.Times(0.3)).Plus(n.Times(0.1)).backward();
            double back = Lap();
            if (record)
            {
                Add("h0 encoder alone fwd+bwd", encoder);
                Add("h1 after encoder: embedding + represent fwd", embed);
                Add("h2 after encoder: semantic + head fwd", head);
                Add("h3 after encoder: decoder fwd", decoder);
                Add("h4 after encoder: BCE + MSE fwd", simple);
                Add("h5 after encoder: contrastive fwd", contrast);
                Add("h6 after encoder: normalization fwd", norm);
                Add("h7 after encoder: backward", back);
            }
        }

        foreach (var (name, list) in parts)
            Console.WriteLine($"  {name,-42} {Median(list),8:F2} ms");

        if (fitEpochs > 0)
        {
            var fitNetwork = TorchRuntime.Seeded(1, () => new QuantumKanNetwork(Bands, Classes, EncoderRun.Network));
            fitNetwork.SetInputStandardization(tensor(mean), tensor(std));
            var clock = new TrainingPhase.EpochClock();
            var options = new TrainerOptions { Epochs = fitEpochs, BatchSize = batch, EarlyStoppingPatience = 0, ValidateEveryEpochs = 0, Seed = 11 };
            var trainer = new Trainer(new QuantumKanModel(fitNetwork), ClassificationTask.MultiLabel, options);
            trainer.Fit(new FrameCropSource(clips, EncoderRun.Network.Encoder.CropFrames, seed: 5), null, clock);
            Console.WriteLine($"  {"Trainer.Fit median step",-42} {clock.MedianStepMilliseconds(),8:F2} ms ({fitEpochs} epochs)");
        }
        return 0;
    }

    private static Tensor HeadLogits(QuantumKanNetwork network, Tensor representation)
    {
        var modules = network.named_children().ToDictionary(c => c.name, c => c.module);
        var h = ((nn.Module<Tensor, Tensor>)modules["semantic"]).call(representation);
        h = ((nn.Module<Tensor, Tensor>)modules["head_norm"]).call(h);
        return ((nn.Module<Tensor, Tensor>)modules["head"]).call(h);
    }

    /// <summary>960 clips of 100–400 frames of 64 bands (log-mel-like values), 1–3 of 8 labels each.</summary>
    internal static FrameClips SyntheticClips(int seed)
    {
        var random = new Random(seed);
        var data = new List<float[]>(Clips);
        var labels = new float[Clips * Classes];
        for (int c = 0; c < Clips; c++)
        {
            int frames = random.Next(100, 401);
            var values = new float[frames * Bands];
            for (int i = 0; i < values.Length; i++)
                values[i] = (float)(random.NextDouble() * 6 - 8 + (i % Bands) * 0.05);
            data.Add(values);
            int count = random.Next(1, 4);
            for (int k = 0; k < count; k++)
                labels[c * Classes + random.Next(Classes)] = 1;
        }
        return new FrameClips(new InMemoryFrameStore(data, Bands), labels, Classes);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
