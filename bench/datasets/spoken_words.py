#!/usr/bin/python3
"""Spoken-words held-out set (multiclass), synthesized with Debian's espeak-ng, flite and festival.
Run through bench/datasets/spoken-words.sh, which installs the synthesizers first.

  /usr/bin/python3 bench/datasets/spoken_words.py OUT_ROOT [--quick] [--workers 2]

Voices are split, never clips: flite is test-only (all five voices); espeak-ng voices are accent+variant pairs and
the accents AND the variants are partitioned (a test voice shares neither its accent nor its variant with any train
voice); festival's ked is train, its kal and slt voices are val (so the kal and slt speakers, which flite also has,
never reach train); festival's Czech, Finnish, Italian and Catalan voices (nine speakers, read from respellings) are
train. OUT_ROOT/voices.csv lists every voice with its split; the script asserts disjointness.

Each clip: 1.0 s, mono, 16-bit, 44.1 kHz; the word (silence-trimmed) at a seeded random offset, seeded gain, over
seeded white/pink/brown noise at -55..-40 dBFS.
"""
import argparse
import csv
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import heldout_common as hc  # noqa: E402

WORDS = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]

ESPEAK_ACCENTS = {
    "train": ["en-us", "en-gb", "en-gb-x-rp", "en-029", "en-gb-x-gbcwmd"],
    "val": ["en-gb-x-gbclan"],
    "test": ["en-gb-scotland", "en-us-nyc"],
}
ESPEAK_VARIANTS = {
    "train": ["m1", "m2", "m3", "f1", "f2", "klatt", "klatt3", "Andy", "adam", "whisper"],
    "val": ["m5", "f4"],
    "test": ["m7", "f3", "croak", "klatt2", "david"],
}
FLITE_VOICES = {"test": ["kal", "kal16", "awb", "rms", "slt"]}
FESTIVAL_VOICES = {"train": ["ked_diphone", "czech_dita", "czech_krb", "czech_machac", "czech_ph", "suo_fi_lj_diphone",
                             "hy_fi_mv_diphone", "lp_diphone", "pc_diphone", "upc_ca_ona_hts"],
                   "val": ["kal_diphone", "cmu_us_slt_arctic_hts"]}
# Festival's Czech, Finnish, Italian and Catalan voices read the English words from these respellings in their own
# orthography (so they say the English word with their accent, rather than spell-reading it).
RESPELL = {
    "czech": dict(yes="jes", no="nou", up="ap", down="daun", left="left", right="rajt", on="on", off="of", stop="stop", go="gou"),
    "finnish": dict(yes="jes", no="nou", up="ap", down="daun", left="left", right="rait", on="on", off="of", stop="stop", go="gou"),
    "italian": dict(yes="ies", no="nou", up="ap", down="daun", left="left", right="rait", on="on", off="of", stop="stop", go="gou"),
    "catalan": dict(yes="ies", no="nou", up="ap", down="daun", left="left", right="rait", on="on", off="of", stop="stop", go="gou"),
}
LANGUAGE = {"czech_dita": "czech", "czech_krb": "czech", "czech_machac": "czech", "czech_ph": "czech",
            "suo_fi_lj_diphone": "finnish", "hy_fi_mv_diphone": "finnish", "lp_diphone": "italian",
            "pc_diphone": "italian", "upc_ca_ona_hts": "catalan"}
# Renditions (speed/pitch draws) per voice per word.
RENDITIONS = {"full": {"train": 5, "val": 8, "test": 4}, "quick": {"train": 1, "val": 2, "test": 1}}
# The person behind each flite/festival voice (flite's kal/kal16 and festival's kal_diphone are one speaker, as are
# flite's slt and festival's cmu_us_slt_arctic_hts).
SPEAKER = {"kal": "kal", "kal16": "kal", "awb": "awb", "rms": "rms", "slt": "slt",
           "ked_diphone": "ked", "kal_diphone": "kal", "cmu_us_slt_arctic_hts": "slt",
           **{v: v for v in LANGUAGE}}
SECONDS = 1.0
MAX_WORD = 0.95  # longer utterances are tempo-compressed to this length


def voices(quick):
    out = []  # (voice id, synthesizer, speaker, variant, split)
    for split in ["train", "val", "test"]:
        for accent in ESPEAK_ACCENTS[split]:
            for variant in ESPEAK_VARIANTS[split]:
                out.append((f"espeak-ng:{accent}+{variant}", "espeak-ng", accent, variant, split))
        for v in FLITE_VOICES.get(split, []):
            out.append((f"flite:{v}", "flite", v, "", split))
        for v in FESTIVAL_VOICES.get(split, []):
            out.append((f"festival:{v}", "festival", v, "", split))
    if quick:  # every third train voice, all val and test voices
        train = [v for v in out if v[4] == "train"][::3]
        out = train + [v for v in out if v[4] != "train"]
    return out


