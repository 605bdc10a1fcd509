#!/usr/bin/python3
"""PyTorch 1.13 + torchaudio 0.13 side of bench/run.sh: the same featurization and the same network as QuantumKan
(`dotnet run -c Release --project bench/QuantumKan.Bench -- compare`), on the same generated data set, with the same
phases and the same JSON output, so bench/reference/ratios.py can divide one by the other.

  /usr/bin/python3 bench/reference/reference_bench.py --data DIR --out reference.json [--threads N] [--epochs E]

Phases: featurize (1 thread, then all cores), train (batch 32, precomputed features), quality (eval mAP after the
run), infer (WAV path -> scores, one clip at a time). Peak RSS is recorded per phase (VmHWM, reset between phases).
"""
import argparse
import csv
import json
import math
import multiprocessing
import os
import platform
import re
import sys
import time

import numpy as np
import torch
import torchaudio

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qkan_network as qn  # noqa: E402

# The featurization both sides run (LogMelOptions in bench/QuantumKan.Bench/Compare/BenchSettings.cs).
SAMPLE_RATE, N_FFT, HOP, MELS, SEGMENTS, LOG_OFFSET = 16000, 512, 160, 64, 4, 1e-6


# ------------------------------------------------------------------------------------------------ memory

def _status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        m = re.search(rf"{field}:\s+(\d+) kB", f.read())
    return int(m.group(1)) if m else 0


def peak_rss_mb(pid="self"):
    return _status_kb(pid, "VmHWM") / 1024.0


