#!/usr/bin/python3
"""Prints the bench/run.sh table: this project / the PyTorch reference, per round and as the median over rounds.

  /usr/bin/python3 bench/reference/ratios.py --rounds DIR [--scaling DIR] [--markdown FILE] [--command "..."]

DIR holds round-N.quantumkan.json and round-N.pytorch.json pairs (written by the two drivers); --scaling a set of
scale-K.json files from `QuantumKan.Bench scale`. Exits 1 when a sanity check fails (different parameter counts, or
features that do not match the reference's).
"""
import argparse
import glob
import json
import os
import re
import statistics
import sys

# (label, path in the JSON, higher is better, target as text, predicate on the ratio)
METRICS = [
    ("featurization, 1 thread (clips/s)", ("featurize_single", "clips_per_s"), True, ">= 1.0", lambda r: r >= 1.0),
    ("featurization, all cores (clips/s)", ("featurize_parallel", "clips_per_s"), True, ">= 1.0", lambda r: r >= 1.0),
    ("training, batch 32, features precomputed (clips/s)", ("train", "clips_per_s"), True, ">= 1.0", lambda r: r >= 1.0),
    ("single-clip latency WAV path -> scores, p50 (ms)", ("infer", "p50_ms"), False, "<= 1.0", lambda r: r <= 1.0),
    ("single-clip latency WAV path -> scores, p90 (ms)", ("infer", "p90_ms"), False, "<= 1.0", lambda r: r <= 1.0),
    ("peak RSS, featurization 1 thread (MB)", ("featurize_single", "peak_rss_mb"), False, "", None),
    ("peak RSS, featurization all cores (MB)", ("featurize_parallel", "peak_rss_mb"), False, "", None),
    ("peak RSS, training (MB)", ("train", "peak_rss_mb"), False, "", None),
    ("peak RSS, inference (MB)", ("infer", "peak_rss_mb"), False, "", None),
    ("peak RSS, whole run (MB)", ("process_peak_rss_mb",), False, "", None),
    ("max RSS, largest process, GNU time (MB)", ("time_max_rss_mb",), False, "", None),
]


def get(d, path):
    for key in path:
        d = d[key]
    return float(d)


def load_rounds(folder):
    rounds = []
    for cs_path in sorted(glob.glob(os.path.join(folder, "round-*.quantumkan.json")), key=lambda p: int(re.findall(r"round-(\d+)", p)[0])):
        py_path = cs_path.replace(".quantumkan.json", ".pytorch.json")
        if os.path.exists(py_path):
            with open(cs_path) as a, open(py_path) as b:
                pair = (json.load(a), json.load(b))
            for side, path in zip(pair, (cs_path, py_path)):
                time_file = path.replace(".json", ".time")
                if os.path.exists(time_file) and os.path.getsize(time_file) > 0:
                    with open(time_file) as f:
                        side["time_max_rss_mb"] = int(f.read().split()[-1]) / 1024.0
            rounds.append(pair)
    if not rounds:
        sys.exit(f"no round-N.quantumkan.json / round-N.pytorch.json pairs in {folder}")
    return rounds


def fmt(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:.3g}" if v < 10 else f"{v:.1f}"


def table(rounds):
    lines = ["| metric | QuantumKan | PyTorch 1.13 | ratio (QK / PT) | target | met |", "|---|---:|---:|---:|---|---|"]
    unmet = []
    for label, path, _, target, ok in METRICS:
        if not all(path[0] in c and path[0] in p for c, p in rounds):
            continue
        cs = [get(c, path) for c, _ in rounds]
        py = [get(p, path) for _, p in rounds]
        ratios = [a / b for a, b in zip(cs, py)]
        r = statistics.median(ratios)
        spread = f" ({min(ratios):.2f}–{max(ratios):.2f})" if len(ratios) > 1 else ""
        met = "" if ok is None else ("yes" if ok(r) else "**no**")
        if ok is not None and not ok(r):
            unmet.append(label)
        lines.append(f"| {label} | {fmt(statistics.median(cs))} | {fmt(statistics.median(py))} | {r:.2f}×{spread} | {target} | {met} |")
    return lines, unmet


def reference_variants(folder, rounds):
    """Ratios against the extra reference runs (--optimized-reference, --openblas-reference), when present."""
    described = {
        "pytorch-optimized": "the reference with the same algorithmic changes (one basis expansion for the three extractors, "
                             "density-based normalization penalty)",
        "pytorch-openblas": "the reference on OpenBLAS instead of Debian's default netlib BLAS",
    }
    lines = []
    for suffix, what in described.items():
        pairs = []
        for i, (c, _) in enumerate(rounds, 1):
            path = os.path.join(folder, f"round-{i}.{suffix}.json")
            if os.path.exists(path):
                with open(path) as f:
                    pairs.append((c, json.load(f)))
        if not pairs:
            continue
        parts = []
        for label, path in (("training", ("train", "clips_per_s")), ("latency p50", ("infer", "p50_ms"))):
            a = statistics.median(get(c, path) for c, _ in pairs)
            b = statistics.median(get(o, path) for _, o in pairs)
            r = statistics.median(get(c, path) / get(o, path) for c, o in pairs)
            parts.append(f"{label} {fmt(a)} vs {fmt(b)} = {r:.2f}×")
        lines.append(f"- against {what}: " + ", ".join(parts))
    crash_file = os.path.join(folder, "quantumkan-crashes.txt")
    if os.path.exists(crash_file):
        with open(crash_file) as f:
            crashes = int(f.read().strip() or 0)
        lines.append(f"- QuantumKan runs that crashed and were retried: {crashes} (TorchSharp 0.107 Scalar lifetime race, see RESULTS.md)")
    return lines


