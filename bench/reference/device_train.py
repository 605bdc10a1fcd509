#!/usr/bin/env python3
"""PyTorch side of the GPU check (`QuantumKan.Bench device`): trains bench/reference/qkan_network.py, op for op the C#
default network, with the same loop as reference_bench.py's train_phase (AdamW, warmup + cosine, clipping at norm 1,
every loss component read back each step as the C# trainer reports it), on each device, on the features the C# run
wrote (--features/--labels .npy) and on a FSD50K-sized random set (9,696 features, 200 classes). Prints clips/s.

  python3 bench/reference/device_train.py --features F.npy --labels L.npy [--devices cuda cpu] [--epochs 20]
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qkan_network as qn  # noqa: E402


def train(features, labels, device, epochs, batch, seed=1):
    torch.manual_seed(seed)
    d, classes = features.shape[1], labels.shape[1]
    net = qn.QuantumKanNetwork(d, classes)
    assert qn.parameter_count(net) == qn.expected_parameter_count(d, classes)
    net.embedding.set_standardization(features.mean(0), features.std(0, unbiased=False))
    net.to(device)
    x, y = features.to(device), labels.to(device)
    optimizer = qn.adamw_for(net)
    steps_per_epoch = math.ceil(len(features) / batch)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, qn.warmup_cosine(steps_per_epoch * epochs))
    parameters = [p for p in net.parameters() if p.requires_grad]
    generator = torch.Generator().manual_seed(seed)
    net.train()
    epoch_seconds = []
    for _ in range(epochs):
        order = torch.randperm(len(features), generator=generator).to(device)
        t_epoch = time.perf_counter()
        for s in range(steps_per_epoch):
            idx = order[s * batch:(s + 1) * batch]
            optimizer.zero_grad()
            total, components = qn.multitask_loss(net, x[idx], y[idx])
            logged = {k: v.item() for k, v in components.items()}
            logged["total"] = total.item()
            total.backward()
            norm = float(torch.nn.utils.clip_grad_norm_(parameters, 1.0))
            if math.isfinite(norm):
                optimizer.step()
            scheduler.step()
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        epoch_seconds.append(time.perf_counter() - t_epoch)
    steady = epoch_seconds[1:] if len(epoch_seconds) > 1 else epoch_seconds
    return len(features) * len(steady) / sum(steady)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--features", required=True)
    parser.add_argument("--labels", required=True)
    parser.add_argument("--devices", nargs="+", default=["cuda", "cpu"])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batches", type=int, nargs="+", default=[32, 256])
    parser.add_argument("--out")
    args = parser.parse_args()
    print(f"torch {torch.__version__}, cuda {torch.version.cuda}, {torch.get_num_threads()} threads")
    features = torch.from_numpy(np.load(args.features)).float()
    labels = torch.from_numpy(np.load(args.labels)).float()
    rows = []
    for device in args.devices:
        for batch in args.batches:
            rate = train(features, labels, device, args.epochs, batch)
            rows.append({"what": "bench set", "device": device, "batch": batch, "clips_per_s": rate})
            print(f"bench set, D = {features.shape[1]}, {labels.shape[1]} classes: {device}, batch {batch}, {args.epochs} epochs: {rate:.0f} clips/s (epochs 2..)")
    rng = np.random.default_rng(1)
    n, wide, many = 4096, 9696, 200
    x = torch.from_numpy(rng.uniform(-1, 1, (n, wide)).astype(np.float32))
    y = torch.zeros(n, many)
    y[torch.arange(n), torch.from_numpy(rng.integers(0, many, n))] = 1
    for device in args.devices:
        rate = train(x, y, device, 3, 32)
        rows.append({"what": "FSD50K-sized", "device": device, "batch": 32, "clips_per_s": rate})
        print(f"FSD50K-sized, D = {wide}, {many} classes, random: {device}, batch 32, 3 epochs: {rate:.0f} clips/s (epochs 2..)")
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"torch": torch.__version__, "runs": rows}, f, indent=2)


if __name__ == "__main__":
    main()
