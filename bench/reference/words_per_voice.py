#!/usr/bin/python3
"""Per-voice test accuracy of a spoken-words model (bench/RESULTS.md, "Held-out quality, second round", the per-voice
columns): `qkan predict --json` over the set's eval clips, joined with the set's voices.csv (clip ids are assigned in
voices.csv order within each split, as bench/datasets/spoken_words.py writes them).

  /usr/bin/python3 bench/reference/words_per_voice.py MODEL.zip SET_ROOT [--qkan "dotnet .../qkan.dll"]
"""
import argparse
import collections
import csv
import json
import os
import shlex
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("root")
    p.add_argument("--qkan", default=f"dotnet {ROOT}/src/QuantumKan.Cli/bin/Release/net10.0/qkan.dll")
    a = p.parse_args()
    voices = list(csv.DictReader(open(os.path.join(a.root, "voices.csv"))))
    voice_of, next_id = {}, 1
    for split in ["train", "val", "test"]:
        for v in [v for v in voices if v["split"] == split]:
            for _ in range(int(v["clips"])):
                voice_of[str(next_id)] = v["voice"]
                next_id += 1
    truth = {r["fname"]: r["labels"] for r in csv.DictReader(open(os.path.join(a.root, "FSD50K.ground_truth", "eval.csv")))}
    files = [os.path.join(a.root, "FSD50K.eval_audio", f"{f}.wav") for f in truth]
    out = subprocess.run(shlex.split(a.qkan) + ["predict", "--model", a.model, "--json", "-k", "1"] + files,
                         capture_output=True, text=True, check=True).stdout
    data = json.loads(out)
    items = data if isinstance(data, list) else data.get("clips", data.get("predictions"))
    right = collections.defaultdict(lambda: [0, 0])
    for it in items:
        f = os.path.basename(it.get("file") or it.get("path") or it.get("wav")).replace(".wav", "")
        top = it["top"][0]["label"] if "top" in it else it["labels"][0]["label"]
        r = right[voice_of[f]]
        r[0] += top == truth[f]
        r[1] += 1
    by_synth = collections.defaultdict(list)
    for v, (c, n) in sorted(right.items()):
        print(f"{v:35s} {c / n:.3f} ({n})")
        by_synth[v.split(":")[0]].append(c / n)
    for s, accs in sorted(by_synth.items()):
        print(f"mean over {s} voices: {sum(accs) / len(accs):.3f}")


if __name__ == "__main__":
    main()
