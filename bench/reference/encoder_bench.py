#!/usr/bin/python3
"""PyTorch 1.13 + torchaudio 0.13 side of `bench/run.sh --encoder`: the frame-encoder network (qkan_encoder.py) on the
same generated data set, phase for phase as `QuantumKan.Bench compare-encoder` (bench/QuantumKan.Bench/Compare/EncoderRun.cs):

  /usr/bin/python3 bench/reference/encoder_bench.py --data DIR --out reference.json [--threads N] [--epochs E]
        [--csharp-json quantumkan.json] [--csharp-band-stats bandstats.npy] [--gemm-conv]

1. end to end, WAV folder -> trained model: every train clip featurized as log-mel frames (torchaudio.load -> Resample
   -> MelSpectrogram(16 kHz, 512, hop 160, 64 mels) -> ln(x + 1e-6)) by a multiprocessing.Pool of all cores (created
   inside the timing), then training on random 100-frame crops (tiled when a clip is shorter), batch 32. Training
   clips/s is the same run's epochs 2 on;
2. eval mAP: every eval clip's overlapping 100-frame patches (hop 50), clip scores = mean of patch probabilities;
3. single-clip latency p50/p90, WAV path -> scores (torchaudio featurization + patches + network, inference_mode).
The parameter count is asserted against the C# formula and, with --csharp-json, against the C# side's own count.
"""
import argparse
import json
import math
import multiprocessing
import os
import platform
import sys
import time

import numpy as np
import torch
import torchaudio

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qkan_encoder as qe  # noqa: E402
import qkan_network as qn  # noqa: E402
from reference_bench import (MELS, Featurizer, read_listing, mean_average_precision,  # noqa: E402
                             peak_rss_mb, reset_peak_rss)


class FrameFeaturizer(Featurizer):
    """The pooled bench's front end (torchaudio load -> mono -> Resample -> MelSpectrogram -> ln(x + 1e-6)), every frame: (frames, mels)."""

    def __call__(self, path):
        return self.log_mel(path).t().contiguous()


_worker = None


def _worker_init():
    global _worker
    torch.set_num_threads(1)
    _worker = FrameFeaturizer()


def _worker_featurize(path):
    return _worker(path).numpy()


def featurize_all(paths, cores):
    with multiprocessing.get_context("fork").Pool(cores, initializer=_worker_init) as pool:
        return [torch.from_numpy(a) for a in pool.map(_worker_featurize, paths, chunksize=8)]


def band_statistics(clips):
    """FrameClips.BandStatistics: mean and population std per band over every training frame (float64 sums)."""
    total = torch.zeros(MELS, dtype=torch.float64)
    squares = torch.zeros(MELS, dtype=torch.float64)
    frames = 0
    for c in clips:
        d = c.double()
        total += d.sum(0)
        squares += d.square().sum(0)
        frames += c.shape[0]
    mean = total / frames
    return mean.float(), (squares / frames - mean.square()).clamp_min(0).sqrt().float()


def train(clips, labels, result, epochs, batch, threads, seed, gemm):
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    classes = labels.shape[1]
    net = qe.EncoderQuantumKanNetwork(MELS, classes, gemm=gemm)
    count = qn.parameter_count(net)
    expected = qe.expected_parameter_count(MELS, classes)
    assert count == expected, f"parameter count {count} != the C# network's formula {expected}"
    net.set_standardization(*band_statistics(clips))
    optimizer = qn.adamw_for(net)
    steps_per_epoch = math.ceil(len(clips) / batch)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, qn.warmup_cosine(steps_per_epoch * epochs))
    parameters = [p for p in net.parameters() if p.requires_grad]
    generator = torch.Generator().manual_seed(seed)
    net.train()
    epoch_seconds, step_seconds = [], []
    for epoch in range(epochs):
        t_epoch = time.perf_counter()
        order = torch.randperm(len(clips), generator=generator)
        starts = [int(torch.randint(max(1, c.shape[0] - qe.CROP_FRAMES + 1), (1,), generator=generator)) for c in clips]
        for s in range(steps_per_epoch):
            t_step = time.perf_counter()
            idx = order[s * batch:(s + 1) * batch]
            frames = torch.stack([qe.tiled(clips[i], starts[i], qe.CROP_FRAMES) for i in idx.tolist()])
            optimizer.zero_grad()
            total, components = qe.multitask_loss(net, frames, labels[idx])
            logged = {k: v.item() for k, v in components.items()}  # per-step reporting, as the C# trainer does
            logged["total"] = total.item()
            total.backward()
            norm = float(torch.nn.utils.clip_grad_norm_(parameters, 1.0))
            if math.isfinite(norm):
                optimizer.step()
            scheduler.step()
            step_seconds.append(time.perf_counter() - t_step)
        epoch_seconds.append(time.perf_counter() - t_epoch)
    steady = epoch_seconds[1:] if len(epoch_seconds) > 1 else epoch_seconds
    result["train"] = {
        "parameters": count, "threads": threads, "batch": batch, "epochs": epochs, "clips": len(clips),
        "crop_frames": qe.CROP_FRAMES, "gemm_conv": gemm,
        "clips_per_s": len(clips) * len(steady) / sum(steady),
        "median_step_ms": float(np.median(step_seconds[steps_per_epoch:] or step_seconds)) * 1e3, "final_loss": logged,
    }
    net.eval()
    return net


