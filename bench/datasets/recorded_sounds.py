#!/usr/bin/python3
"""Recorded-sounds held-out set (multi-label), mixed from real recordings shipped in Debian game/data packages.
Run through bench/datasets/recorded-sounds.sh, which extracts the packages' audio into CACHE first.

  /usr/bin/python3 bench/datasets/recorded_sounds.py OUT_ROOT CACHE [--quick] [--workers 2]

Source files are mapped to classes by path rules (RULES). Files that are cuts of one recording (wolf-growl-1..4,
Water1..5, one voice pack's Ow1..4/Ooff1..3, a voice pack and its translations) form one source GROUP; groups, not
files, are split per class into train/val/test (seeded, about 60/15/25 %, at least one group each side), so no
recording (or sibling cut of it) appears on two sides. Identical audio (after decoding) is kept once.
OUT_ROOT/sources.csv lists file -> class, group, split.

Each clip: 1..10 s (seeded), mono 16-bit 44.1 kHz; 1..3 events of distinct classes, each a seeded crop (<= 4 s) of a
source of its split, at a seeded time and gain (-20..-3 dBFS peak), over white/pink/brown noise at -55..-40 dBFS.
Labels: the union of the events' classes.
"""
import argparse
import csv
import hashlib
import multiprocessing
import os
import re
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import heldout_common as hc  # noqa: E402

PACKAGES = ["tuxpaint-stamps-default", "wesnoth-1.16-data", "hedgewars-data", "lincity-ng-data"]
TP = r"^tuxpaint-stamps-default/usr/share/tuxpaint/stamps/"
WN = r"^wesnoth-1\.16-data/usr/share/games/wesnoth/1\.16/data/(core|campaigns/[^/]+)/sounds/"
HW = r"^hedgewars-data/usr/share/games/hedgewars/Data/Sounds/"
LC = r"^lincity-ng-data/usr/share/games/lincity-ng/sounds/"

# (class, path regex); the first matching rule wins, unmatched files are unused.
RULES = [
    ("bird", TP + r"animals/birds/(?!nandou)"),
    ("bird", WN + r"ambient/birds\d"),
    ("canine", TP + r"animals/mammals/dogs/"),
    ("canine", WN + r"wolf-(growl|hit|die)"),
    ("horse", TP + r"animals/mammals/equines/"),
    ("horse", WN + r"horse-(canter|elf-canter|die|hit)"),
    ("livestock", TP + r"animals/mammals/(bovines/|pig|camel/)"),
    ("insect", TP + r"animals/insects/"),
    ("insect", HW + r"bee\.ogg"),
    ("laugh", HW + r"voices/[^/]+/Laugh\.ogg"),
    ("laugh", WN + r"(dwarf-laugh|witches-laugh)"),
    ("pain_cry", HW + r"voices/[^/]+/(Ow|Ooff)\d\.ogg"),
    ("pain_cry", WN + r"(human|human-female|human-old|dwarf|elf)-(hit|die)"),
    ("explosion", WN + r"(explosion|cave-in)\."),
    ("explosion", HW + r"explosion\.ogg"),
    ("explosion", LC + r"(RocketExplosion|Raze)\d"),
    ("gunshot", WN + r"(gunshot|thunderstick)\."),
    ("gunshot", HW + r"(gun|shotgunfire|minigun)\.ogg"),
    ("fire", WN + r"(fire\.wav|flame-big\.|torch\.|melee-fire|ambient/campfire)"),
    ("fire", HW + r"(flamethrower|blowtorch|molotov)\.ogg"),
    ("fire", LC + r"Fire\d"),
    ("water", HW + r"(splash|Droplet\d)\.ogg"),
    ("water", WN + r"water-blast"),
    ("water", LC + r"(Water|ParklandLake)\d"),
    ("water", TP + r"household/toilet"),
    ("engine", LC + r"(TraficHigh|TraficLow|RailTrain)\d"),
    ("engine", HW + r"(plane|rcplane)\.ogg"),
    ("impact", WN + r"(axe|club|mace|sword-1|staff|hatchet|fist|flail|spear)\."),
    ("impact", HW + r"(baseballbat|hammer|firepunch_hit)\.ogg"),
    ("impact", TP + r"household/tools/(hammer|mallet_metal)"),
    ("whoosh", WN + r"(miss-\d|dagger-swish|(club|mace|staff|flail|hatchet|spear)-miss)\."),
    ("whoosh", HW + r"throwrelease\.ogg"),
]
CLASSES = ["bird", "canine", "horse", "livestock", "insect", "laugh", "pain_cry", "explosion", "gunshot", "fire",
           "water", "engine", "impact", "whoosh"]
