#!/usr/bin/python3
"""Prints the `bench/run.sh --encoder` table: QuantumKan / PyTorch reference for the frame-encoder network, per round
and as the median over rounds, against every reference variant present (as installed, OpenBLAS, GEMM convolutions).

  /usr/bin/python3 bench/reference/encoder_ratios.py --rounds DIR [--markdown FILE]

DIR holds round-N.quantumkan.json and round-N.<variant>.json (variant: pytorch, pytorch-openblas, pytorch-gemm).
Exits 1 when a sanity check fails (different parameter counts, frames that differ from the reference's).
"""
import argparse
import glob
import json
import os
import re
import statistics
import sys

VARIANTS = {"pytorch": "PyTorch 1.13 as installed (Debian: netlib BLAS, oneDNN convolutions)",
            "pytorch-openblas": "PyTorch 1.13 on pthread OpenBLAS",
            "pytorch-gemm": "PyTorch 1.13 as installed, unfold + GEMM convolutions (QuantumKan's algorithm before 2026-12-07)"}

# (label, path, ratio as QK/PT of the value (False) or PT/QK (True: a time, shown as a speed-up), target text, predicate)
METRICS = [
    ("training clips/s (batch 32, 100-frame crops, precomputed frames)", ("train", "clips_per_s"), "QK / PT", ">= 1.0", lambda r: r >= 1.0),
    ("end to end WAV folder -> trained model (clip-epochs/s)", ("end_to_end", "clips_per_s"), "QK / PT", ">= 1.5", lambda r: r >= 1.5),
    ("  of which featurization into frames (s)", ("end_to_end", "featurize_seconds"), "QK / PT", "", None),
    ("  of which training (s)", ("end_to_end", "fit_seconds"), "QK / PT", "", None),
    ("single-clip latency p50, WAV path -> scores, PredictionEngine (ms)", ("infer", "p50_ms"), "QK / PT", "<= 0.5", lambda r: r <= 0.5),
    ("single-clip latency p90, PredictionEngine (ms)", ("infer", "p90_ms"), "QK / PT", "", None),
    # Ours through AudioClassifier.Predict (qkan predict's streamed path) against the same reference latency.
    ("single-clip latency p50, WAV path -> scores, AudioClassifier.Predict (ms)", (("infer_stream", "p50_ms"), ("infer", "p50_ms")), "QK / PT", "<= 0.5", lambda r: r <= 0.5),
    ("single-clip latency p90, AudioClassifier.Predict (ms)", (("infer_stream", "p90_ms"), ("infer", "p90_ms")), "QK / PT", "", None),
    ("median training step (ms)", ("train", "median_step_ms"), "QK / PT", "", None),
    ("eval mAP (patch mean)", ("quality", "eval_map"), "QK / PT", "", None),
    ("peak RSS, end to end (MB)", ("end_to_end", "peak_rss_mb"), "QK / PT", "", None),
]


def get(d, path):
    for key in path:
        d = d[key]
    return float(d)


def fmt(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:.3g}" if v < 10 else f"{v:.1f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", required=True)
    parser.add_argument("--markdown")
    args = parser.parse_args()
    ours = {}
    for path in glob.glob(os.path.join(args.rounds, "round-*.quantumkan.json")):
        with open(path) as f:
            ours[int(re.findall(r"round-(\d+)", path)[0])] = json.load(f)
    if not ours:
        sys.exit(f"no round-N.quantumkan.json in {args.rounds}")
    out, unmet, problems = [], [], []
    first = ours[min(ours)]
    out.append(f"Encoder network, {first['train']['parameters']:,} parameters on both sides (asserted); "
               f"{first['threads']} threads; {first['train']['epochs']} epochs of {first['train']['clips']} clips; "
               f"rounds: {len(ours)} (ratios per round; median and range shown)")
    for suffix, what in VARIANTS.items():
        pairs = []
        for r, c in sorted(ours.items()):
            path = os.path.join(args.rounds, f"round-{r}.{suffix}.json")
            if os.path.exists(path):
                with open(path) as f:
                    pairs.append((c, json.load(f)))
        if not pairs:
            continue
        out += ["", f"Against {what}:", "", "| metric | QuantumKan | PyTorch | ratio (QK / PT) | target | met |", "|---|---:|---:|---:|---|---|"]
        for label, path, _, target, ok in METRICS:
            ours_path, ref_path = path if isinstance(path[0], tuple) else (path, path)
            if not all(ours_path[0] in c and ref_path[0] in p for c, p in pairs):
                continue
            a = [get(c, ours_path) for c, _ in pairs]
            b = [get(p, ref_path) for _, p in pairs]
            ratios = [x / y for x, y in zip(a, b)]
            r = statistics.median(ratios)
            spread = f" ({min(ratios):.2f}–{max(ratios):.2f})" if len(ratios) > 1 else ""
            met = "" if ok is None else ("yes" if ok(r) else "**no**")
            if ok is not None and not ok(r):
                unmet.append(f"{label} vs {suffix}: {r:.2f}× (target {target})")
            out.append(f"| {label} | {fmt(statistics.median(a))} | {fmt(statistics.median(b))} | {r:.2f}×{spread} | {target} | {met} |")
        for i, (c, p) in enumerate(pairs, 1):
            if c["train"]["parameters"] != p["train"]["parameters"]:
                problems.append(f"{suffix} round {i}: parameter counts differ ({c['train']['parameters']} vs {p['train']['parameters']})")
            parity = p.get("frame_parity")
            if parity and parity["band_stats_max_abs_diff"] > 1e-3 * parity["peak_abs"]:
                problems.append(f"{suffix} round {i}: training frames differ from the reference's: {parity}")
        parity = pairs[0][1].get("frame_parity")
        if parity:
            out.append(f"\nFrame parity: per-band mean/std of all training frames, max |QK − torchaudio| = "
                       f"{parity['band_stats_max_abs_diff']:.1e} (values up to {parity['peak_abs']:.2f}).")
    crash_file = os.path.join(args.rounds, "quantumkan-crashes.txt")
    if os.path.exists(crash_file):
        with open(crash_file) as f:
            out.append(f"\nQuantumKan runs that crashed and were retried: {int(f.read().strip() or 0)}")
    text = "\n".join(out)
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text + "\n")
    if unmet:
        print("\nTargets not met:\n  " + "\n  ".join(unmet))
    if problems:
        print("\nSANITY CHECK FAILED:\n  " + "\n  ".join(problems))
        sys.exit(1)


if __name__ == "__main__":
    main()
