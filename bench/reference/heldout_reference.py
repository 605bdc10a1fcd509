#!/usr/bin/python3
"""PyTorch quality reference on a held-out set in FSD50K layout (bench/datasets/spoken-words.sh,
bench/datasets/recorded-sounds.sh): what ordinary models reach on the project's front end, as the bar a new
frame-level encoder has to clear.

  /usr/bin/python3 bench/reference/heldout_reference.py --data ROOT [--threads 2] [--epochs 25] [--seed 1]
      [--models linear,mlp,cnn] [--crop-frames 101] [--whole-clip]

Front end (as the project's, see featurize.py / reference_bench.py): torchaudio.load -> mono -> Resample to 16 kHz ->
MelSpectrogram(n_fft 512, hop 160, 64 mels, htk, power 2) -> ln(x + 1e-6); each mel band standardized with the train
frames' mean and std.

Models, trained on the train split, selected on val (best epoch), reported on the test split (eval.csv):
  cnn     ~300k-parameter 2-D CNN over (mels x frames): BatchNorm conv blocks, global mean+max pooling over time, linear
          head; random 1 s crops in training (short clips tiled), light SpecAugment; inference on 1 s patches with 50 %
          overlap, mean of the patch probabilities; AdamW + cosine schedule.
  linear  linear classifier on pooled features (mean and std of each band over 4 equal time segments, 512 values)
  mlp     2 hidden layers of 256 on the same pooled features
Multiclass sets (every clip one label) report accuracy; multi-label sets macro mAP (sklearn's average precision per
class, mean over classes). The last line is a one-line JSON summary.
"""
import argparse
import csv
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchaudio

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_bench import mean_average_precision  # noqa: E402

SAMPLE_RATE, N_FFT, HOP, MELS, SEGMENTS, LOG_OFFSET = 16000, 512, 160, 64, 4, 1e-6
PATCH = 1 + SAMPLE_RATE // HOP  # frames of 1 s (101, as torchaudio's centered STFT gives for 16000 samples)


def read_set(root):
    gt = os.path.join(root, "FSD50K.ground_truth")
    with open(os.path.join(gt, "vocabulary.csv")) as f:
        vocabulary = [row[1] for row in csv.reader(f)]
    index = {name: i for i, name in enumerate(vocabulary)}
    splits = {"train": [], "val": [], "test": []}
    for name, folder in [("dev.csv", "FSD50K.dev_audio"), ("eval.csv", "FSD50K.eval_audio")]:
        with open(os.path.join(gt, name)) as f:
            for row in csv.DictReader(f):
                y = np.zeros(len(vocabulary), dtype=np.float32)
                for label in row["labels"].split(","):
                    y[index[label]] = 1.0
                splits[row.get("split", "test")].append((os.path.join(root, folder, row["fname"] + ".wav"), y))
    return vocabulary, splits


class Featurizer:
    def __init__(self):
        self.mel = torchaudio.transforms.MelSpectrogram(sample_rate=SAMPLE_RATE, n_fft=N_FFT, hop_length=HOP,
                                                        n_mels=MELS, mel_scale="htk", power=2.0)
        self.resamplers = {}

    def __call__(self, path):
        wav, rate = torchaudio.load(path)
        mono = wav.mean(0)
        if rate != SAMPLE_RATE:
            if rate not in self.resamplers:
                self.resamplers[rate] = torchaudio.transforms.Resample(rate, SAMPLE_RATE)
            mono = self.resamplers[rate](mono)
        return torch.log(self.mel(mono) + LOG_OFFSET)  # (mels, frames)