def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def synthesize(voice, word, rendition, tmp):
    """Renders one word with one voice; returns float64 samples at 44.1 kHz (silence-trimmed)."""
    vid, synth, speaker, variant, _ = voice
    rng = hc.rng_for("spoken-words", "synth", vid, word, rendition)
    stretch = float(rng.uniform(0.8, 1.25))  # >1 is slower
    pitch_cents = int(rng.integers(-300, 301))
    raw = os.path.join(tmp, "raw.wav")
    if synth == "espeak-ng":
        speed = int(round(175 / stretch))
        pitch = int(rng.integers(20, 81))
        run(["espeak-ng", "-v", f"{speaker}+{variant}", "-s", str(speed), "-p", str(pitch), "-w", raw, word])
        post = []
    elif synth == "flite":
        run(["flite", "-voice", speaker, "--setf", f"duration_stretch={stretch:.3f}", "-t", word, "-o", raw])
        post = ["pitch", str(pitch_cents)]
    else:
        run(["text2wave", "-o", raw, "-eval", f"(voice_{speaker})",
             "-eval", f"(Parameter.set 'Duration_Stretch {stretch:.3f})"],
            input=(RESPELL[LANGUAGE[speaker]][word] if speaker in LANGUAGE else word).encode())
        post = ["pitch", str(pitch_cents)]
    conv = os.path.join(tmp, "conv.wav")
    run(["sox", "-V1", "-R", "-D", raw, "-b", "16", "-c", "1", conv] + post + ["rate", "-v", str(hc.RATE)])
    x, rate = hc.read_wav(conv)
    assert rate == hc.RATE
    x = hc.trim_silence(x)
    if len(x) > MAX_WORD * hc.RATE:
        hc.write_wav(conv, x)
        fitted = os.path.join(tmp, "fit.wav")
        run(["sox", "-V1", "-R", "-D", conv, fitted, "tempo", "-s", f"{len(x) / (MAX_WORD * hc.RATE) * 1.01:.4f}"])
        x = hc.trim_silence(hc.read_wav(fitted)[0])[: int(MAX_WORD * hc.RATE)]
    return x


def make_clip(job):
    fname, voice, word, rendition, split, root = job
    tmp = tempfile.mkdtemp(prefix="sw-", dir=os.path.join(root, ".tmp"))
    try:
        x = synthesize(voice, word, rendition, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rng = hc.rng_for("spoken-words", "mix", voice[0], word, rendition)
    n = int(SECONDS * hc.RATE)
    clip = hc.background(rng, n)
    offset = int(rng.integers(0, n - len(x) + 1))
    peak = 10 ** (rng.uniform(-14, -1) / 20)
    clip[offset: offset + len(x)] += hc.normalize_peak(x, peak)
    hc.write_wav(hc.audio_path(root, fname, split), np.clip(clip, -1, 1))
    return fname, len(x) / hc.RATE


def main():
    p = argparse.ArgumentParser()
    p.add_argument("root")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    root = os.path.abspath(args.root)
    start = time.time()

    vs = voices(args.quick)
    split_of = {}
    for v in vs:
        assert split_of.setdefault(v[0], v[4]) == v[4], f"voice {v[0]} is in two splits"
    for table in [ESPEAK_ACCENTS, ESPEAK_VARIANTS, FLITE_VOICES, FESTIVAL_VOICES]:
        members = [(s, m) for s, ms in table.items() for m in ms]
        assert len({m for _, m in members}) == len(members), f"an entry of {table} is in two splits"
    speakers = {}  # a speaker (accent / variant / synthesizer voice) must not be on both the train and a held-out side
    for _, synth, speaker, variant, split in vs:
        for key in ([f"accent:{speaker}", f"variant:{variant}"] if synth == "espeak-ng" else [f"speaker:{SPEAKER[speaker]}"]):
            speakers.setdefault(key, set()).add(split)
    for key, splits in speakers.items():
        assert not ("train" in splits and len(splits) > 1), f"{key} is in {sorted(splits)}"

    hc.prepare_root(root)
    os.makedirs(os.path.join(root, ".tmp"), exist_ok=True)
    renditions = RENDITIONS["quick" if args.quick else "full"]
    jobs, next_id = [], 1
    for split in ["train", "val", "test"]:
        for v in [v for v in vs if v[4] == split]:
            for word in WORDS:
                for r in range(renditions[split]):
                    jobs.append((str(next_id), v, word, r, split, root))
                    next_id += 1
    with multiprocessing.Pool(args.workers) as pool:
        lengths = dict(pool.imap_unordered(make_clip, jobs, chunksize=8))
    shutil.rmtree(os.path.join(root, ".tmp"), ignore_errors=True)

    hc.write_listings(root, WORDS, [(j[0], [j[2]], j[4]) for j in jobs])
    per_voice = {}
    for j in jobs:
        per_voice[j[1][0]] = per_voice.get(j[1][0], 0) + 1
    with open(os.path.join(root, "voices.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["voice", "synthesizer", "speaker_or_accent", "variant", "split", "clips"])
        for v in vs:
            w.writerow([v[0], v[1], v[2], v[3], v[4], per_voice[v[0]]])
    counts = hc.check_layout(root)
    word_len = np.array(list(lengths.values()))
    print(f"spoken-words: {counts} clips, {len(WORDS)} words, voices train/val/test = "
          f"{sum(v[4] == 'train' for v in vs)}/{sum(v[4] == 'val' for v in vs)}/{sum(v[4] == 'test' for v in vs)}, "
          f"word length median {np.median(word_len):.2f} s (min {word_len.min():.2f}, max {word_len.max():.2f}), "
          f"{time.time() - start:.0f} s -> {root}")


if __name__ == "__main__":
    main()
