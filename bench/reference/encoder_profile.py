#!/usr/bin/python3
"""PyTorch side of `QuantumKan.Bench encoder-profile` (bench/QuantumKan.Bench/Compare/EncoderProfile.cs): forward +
backward time of each part of the encoder network's training step on random data, median ms.

  /usr/bin/python3 bench/reference/encoder_profile.py [--threads N] [--iterations K] [--batch B]
"""
import argparse
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qkan_encoder as qe  # noqa: E402

CONVS = [(64, 64, 3, 1, 1, 100),
         (64, 64, 9, 2, 4, 100), (64, 64, 9, 1, 4, 50), (64, 64, 1, 2, 0, 100),
         (64, 96, 9, 2, 4, 50), (96, 96, 9, 1, 4, 25), (64, 96, 1, 2, 0, 50),
         (96, 128, 9, 2, 4, 25), (128, 128, 9, 1, 4, 13), (96, 128, 1, 2, 0, 25)]


def timed(iterations, step):
    for _ in range(3):
        step()
    times = []
    for _ in range(iterations):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    return sorted(times)[iterations // 2] * 1e3


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    b, n = args.batch, args.iterations
    results = []
    inputs = [torch.randn(b, cin, t, requires_grad=True) for cin, _, _, _, _, t in CONVS]
    gemm = [qe.GemmConv1d(cin, cout, k, s, p) for cin, cout, k, s, p, _ in CONVS]
    results.append(("convolutions, unfold + GEMM (QuantumKan's before 2026-12-07)", timed(n, lambda: [g(x).sum().backward() for g, x in zip(gemm, inputs)])))
    weights = [torch.randn(cout, cin, k, requires_grad=True) for cin, cout, k, _, _, _ in CONVS]
    results.append(("convolutions, conv1d", timed(n, lambda: [F.conv1d(x, w, stride=c[3], padding=c[4]).sum().backward()
                                                             for x, w, c in zip(inputs, weights, CONVS)])))
    norms = [torch.nn.BatchNorm1d(cout) for _, cout, _, _, _, _ in CONVS]
    norm_inputs = [torch.randn(b, cout, (t + 2 * p - k) // s + 1, requires_grad=True) for _, cout, k, s, p, t in CONVS]
    results.append(("BatchNorm1d x10 (train mode)", timed(n, lambda: [m(x).sum().backward() for m, x in zip(norms, norm_inputs)])))
    net = qe.EncoderQuantumKanNetwork(64, 8)
    net.train()
    frames = torch.randn(b, 100, 64)
    results.append(("encoder (stem + 3 blocks + pooling)", timed(n, lambda: net.encoder(frames).sum().backward())))

    def whole():
        logits, (alpha, beta, _), reconstruction, _ = net.forward_all(frames)
        (logits.sum() + reconstruction.sum() + alpha.sum() + beta.sum()).backward()
    results.append(("whole network, forward_all", timed(n, whole)))
    parameters = [p for p in net.parameters() if p.requires_grad]
    adamw = torch.optim.AdamW(parameters, 1e-3, weight_decay=1e-2)
    for p in parameters:
        p.grad = torch.randn_like(p) * 1e-3
    results.append(("AdamW step, all parameters", timed(n, adamw.step)))
    results.append(("clip_grad_norm_, all parameters", timed(n, lambda: torch.nn.utils.clip_grad_norm_(parameters, 1.0))))
    print(f"PyTorch {torch.__version__}, {args.threads} threads, batch {b}, median of {n}:")
    for name, ms in results:
        print(f"  {name:42s} {ms:8.2f} ms")


if __name__ == "__main__":
    main()
