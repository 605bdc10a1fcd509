#!/usr/bin/python3
"""Reference values for QuantumKan.Audio's tests, computed with torchaudio 0.13 (Debian's python3-torchaudio).

Run from this folder:  /usr/bin/python3 make_reference.py
Writes small little-endian float32 .bin files and manifest.json. The C# tests read them; they never run Python.
"""
import audioop
import json
import math
import os

import numpy as np
import torch
import torchaudio

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))


def test_signal(sample_rate, seconds, seed):
    """Tones, a chirp and seeded noise: a broad spectrum, so dB values stay well above amin."""
    n = int(round(sample_rate * seconds))
    t = np.arange(n, dtype=np.float64) / sample_rate
    rng = np.random.RandomState(seed)
    x = 0.3 * np.sin(2 * np.pi * 440.0 * t) + 0.2 * np.sin(2 * np.pi * 3150.5 * t + 0.3)
    f0, f1 = 100.0, 0.45 * sample_rate
    x += 0.2 * np.sin(2 * np.pi * (f0 * t + (f1 - f0) * t * t / (2 * seconds)))
    x += 0.05 * rng.randn(n)
    x *= 0.5 + 0.5 * np.sin(2 * np.pi * 1.7 * t) ** 2  # slow amplitude envelope
    return x.astype(np.float32)


def save(name, array):
    np.ascontiguousarray(array, dtype="<f4").tofile(os.path.join(HERE, name))
    return name


manifest = {"torch": torch.__version__, "torchaudio": torchaudio.__version__, "mel": [], "resample": []}

inputs = {
    "sig16k": (16000, test_signal(16000, 0.5, 1)),
    "sig22k": (22050, test_signal(22050, 0.4, 2)),
    "short16k": (16000, test_signal(16000, 0.012, 3)),  # 192 samples: shorter than n_fft 512
}
for key, (sr, x) in inputs.items():
    save(key + ".bin", x)

mel_cases = [
    # name, input, MelSpectrogram kwargs, output scale ("power" | "log" | ("db", stype, top_db))
    ("torchaudio_defaults_power", "sig16k", dict(n_fft=512, hop_length=160, n_mels=64), "power"),
    ("log_offset", "sig16k", dict(n_fft=512, hop_length=160, n_mels=64), "log"),
    ("slaney_slaney_constant_nfft400", "sig16k",
     dict(n_fft=400, win_length=400, hop_length=160, n_mels=40, f_min=50.0, f_max=7600.0,
          mel_scale="slaney", norm="slaney", pad_mode="constant"), "power"),
    ("nocenter_magnitude_win200_db", "sig16k",
     dict(n_fft=256, win_length=200, hop_length=80, n_mels=32, center=False, power=1.0), ("db", "magnitude", None)),
    ("db_top80_22k_96mels", "sig22k",
     dict(n_fft=1024, win_length=662, hop_length=220, n_mels=96, mel_scale="slaney"), ("db", "power", 80.0)),
    ("short_clip_reflect", "short16k", dict(n_fft=256, hop_length=64, n_mels=24), "power"),
]
for name, key, kwargs, scale in mel_cases:
    sr, x = inputs[key]
    mel = torchaudio.transforms.MelSpectrogram(sample_rate=sr, **kwargs)(torch.from_numpy(x))  # (mels, frames)
    entry = {"name": name, "input": key + ".bin", "sample_rate": sr, "params": kwargs}
    if scale == "log":
        mel = torch.log(mel + 1e-6)
        entry["scale"] = {"kind": "log", "offset": 1e-6}
    elif isinstance(scale, tuple):
        _, stype, top_db = scale
        mel = torchaudio.transforms.AmplitudeToDB(stype=stype, top_db=top_db)(mel)
        entry["scale"] = {"kind": "db", "stype": stype, "top_db": top_db, "amin": 1e-10}
    else:
        entry["scale"] = {"kind": "power"}
    frames = mel.T.contiguous().numpy()  # (frames, mels), time-major like QuantumKan
    entry["output"] = save("mel_" + name + ".bin", frames)
    entry["frames"], entry["mels"] = frames.shape
    manifest["mel"].append(entry)

for orig, new in [(44100, 16000), (48000, 22050), (44100, 22050), (16000, 44100)]:
    x = test_signal(orig, 0.05, orig % 97)
    y = torchaudio.functional.resample(torch.from_numpy(x), orig, new).numpy()
    manifest["resample"].append({
        "orig": orig, "new": new,
        "input": save(f"resample_in_{orig}.bin", x),
        "output": save(f"resample_{orig}_{new}.bin", y),
    })

manifest["g711"] = {
    "ulaw": [int.from_bytes(audioop.ulaw2lin(bytes([i]), 2), "little", signed=True) for i in range(256)],
    "alaw": [int.from_bytes(audioop.alaw2lin(bytes([i]), 2), "little", signed=True) for i in range(256)],
}

with open(os.path.join(HERE, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1)
print("wrote", len(manifest["mel"]), "mel cases,", len(manifest["resample"]), "resample cases")