CLIPS = {"full": {"train": 2000, "val": 300, "test": 600}, "quick": {"train": 200, "val": 60, "test": 120}}
FRACTIONS = {"test": 0.25, "val": 0.15}
MAX_EVENT = 4.0


def classify(rel):
    for label, pattern in RULES:
        if re.search(pattern, rel):
            return label
    return None


def group_of(rel, label):
    """Files that are cuts of one recording share a group: hedgewars voice packs (and their translations) per class,
    otherwise the path with the extension and a trailing number (-1, _2, 3) removed; wesnoth's .ogg/.wav twins too."""
    m = re.search(r"voices/([^/_]+)[^/]*/", rel)
    if m:
        return f"hedgewars-voice:{m.group(1)}:{label}"
    stem = re.sub(r"\.(ogg|wav|oga)$", "", rel)
    return re.sub(r"[-_]?\d+$", "", stem)


def decode(job):
    """Source file -> 44.1 kHz mono float (silence-trimmed), via sox; returns (rel, samples or None)."""
    cache, rel = job
    out = os.path.join(cache, "decoded", hashlib.sha1(rel.encode()).hexdigest() + ".wav")
    if not os.path.exists(out):
        os.makedirs(os.path.dirname(out), exist_ok=True)
        subprocess.run(["sox", "-V1", "-R", "-D", os.path.join(cache, rel), "-b", "16", "-c", "1", out + ".tmp.wav",
                        "rate", "-v", str(hc.RATE)], check=True)
        os.replace(out + ".tmp.wav", out)
    x, _ = hc.read_wav(out)
    x = hc.trim_silence(x, threshold_db=-40)
    if len(x) < 0.1 * hc.RATE or np.max(np.abs(x)) < 1e-3:
        return rel, None
    return rel, x


def split_groups(groups_by_class):
    split_of = {}
    for label in CLASSES:
        groups = sorted(groups_by_class[label])
        assert len(groups) >= 3, f"class {label} has only {len(groups)} source groups"
        order = [groups[i] for i in hc.rng_for("recorded-sounds", "split", label).permutation(len(groups))]
        n_test = max(1, round(FRACTIONS["test"] * len(groups)))
        n_val = max(1, round(FRACTIONS["val"] * len(groups)))
        for i, g in enumerate(order):
            split_of[g] = "test" if i < n_test else "val" if i < n_test + n_val else "train"
    return split_of