def quality(rounds):
    lines = ["| model (same features, same epochs) | parameters | eval mAP |", "|---|---:|---:|"]
    cs_map = statistics.median(get(c, ("quality", "eval_map")) for c, _ in rounds)
    mlp_map = statistics.median(get(c, ("quality_mlp", "eval_map")) for c, _ in rounds)
    py_map = statistics.median(get(p, ("quality", "eval_map")) for _, p in rounds)
    c, p = rounds[0]
    lines.append(f"| QuantumKan (this project) | {c['train']['parameters']:,} | {cs_map:.4f} |")
    lines.append(f"| {c['quality_mlp']['model']}, this project's trainer | {c['quality_mlp']['parameters']:,} | {mlp_map:.4f} |")
    lines.append(f"| QuantumKan PyTorch reference | {p['train']['parameters']:,} | {py_map:.4f} |")
    gap = mlp_map - cs_map
    verdict = "met" if gap <= 0.02 else "**not met**"
    lines.append("")
    lines.append(f"QuantumKan trails the MLP by {gap:+.4f} mAP (target: at most 0.02): {verdict}.")
    return lines


def checks(rounds):
    problems, notes = [], []
    for i, (c, p) in enumerate(rounds, 1):
        if c["train"]["parameters"] != p["train"]["parameters"]:
            problems.append(f"round {i}: parameter counts differ ({c['train']['parameters']} vs {p['train']['parameters']})")
        parity = p.get("feature_parity")
        if parity is None:
            notes.append(f"round {i}: no feature parity check (no C# features given to the reference)")
        elif "error" in parity or parity["relative"] > 1e-3:
            problems.append(f"round {i}: features differ from the reference's: {parity}")
    c, p = rounds[0]
    parity = p.get("feature_parity", {})
    if "relative" in parity:
        notes.append(f"feature parity: max |QK − torchaudio| = {parity['max_abs_diff']:.2e} = {parity['relative']:.1e} of the largest "
                     f"|feature| ({parity['peak_abs']:.2f}); mean |Δ| {parity['mean_abs_diff']:.1e}")
    notes.append(f"parameters: {c['train']['parameters']:,} on both sides (asserted)")
    return problems, notes


def scaling(folder):
    points = []
    for path in glob.glob(os.path.join(folder, "scale-*.json")):
        with open(path) as f:
            points.append((int(re.findall(r"scale-(\d+)", path)[0]), json.load(f)))
    points.sort()
    if not points:
        return []
    base = points[0][1]
    lines = ["| size | clips | featurize (s) | train (s) | featurize + train (s) | per clip vs 1× | peak RSS featurize (MB) | "
             "managed heap retained after featurize (MB) | peak RSS train (MB) | managed heap retained after train (MB) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    base_per_clip = (base["featurize_seconds"] + base["train_seconds"]) / base["clips"]
    for factor, s in points:
        total = s["featurize_seconds"] + s["train_seconds"]
        lines.append(f"| {factor}× | {s['clips']:,} | {s['featurize_seconds']:.1f} | {s['train_seconds']:.1f} | {total:.1f} | "
                     f"{total / s['clips'] / base_per_clip:.2f} | {s['featurize_peak_rss_mb']:.0f} | "
                     f"{s.get('featurize_retained_managed_mb', float('nan')):.1f} | {s['train_peak_rss_mb']:.0f} | "
                     f"{s.get('train_retained_managed_mb', float('nan')):.1f} |")
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", required=True)
    parser.add_argument("--scaling")
    parser.add_argument("--markdown")
    args = parser.parse_args()
    rounds = load_rounds(args.rounds)
    out = [f"Rounds: {len(rounds)} (each: this project, then the reference; ratios are per round, median and range shown)", ""]
    rows, unmet = table(rounds)
    out += rows + [""] + quality(rounds) + [""]
    problems, notes = checks(rounds)
    out += [f"- {n}" for n in notes] + reference_variants(args.rounds, rounds)
    if args.scaling:
        rows = scaling(args.scaling)
        if rows:
            out += ["", "Scaling (this project: feature cache on disk, then training from it):", ""] + rows
    text = "\n".join(out)
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text + "\n")
    if unmet:
        print("\nTargets not met: " + "; ".join(unmet))
    if problems:
        print("\nSANITY CHECK FAILED:\n  " + "\n  ".join(problems))
        sys.exit(1)


if __name__ == "__main__":
    main()
