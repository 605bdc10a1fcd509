"""Shared helpers of the held-out set generators (spoken_words.py, recorded_sounds.py): WAV I/O, seeded noise,
and the FSD50K layout that src/QuantumKan.ML/Data/Fsd50kReader.cs reads.

Deterministic: every random draw comes from a numpy Generator seeded from a string key (sha256), so the output does
not depend on worker count or processing order.
"""
import csv
import hashlib
import os
import shutil
import wave

import numpy as np

RATE = 44100  # FSD50K's sample rate


def rng_for(*key):
    """A numpy Generator seeded from the key's text (stable across runs and processes)."""
    digest = hashlib.sha256("|".join(str(k) for k in key).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def read_wav(path):
    """16-bit PCM WAV -> (float64 mono in [-1, 1], rate)."""
    with wave.open(path, "rb") as w:
        channels, width, rate, n = w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()
        raw = w.readframes(n)
    if width != 2:
        raise ValueError(f"{path}: expected 16-bit PCM, got {8 * width}-bit")
    x = np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768.0
    if channels > 1:
        x = x.reshape(-1, channels).mean(1)
    return x, rate


def write_wav(path, x, rate=RATE):
    pcm = np.clip(np.round(np.asarray(x) * 32767.0), -32768, 32767).astype("<i2")
    tmp = path + ".tmp"
    with wave.open(tmp, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    os.replace(tmp, path)


def colored_noise(rng, n, kind):
    """Unit-RMS noise: 'white', 'pink' (1/f power) or 'brown' (1/f^2 power), shaped in the frequency domain."""
    white = rng.standard_normal(n)
    if kind == "white":
        y = white
    else:
        spectrum = np.fft.rfft(white)
        f = np.arange(len(spectrum), dtype=np.float64)
        f[0] = 1.0
        spectrum /= np.sqrt(f) if kind == "pink" else f
        spectrum[0] = 0.0
        y = np.fft.irfft(spectrum, n)
    return y / (np.sqrt(np.mean(y ** 2)) + 1e-12)


def background(rng, n):
    """Low background noise: a random colour at -55..-40 dBFS RMS."""
    kind = ["white", "pink", "brown"][rng.integers(3)]
    level = 10 ** (rng.uniform(-55, -40) / 20)
    return colored_noise(rng, n, kind) * level


def trim_silence(x, threshold_db=-45.0, frame=441):
    """Drops leading and trailing frames whose RMS is below threshold_db relative to the loudest frame."""
    if len(x) < frame:
        return x
    frames = len(x) // frame
    rms = np.sqrt(np.mean(x[: frames * frame].reshape(frames, frame) ** 2, axis=1) + 1e-20)
    loud = np.nonzero(20 * np.log10(rms / rms.max()) > threshold_db)[0]
    if len(loud) == 0:
        return x
    return x[loud[0] * frame: min(len(x), (loud[-1] + 1) * frame)]


def normalize_peak(x, peak=1.0):
    m = np.max(np.abs(x))
    return x * (peak / m) if m > 0 else x


def prepare_root(root):
    """Creates the FSD50K folders, removing old generated audio and listings first (only those folders)."""
    for sub in ["FSD50K.ground_truth", "FSD50K.dev_audio", "FSD50K.eval_audio"]:
        path = os.path.join(root, sub)
        if os.path.isdir(path):
            shutil.rmtree(path)
        os.makedirs(path)


def audio_path(root, fname, split):
    return os.path.join(root, "FSD50K.eval_audio" if split == "test" else "FSD50K.dev_audio", fname + ".wav")


def mid_of(label):
    return "/m/heldout_" + label


def write_listings(root, classes, rows):
    """rows: (fname, [labels], split) with split train|val|test (test -> eval.csv). Quotes labels and mids as the
    project's Fsd50kLayoutWriter does (always quoted, comma-joined, sorted by vocabulary index)."""
    index = {c: i for i, c in enumerate(classes)}
    gt = os.path.join(root, "FSD50K.ground_truth")
    with open(os.path.join(gt, "vocabulary.csv"), "w", newline="") as f:
        for i, c in enumerate(classes):
            f.write(f"{i},{c},{mid_of(c)}\n")

    def fields(labels):
        ordered = sorted(set(labels), key=index.__getitem__)
        return '"' + ",".join(ordered) + '"', '"' + ",".join(mid_of(c) for c in ordered) + '"'

    dev = ["fname,labels,mids,split\n"]
    ev = ["fname,labels,mids\n"]
    for fname, labels, split in sorted(rows, key=lambda r: int(r[0])):
        lab, mids = fields(labels)
        if split == "test":
            ev.append(f"{fname},{lab},{mids}\n")
        else:
            dev.append(f"{fname},{lab},{mids},{split}\n")
    for name, lines in [("dev.csv", dev), ("eval.csv", ev)]:
        with open(os.path.join(gt, name), "w", newline="") as f:
            f.writelines(lines)


def check_layout(root):
    """Re-reads the listings the way the C# reader does: unique fnames, known labels, matching mids, audio present."""
    gt = os.path.join(root, "FSD50K.ground_truth")
    with open(os.path.join(gt, "vocabulary.csv")) as f:
        vocab = {row[1]: row[2] for row in csv.reader(f)}
    seen, counts = set(), {}
    for name, folder in [("dev.csv", "FSD50K.dev_audio"), ("eval.csv", "FSD50K.eval_audio")]:
        with open(os.path.join(gt, name)) as f:
            for row in csv.DictReader(f):
                assert row["fname"] not in seen, f"duplicate fname {row['fname']}"
                seen.add(row["fname"])
                labels, mids = row["labels"].split(","), row["mids"].split(",")
                assert labels and len(labels) == len(mids), row
                for label, mid in zip(labels, mids):
                    assert vocab.get(label) == mid, f"{name}: label {label} / mid {mid} not in vocabulary"
                assert os.path.exists(os.path.join(root, folder, row["fname"] + ".wav")), row["fname"]
                split = row.get("split", "test")
                assert split in ("train", "val", "test"), split
                counts[split] = counts.get(split, 0) + 1
    return counts