def reset_peak_rss():
    """Linux: writing 5 to clear_refs resets VmHWM to the current RSS, so each phase reports its own peak."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass

# ------------------------------------------------------------------------------------------------ data set


def read_listing(root):
    gt = os.path.join(root, "FSD50K.ground_truth")
    with open(os.path.join(gt, "vocabulary.csv")) as f:
        vocabulary = [row[1] for row in csv.reader(f)]
    index = {name: i for i, name in enumerate(vocabulary)}

    def clips(csv_name, audio_folder, split):
        out = []
        with open(os.path.join(gt, csv_name)) as f:
            for row in csv.DictReader(f):
                if split is not None and row["split"] != split:
                    continue
                y = np.zeros(len(vocabulary), dtype=np.float32)
                for label in row["labels"].split(","):
                    y[index[label]] = 1.0
                out.append((os.path.join(root, audio_folder, row["fname"] + ".wav"), y))
        return out
    return vocabulary, clips("dev.csv", "FSD50K.dev_audio", "train"), clips("eval.csv", "FSD50K.eval_audio", None)

# ------------------------------------------------------------------------------------------------ featurization


class Featurizer:
    """torchaudio.load -> mono -> Resample (kernel built once per rate) -> MelSpectrogram -> ln(x + 1e-6) -> segment pooling."""

    def __init__(self):
        self.mel = torchaudio.transforms.MelSpectrogram(sample_rate=SAMPLE_RATE, n_fft=N_FFT, hop_length=HOP, n_mels=MELS)
        self.resamplers = {}

    def log_mel(self, path):
        """The clip's log-mel spectrogram, (mels, frames)."""
        wav, rate = torchaudio.load(path)
        mono = wav.mean(0)
        if rate != SAMPLE_RATE:
            if rate not in self.resamplers:
                self.resamplers[rate] = torchaudio.transforms.Resample(rate, SAMPLE_RATE)
            mono = self.resamplers[rate](mono)
        return torch.log(self.mel(mono) + LOG_OFFSET)

    def __call__(self, path):
        logmel = self.log_mel(path)  # (mels, frames)
        frames = logmel.shape[1]
        parts = []
        for s in range(SEGMENTS):  # FeaturePooling.Pool: segment s covers [floor(s F/S), max(start + 1, floor((s+1) F/S)))
            start = s * frames // SEGMENTS
            end = max(start + 1, (s + 1) * frames // SEGMENTS)
            segment = logmel[:, start:end]
            parts += [segment.mean(1), segment.std(1, unbiased=False)]
        return torch.cat(parts)


_worker_featurizer = None


def _worker_init():
    global _worker_featurizer
    torch.set_num_threads(1)
    _worker_featurizer = Featurizer()


def _worker_featurize(path):
    return _worker_featurizer(path).numpy()


def _worker_peak(_):
    time.sleep(0.05)  # keeps each worker busy long enough that every worker answers once
    return os.getpid(), peak_rss_mb()


def featurize_phase(train, evaluation, result, cores):
    paths = [p for p, _ in train]
    torch.set_num_threads(1)
    featurizer = Featurizer()
    for p in paths[:8]:
        featurizer(p)  # warm: page cache, resampler kernel, allocator
    reset_peak_rss()
    t0 = time.perf_counter()
    features = [featurizer(p) for p in paths]
    single = time.perf_counter() - t0
    result["featurize_single"] = {"clips": len(paths), "seconds": single, "clips_per_s": len(paths) / single,
                                  "audio_seconds": audio_seconds(paths), "peak_rss_mb": peak_rss_mb()}
    eval_features = [featurizer(p) for p, _ in evaluation]

    reset_peak_rss()
    with multiprocessing.get_context("fork").Pool(cores, initializer=_worker_init) as pool:
        pool.map(_worker_featurize, paths[: 4 * cores], chunksize=1)  # start and warm every worker
        t0 = time.perf_counter()
        parallel = pool.map(_worker_featurize, paths, chunksize=8)
        elapsed = time.perf_counter() - t0
        workers = dict(pool.map(_worker_peak, range(4 * cores), chunksize=1))
    assert np.allclose(np.stack(parallel), torch.stack(features).numpy())
    result["featurize_parallel"] = {"clips": len(paths), "seconds": elapsed, "clips_per_s": len(paths) / elapsed,
                                    "workers": cores, "peak_rss_mb": peak_rss_mb() + sum(workers.values()),
                                    "peak_rss_note": "main process + sum of worker peaks (an upper bound: forked workers share pages with the parent)"}
    return torch.stack(features), torch.stack(eval_features), featurizer


def audio_seconds(paths):
    total = 0.0
    for p in paths:
        info = torchaudio.info(p)
        total += info.num_frames / info.sample_rate
    return total


def feature_parity(features, path, result):
    """Largest |C# − torchaudio| feature difference over the training clips, relative to the largest |feature|."""
    if not path or not os.path.exists(path):
        return
    theirs = np.load(path)
    ours = features.numpy()
    if theirs.shape != ours.shape:
        result["feature_parity"] = {"error": f"shapes differ: {theirs.shape} vs {ours.shape}"}
        return
    diff = np.abs(theirs - ours)
    result["feature_parity"] = {"max_abs_diff": float(diff.max()), "peak_abs": float(np.abs(ours).max()),
                                "relative": float(diff.max() / np.abs(ours).max()), "mean_abs_diff": float(diff.mean())}

# ------------------------------------------------------------------------------------------------ training


def train_phase(features, labels, eval_features, eval_labels, result, epochs, batch, threads, seed, optimized):
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    d, classes = features.shape[1], labels.shape[1]
    net = qn.QuantumKanNetwork(d, classes, fused=optimized)
    count = qn.parameter_count(net)
    expected = qn.expected_parameter_count(d, classes)
    assert count == expected, f"parameter count {count} != the C# network's {expected}"
    net.embedding.set_standardization(features.mean(0), features.std(0, unbiased=False))
    optimizer = qn.adamw_for(net)
    steps_per_epoch = math.ceil(len(features) / batch)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, qn.warmup_cosine(steps_per_epoch * epochs))
    parameters = [p for p in net.parameters() if p.requires_grad]
    generator = torch.Generator().manual_seed(seed)
    net.train()
    reset_peak_rss()
    epoch_seconds, step_seconds = [], []
    fit_start = time.perf_counter()
    for epoch in range(epochs):
        order = torch.randperm(len(features), generator=generator)
        t_epoch = time.perf_counter()
        for s in range(steps_per_epoch):
            t_step = time.perf_counter()
            idx = order[s * batch:(s + 1) * batch]
            optimizer.zero_grad()
            total, components = qn.multitask_loss(net, features[idx], labels[idx], density_penalty=optimized)
            logged = {k: v.item() for k, v in components.items()}  # per-step reporting, as the C# trainer does
            logged["total"] = total.item()
            total.backward()
            norm = float(torch.nn.utils.clip_grad_norm_(parameters, 1.0))
            if math.isfinite(norm):
                optimizer.step()
            scheduler.step()
            step_seconds.append(time.perf_counter() - t_step)
        epoch_seconds.append(time.perf_counter() - t_epoch)
    fit_seconds = time.perf_counter() - fit_start
    steady = epoch_seconds[1:] if len(epoch_seconds) > 1 else epoch_seconds
    clips_steady = len(features) * len(steady)
    result["train"] = {
        "parameters": count, "threads": threads, "batch": batch, "epochs": epochs, "clips": len(features),
        "same_optimizations": optimized,
        "clips_per_s": clips_steady / sum(steady),
        "median_step_ms": float(np.median(step_seconds[steps_per_epoch:] or step_seconds)) * 1e3,
        "fit_seconds": fit_seconds, "peak_rss_mb": peak_rss_mb(), "final_loss": logged,
    }
    net.eval()
    with torch.no_grad():
        scores = torch.sigmoid(net(eval_features)).numpy()
    result["quality"] = {"model": "QuantumKan (PyTorch reference)", "eval_map": mean_average_precision(scores, eval_labels.numpy()),
                         "epochs": epochs, "eval_clips": len(eval_features)}
    return net