def pooled(logmel):
    """Mean and std of each band over 4 equal segments (FeaturePooling.Pool's segmentation)."""
    frames, parts = logmel.shape[1], []
    for s in range(SEGMENTS):
        start = s * frames // SEGMENTS
        end = max(start + 1, (s + 1) * frames // SEGMENTS)
        seg = logmel[:, start:end]
        parts += [seg.mean(1), seg.std(1, unbiased=False)]
    return torch.cat(parts)


# ------------------------------------------------------------------------------------------------ models

def conv_bn(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class Cnn(nn.Module):
    """(batch, 1, 64 mels, T) -> logits. Cheap at full resolution, the parameters sit in the low-resolution blocks."""

    def __init__(self, classes, dropout=0.3):
        super().__init__()
        self.features = nn.Sequential(
            nn.BatchNorm2d(1),
            *conv_bn(1, 16), nn.MaxPool2d(2),
            *conv_bn(16, 32), *conv_bn(32, 32), nn.MaxPool2d(2),
            *conv_bn(32, 64), *conv_bn(64, 64), nn.MaxPool2d(2),
            *conv_bn(64, 128), *conv_bn(128, 128), nn.MaxPool2d((2, 1)))
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(256, classes)

    def forward(self, x):
        h = self.features(x).mean(2)  # (batch, 128, T')
        h = torch.cat([h.mean(2), h.amax(2)], 1)
        return self.head(self.dropout(h))


def mlp(d, classes, hidden=256, dropout=0.3):
    return nn.Sequential(nn.Linear(d, hidden), nn.BatchNorm1d(hidden), nn.ReLU(), nn.Dropout(dropout),
                         nn.Linear(hidden, hidden), nn.BatchNorm1d(hidden), nn.ReLU(), nn.Dropout(dropout),
                         nn.Linear(hidden, classes))


def parameter_count(m):
    return sum(p.numel() for p in m.parameters() if p.requires_grad)


# ------------------------------------------------------------------------------------------------ training helpers

def loss_fn(multilabel):
    if multilabel:
        return lambda logits, y: F.binary_cross_entropy_with_logits(logits, y)
    return lambda logits, y: F.cross_entropy(logits, y.argmax(1))


def probabilities(logits, multilabel):
    return torch.sigmoid(logits) if multilabel else torch.softmax(logits, 1)


def metric(scores, targets, multilabel):
    if multilabel:
        return mean_average_precision(scores, targets)
    return float(np.mean(scores.argmax(1) == targets.argmax(1)))


def cosine(optimizer, total, warmup_fraction=0.05):
    warmup = max(1, int(warmup_fraction * total))
    return torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: (s + 1) / warmup if s < warmup else 0.5 * (1 + math.cos(math.pi * (s - warmup) / max(1, total - warmup))))


def crop(logmel, generator):
    """A random PATCH-frame crop; shorter clips are tiled first."""
    frames = logmel.shape[1]
    if frames < PATCH:
        logmel = logmel.repeat(1, math.ceil(PATCH / frames))
        frames = logmel.shape[1]
    start = int(torch.randint(0, frames - PATCH + 1, (1,), generator=generator))
    return logmel[:, start:start + PATCH]


def spec_augment(x, generator, max_f=8, max_t=20):
    x = x.clone()
    for i in range(x.shape[0]):
        f = int(torch.randint(0, max_f + 1, (1,), generator=generator))
        f0 = int(torch.randint(0, MELS - f + 1, (1,), generator=generator))
        t = int(torch.randint(0, max_t + 1, (1,), generator=generator))
        t0 = int(torch.randint(0, PATCH - t + 1, (1,), generator=generator))
        x[i, :, f0:f0 + f, :] = 0.0
        x[i, :, :, t0:t0 + t] = 0.0
    return x


def patches(logmel):
    """1 s patches with 50 % overlap covering the clip (the last one aligned to the end); short clips tiled."""
    frames = logmel.shape[1]
    if frames <= PATCH:
        return logmel.repeat(1, math.ceil(PATCH / frames))[None, :, :PATCH]
    hop = PATCH // 2
    starts = list(range(0, frames - PATCH + 1, hop))
    if starts[-1] != frames - PATCH:
        starts.append(frames - PATCH)
    return torch.stack([logmel[:, s:s + PATCH] for s in starts])


@torch.no_grad()
def cnn_scores(net, clips, multilabel, batch=256, whole_clip=False):
    net.eval()
    if whole_clip:  # each clip at once (global pooling), clips shorter than a crop tiled to one
        return torch.cat([probabilities(net(patches(m)[:, None] if m.shape[1] <= PATCH else m[None, None]), multilabel)
                          for m in clips]).numpy()
    all_patches, owner = [], []
    for i, m in enumerate(clips):
        p = patches(m)
        all_patches.append(p)
        owner += [i] * len(p)
    x = torch.cat(all_patches)[:, None]
    probs = torch.cat([probabilities(net(x[s:s + batch]), multilabel) for s in range(0, len(x), batch)])
    owner = torch.tensor(owner)
    sums = torch.zeros(len(clips), probs.shape[1]).index_add_(0, owner, probs)
    return (sums / torch.bincount(owner, minlength=len(clips))[:, None]).numpy()


def train_cnn(data, multilabel, classes, args):
    torch.manual_seed(args.seed)
    net = Cnn(classes)
    print(f"cnn: {parameter_count(net)} parameters")
    (train_x, train_y), (val_x, val_y), (test_x, test_y) = data
    optimizer = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-2)
    steps = math.ceil(len(train_x) / args.batch)
    scheduler = cosine(optimizer, steps * args.epochs)
    lossf = loss_fn(multilabel)
    generator = torch.Generator().manual_seed(args.seed)
    best = (-1.0, None, -1)
    start = time.time()
    for epoch in range(args.epochs):
        net.train()
        order = torch.randperm(len(train_x), generator=generator)
        total = 0.0
        for s in range(steps):
            idx = order[s * args.batch:(s + 1) * args.batch]
            x = torch.stack([crop(train_x[i], generator) for i in idx])[:, None]
            x = spec_augment(x, generator)
            loss = lossf(net(x), train_y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
            total += loss.item() * len(idx)
        val = metric(cnn_scores(net, val_x, multilabel, whole_clip=args.whole_clip), val_y.numpy(), multilabel)
        if val > best[0]:
            best = (val, {k: v.clone() for k, v in net.state_dict().items()}, epoch + 1)
        print(f"  cnn epoch {epoch + 1:2d}  loss {total / len(train_x):.4f}  val {val:.4f}  ({time.time() - start:.0f} s)", flush=True)
    last_test = metric(cnn_scores(net, test_x, multilabel, whole_clip=args.whole_clip), test_y.numpy(), multilabel)
    net.load_state_dict(best[1])
    test = metric(cnn_scores(net, test_x, multilabel, whole_clip=args.whole_clip), test_y.numpy(), multilabel)
    return {"parameters": parameter_count(net), "test": test, "test_last_epoch": last_test, "val_best": best[0],
            "best_epoch": best[2], "epochs": args.epochs, "crop_frames": PATCH, "whole_clip": args.whole_clip,
            "train_seconds": time.time() - start}


def train_pooled(kind, data, multilabel, classes, args, epochs=100, batch=128):
    torch.manual_seed(args.seed)
    (train_x, train_y), (val_x, val_y), (test_x, test_y) = data
    d = train_x.shape[1]
    net = nn.Linear(d, classes) if kind == "linear" else mlp(d, classes)
    print(f"{kind}: {parameter_count(net)} parameters")
    lr, wd = (1e-2, 1e-2) if kind == "linear" else (3e-3, 1e-2)
    optimizer = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=wd)
    steps = math.ceil(len(train_x) / batch)
    scheduler = cosine(optimizer, steps * epochs)
    lossf = loss_fn(multilabel)
    generator = torch.Generator().manual_seed(args.seed)
    best = (-1.0, None, -1)
    start = time.time()

    def score(x):
        net.eval()
        with torch.no_grad():
            return probabilities(net(x), multilabel).numpy()
    for epoch in range(epochs):
        net.train()
        order = torch.randperm(len(train_x), generator=generator)
        for s in range(steps):
            idx = order[s * batch:(s + 1) * batch]
            if len(idx) < 2:
                continue
            loss = lossf(net(train_x[idx]), train_y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
        if (epoch + 1) % 5 == 0:
            val = metric(score(val_x), val_y.numpy(), multilabel)
            if val > best[0]:
                best = (val, {k: v.clone() for k, v in net.state_dict().items()}, epoch + 1)
    last_test = metric(score(test_x), test_y.numpy(), multilabel)
    net.load_state_dict(best[1])
    test = metric(score(test_x), test_y.numpy(), multilabel)
    print(f"  {kind}: val {best[0]:.4f} (epoch {best[2]}), test {test:.4f} (last epoch {last_test:.4f}), {time.time() - start:.0f} s")
    return {"parameters": parameter_count(net), "test": test, "test_last_epoch": last_test, "val_best": best[0],
            "best_epoch": best[2], "epochs": epochs, "train_seconds": time.time() - start}


def main():
    global PATCH
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--threads", type=int, default=2, help="torch threads; on a loaded 2-core machine 1 is faster")
    p.add_argument("--epochs", type=int, default=10, help="CNN epochs")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--models", default="linear,mlp,cnn")
    p.add_argument("--crop-frames", type=int, default=PATCH,
                   help="CNN training crop (and inference patch) in frames; default 1 s (qkan train --crop-frames)")
    p.add_argument("--whole-clip", action="store_true",
                   help="CNN inference on each whole clip instead of patch means (qkan train --inference WholeClip)")
    args = p.parse_args()
    PATCH = args.crop_frames
    torch.set_num_threads(args.threads)
    np.random.seed(args.seed)
    start = time.time()

    vocabulary, splits = read_set(args.data)
    multilabel = any(y.sum() > 1 for part in splits.values() for _, y in part)
    print(f"torch {torch.__version__}, torchaudio {torchaudio.__version__}, threads {torch.get_num_threads()}; "
          f"{args.data}: {len(vocabulary)} classes, {'multi-label' if multilabel else 'multiclass'}, "
          + ", ".join(f"{k} {len(v)}" for k, v in splits.items()))

    featurizer = Featurizer()
    logmels = {k: [featurizer(path) for path, _ in v] for k, v in splits.items()}
    labels = {k: torch.tensor(np.stack([y for _, y in v])) for k, v in splits.items()}
    featurize_seconds = time.time() - start
    frames = torch.cat(logmels["train"], 1)
    band_mean, band_std = frames.mean(1, keepdim=True), frames.std(1, unbiased=False, keepdim=True) + 1e-5
    standardized = {k: [(m - band_mean) / band_std for m in v] for k, v in logmels.items()}
    pooled_x = {k: torch.stack([pooled(m) for m in v]) for k, v in logmels.items()}
    mu, sd = pooled_x["train"].mean(0), pooled_x["train"].std(0, unbiased=False) + 1e-5
    pooled_x = {k: (v - mu) / sd for k, v in pooled_x.items()}
    print(f"featurized in {featurize_seconds:.0f} s; train frames {frames.shape[1]}")

    results = {}
    order = ["train", "val", "test"]
    for model in args.models.split(","):
        if model == "cnn":
            results["cnn"] = train_cnn([(standardized[k], labels[k]) for k in order], multilabel, len(vocabulary), args)
        else:
            results[model] = train_pooled(model, [(pooled_x[k], labels[k]) for k in order], multilabel, len(vocabulary), args)
    name = "macro_mAP" if multilabel else "accuracy"
    for model, r in results.items():
        print(f"{model:6s} {r['parameters']:7d} params  test {name} {r['test']:.4f} (best val epoch {r['best_epoch']}; "
              f"last epoch {r['test_last_epoch']:.4f})  val {r['val_best']:.4f}  {r['train_seconds']:.0f} s")
    summary = {"data": os.path.abspath(args.data), "task": "multilabel" if multilabel else "multiclass", "metric": name,
               "classes": len(vocabulary), "sizes": {k: len(v) for k, v in splits.items()}, "threads": args.threads,
               "seed": args.seed, "featurize_seconds": round(featurize_seconds, 1),
               "total_seconds": round(time.time() - start, 1),
               "models": {m: {k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()} for m, r in results.items()}}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