def fade(x, ms=10):
    n = min(len(x) // 2, int(ms * hc.RATE / 1000))
    if n > 0:
        ramp = np.linspace(0, 1, n)
        x = x.copy()
        x[:n] *= ramp
        x[-n:] *= ramp[::-1]
    return x


_sources = None


def make_clip(job):
    fname, split, index, root = job
    rng = hc.rng_for("recorded-sounds", "clip", split, index)
    n = int(round(rng.uniform(1.0, 10.0) * hc.RATE))
    k = int(rng.choice([1, 2, 3], p=[0.4, 0.35, 0.25]))
    labels = [CLASSES[i] for i in rng.choice(len(CLASSES), size=k, replace=False)]
    clip = hc.background(rng, n)
    used = []
    for label in labels:
        groups = _sources[split][label]
        files = groups[sorted(groups)[rng.integers(len(groups))]]
        rel, x = files[rng.integers(len(files))]
        length = min(len(x), int(rng.uniform(0.5, MAX_EVENT) * hc.RATE), n)
        start = int(rng.integers(0, len(x) - length + 1))
        event = hc.normalize_peak(fade(x[start:start + length]), 10 ** (rng.uniform(-20, -3) / 20))
        offset = int(rng.integers(0, n - length + 1))
        clip[offset:offset + length] += event
        used.append(rel)
    peak = np.max(np.abs(clip))
    if peak > 0.98:
        clip *= 0.98 / peak
    hc.write_wav(hc.audio_path(root, fname, split), clip)
    return fname, labels, split, n / hc.RATE


def main():
    global _sources
    p = argparse.ArgumentParser()
    p.add_argument("root")
    p.add_argument("cache")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    root, cache = os.path.abspath(args.root), os.path.abspath(args.cache)
    start = time.time()

    files = []
    for pkg in PACKAGES:
        for dirpath, _, names in os.walk(os.path.join(cache, pkg)):
            for name in names:
                rel = os.path.relpath(os.path.join(dirpath, name), cache)
                if classify(rel):
                    files.append(rel)
    files.sort()
    with multiprocessing.Pool(args.workers) as pool:
        decoded = pool.map(decode, [(cache, rel) for rel in files], chunksize=4)

    seen, kept, dropped = {}, [], []
    for rel, x in decoded:
        if x is None:
            dropped.append((rel, "silent or shorter than 0.1 s"))
            continue
        digest = hashlib.sha1(np.round(x * 32767).astype("<i2").tobytes()).hexdigest()
        if digest in seen:
            dropped.append((rel, f"same audio as {seen[digest]}"))
            continue
        seen[digest] = rel
        kept.append((rel, x))

    groups_by_class = {c: set() for c in CLASSES}
    meta = {}
    for rel, _ in kept:
        label = classify(rel)
        group = group_of(rel, label)
        groups_by_class[label].add(group)
        meta[rel] = (label, group)
    split_of = split_groups(groups_by_class)
    # A group belongs to one class and one split; hence so does every file.
    group_class = {}
    for rel, (label, group) in meta.items():
        assert group_class.setdefault(group, label) == label, f"group {group} spans two classes"
    sources = {s: {c: {} for c in CLASSES} for s in ["train", "val", "test"]}
    for rel, x in kept:
        label, group = meta[rel]
        sources[split_of[group]][label].setdefault(group, []).append((rel, x))
    file_split = {}
    for split, by_class in sources.items():
        for label, groups in by_class.items():
            assert groups, f"class {label} has no source in {split}"
            for g, members in groups.items():
                for rel, _ in members:
                    assert file_split.setdefault(rel, split) == split, f"{rel} is in two splits"
    _sources = sources

    with open(os.path.join(root, "sources.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "class", "group", "split", "seconds"])
        for rel, x in kept:
            label, group = meta[rel]
            w.writerow([rel, label, group, split_of[group], f"{len(x) / hc.RATE:.2f}"])
        for rel, why in dropped:
            w.writerow([rel, classify(rel), "", f"dropped: {why}", ""])

    hc.prepare_root(root)
    sizes = CLIPS["quick" if args.quick else "full"]
    jobs, next_id = [], 1
    for split in ["train", "val", "test"]:
        for i in range(sizes[split]):
            jobs.append((str(next_id), split, i, root))
            next_id += 1
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        made = pool.map(make_clip, jobs, chunksize=16)
    hc.write_listings(root, CLASSES, [(fname, labels, split) for fname, labels, split, _ in made])
    counts = hc.check_layout(root)

    print(f"recorded-sounds: {counts} clips, {len(CLASSES)} classes, {len(kept)} source files "
          f"({len(dropped)} dropped), {sum(len(v) for v in groups_by_class.values())} groups")
    for label in CLASSES:
        per = {s: sum(len(m) for m in sources[s][label].values()) for s in sources}
        gper = {s: len(sources[s][label]) for s in sources}
        events = {s: sum(label in labels for _, labels, sp, _ in made if sp == s) for s in sources}
        print(f"  {label:10s} files train/val/test {per['train']}/{per['val']}/{per['test']}  "
              f"groups {gper['train']}/{gper['val']}/{gper['test']}  clips {events['train']}/{events['val']}/{events['test']}")
    seconds = np.array([d for *_, d in made])
    print(f"  clip length mean {seconds.mean():.1f} s, total {seconds.sum() / 3600:.2f} h; {time.time() - start:.0f} s -> {root}")


if __name__ == "__main__":
    main()