def mean_average_precision(scores, targets):
    """scikit-learn average_precision_score per class (ties enter together), mean over classes with positives."""
    aps = []
    for c in range(scores.shape[1]):
        s, t = scores[:, c], targets[:, c] >= 0.5
        positives = t.sum()
        if positives == 0:
            continue
        order = np.argsort(-s, kind="stable")
        s, t = s[order], t[order]
        distinct = np.r_[np.nonzero(np.diff(s))[0], len(s) - 1]
        tp = np.cumsum(t)[distinct]
        fp = (distinct + 1) - tp
        recall = tp / positives
        precision = tp / (tp + fp)
        aps.append(float(np.sum(np.diff(np.r_[0.0, recall]) * precision)))
    return float(np.mean(aps))

# ------------------------------------------------------------------------------------------------ inference


def infer_phase(net, featurizer, evaluation, result, threads, repeats):
    torch.set_num_threads(threads)
    paths = [p for p, _ in evaluation]
    net.eval()

    def predict(path):
        with torch.inference_mode():
            return torch.sigmoid(net(featurizer(path).unsqueeze(0)))[0].numpy()
    for p in paths[:20]:
        predict(p)
    reset_peak_rss()
    latencies = []
    for r in range(repeats):
        for p in paths:
            t0 = time.perf_counter()
            predict(p)
            latencies.append(time.perf_counter() - t0)
    latencies = np.array(latencies) * 1e3
    result["infer"] = {"predictions": len(latencies), "threads": threads,
                       "p50_ms": float(np.percentile(latencies, 50)), "p90_ms": float(np.percentile(latencies, 90)),
                       "mean_ms": float(latencies.mean()), "peak_rss_mb": peak_rss_mb()}

# ------------------------------------------------------------------------------------------------ main


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="root of the generated FSD50K-layout data set")
    parser.add_argument("--out", required=True, help="JSON file to write")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="torch intra-op threads for train/infer")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--infer-repeats", type=int, default=1)
    parser.add_argument("--csharp-features", default=None, help=".npy of the C# training features, for the parity check")
    parser.add_argument("--same-optimizations", action="store_true",
                        help="apply QuantumKan's algorithmic changes here too: one basis expansion for the three extractors, "
                             "and the normalization penalty from |psi|^2 (default: the network as specified)")
    args = parser.parse_args()

    result = {"side": "pytorch", "versions": {"python": platform.python_version(), "torch": torch.__version__,
                                              "torchaudio": torchaudio.__version__, "numpy": np.__version__},
              "threads": args.threads, "cores": os.cpu_count()}
    start = time.perf_counter()
    vocabulary, train, evaluation = read_listing(args.data)
    features, eval_features, featurizer = featurize_phase(train, evaluation, result, os.cpu_count())
    feature_parity(features, args.csharp_features, result)
    labels = torch.from_numpy(np.stack([y for _, y in train]))
    eval_labels = torch.from_numpy(np.stack([y for _, y in evaluation]))
    net = train_phase(features, labels, eval_features, eval_labels, result, args.epochs, args.batch, args.threads,
                      args.seed, args.same_optimizations)
    infer_phase(net, featurizer, evaluation, result, args.threads, args.infer_repeats)
    result["total_seconds"] = time.perf_counter() - start
    result["process_peak_rss_mb"] = max(v["peak_rss_mb"] for v in result.values() if isinstance(v, dict) and "peak_rss_mb" in v)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
    print(f"reference: featurize {result['featurize_single']['clips_per_s']:.1f} / {result['featurize_parallel']['clips_per_s']:.1f} clips/s, "
          f"train {result['train']['clips_per_s']:.0f} clips/s, infer p50 {result['infer']['p50_ms']:.2f} ms, "
          f"eval mAP {result['quality']['eval_map']:.4f}")


if __name__ == "__main__":
    main()