def predict(net, featurizer, path):
    with torch.inference_mode():
        return torch.sigmoid(net(qe.patches(featurizer(path)))).mean(0).numpy()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--infer-repeats", type=int, default=1)
    parser.add_argument("--csharp-json", help="the C# side's JSON of the same round: its parameter count is asserted equal")
    parser.add_argument("--csharp-band-stats", help=".npy (2, mels) of the C# training frames' band mean and std (parity check)")
    parser.add_argument("--gemm-conv", action="store_true", help="unfold + GEMM convolutions as QuantumKan computes them, instead of nn.Conv1d")
    args = parser.parse_args()

    result = {"side": "pytorch", "network": "encoder", "threads": args.threads, "cores": os.cpu_count(),
              "versions": {"python": platform.python_version(), "torch": torch.__version__, "torchaudio": torchaudio.__version__}}
    _, train_set, eval_set = read_listing(args.data)
    paths = [p for p, _ in train_set]
    labels = torch.from_numpy(np.stack([y for _, y in train_set]))

    # 1. End to end: WAV folder -> frames (process pool, all cores) -> trained model.
    reset_peak_rss()
    t0 = time.perf_counter()
    clips = featurize_all(paths, os.cpu_count())
    featurize_seconds = time.perf_counter() - t0
    net = train(clips, labels, result, args.epochs, args.batch, args.threads, args.seed, args.gemm_conv)
    seconds = time.perf_counter() - t0
    result["end_to_end"] = {"clips": len(paths), "frames": sum(c.shape[0] for c in clips), "epochs": args.epochs,
                            "featurize_seconds": featurize_seconds, "fit_seconds": seconds - featurize_seconds, "seconds": seconds,
                            "clips_per_s": len(paths) * args.epochs / seconds, "peak_rss_mb": peak_rss_mb(),
                            "featurize_workers": os.cpu_count()}

    if args.csharp_band_stats and os.path.exists(args.csharp_band_stats):
        theirs = np.load(args.csharp_band_stats)
        ours = torch.stack(band_statistics(clips)).numpy()
        result["frame_parity"] = {"band_stats_max_abs_diff": float(np.abs(theirs - ours).max()),
                                  "peak_abs": float(np.abs(ours).max())}

    # 2. Quality.
    torch.set_num_threads(args.threads)
    featurizer = FrameFeaturizer()
    eval_paths = [p for p, _ in eval_set]
    scores = np.stack([predict(net, featurizer, p) for p in eval_paths])
    result["quality"] = {"model": "QuantumKan Temporal encoder (PyTorch reference)", "epochs": args.epochs, "eval_clips": len(eval_paths),
                         "eval_map": mean_average_precision(scores, np.stack([y for _, y in eval_set]))}

    # 3. Single-clip latency, WAV path -> scores.
    for p in eval_paths[:20]:
        predict(net, featurizer, p)
    reset_peak_rss()
    latencies = []
    for _ in range(args.infer_repeats):
        for p in eval_paths:
            t = time.perf_counter()
            predict(net, featurizer, p)
            latencies.append(time.perf_counter() - t)
    latencies = np.array(latencies) * 1e3
    result["infer"] = {"predictions": len(latencies), "threads": args.threads, "p50_ms": float(np.percentile(latencies, 50)),
                       "p90_ms": float(np.percentile(latencies, 90)), "mean_ms": float(latencies.mean()), "peak_rss_mb": peak_rss_mb()}

    count = result["train"]["parameters"]
    if args.csharp_json and os.path.exists(args.csharp_json):
        with open(args.csharp_json) as f:
            theirs = json.load(f)["train"]["parameters"]
        print(f"parameters: QuantumKan {theirs:,}, PyTorch reference {count:,}")
        assert theirs == count, f"parameter counts differ: QuantumKan {theirs} vs PyTorch {count}"
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
    e2e = result["end_to_end"]
    print(f"reference encoder ({count:,} parameters, {args.threads} threads{', GEMM conv' if args.gemm_conv else ''}): "
          f"train {result['train']['clips_per_s']:.0f} clips/s, end to end {e2e['seconds']:.1f} s (featurize {featurize_seconds:.1f} s), "
          f"infer p50 {result['infer']['p50_ms']:.2f} ms, eval mAP {result['quality']['eval_map']:.4f}")


if __name__ == "__main__":
    main()
