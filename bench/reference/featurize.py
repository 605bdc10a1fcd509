#!/usr/bin/python3
"""torchaudio 0.13 side of bench/QuantumKan.Bench/Audio/AudioFrontEndBenchmarks.cs: the same work on the same clips,
one thread. Run:  /usr/bin/python3 bench/reference/featurize.py  (Debian's python3-torch 1.13 + python3-torchaudio 0.13).

Clips live in $QKAN_BENCH_AUDIO (default /tmp/qkan-bench-audio); whichever side runs first writes them with the same
formula (16-bit PCM mono): clip_1s_16k.wav and clip_10s_44k.wav.
"""
import math
import os
import statistics
import sys
import time
import wave

import numpy as np
import torch
import torchaudio

torch.set_num_threads(1)
FOLDER = os.environ.get("QKAN_BENCH_AUDIO", "/tmp/qkan-bench-audio")


def signal(rate, seconds):
    """Same formula as BenchClips.Signal: two tones, a chirp and an LCG hiss."""
    n = int(round(rate * seconds))
    t = np.arange(n) / rate
    state, noise = 12345, np.empty(n)
    for i in range(n):
        state = (state * 1664525 + 1013904223) & 0xFFFFFFFF
        noise[i] = (state >> 8) / float(1 << 24) * 2 - 1
    chirp = np.sin(2 * np.pi * (100 * t + (0.45 * rate - 100) * t * t / (2 * seconds)))
    return 0.3 * np.sin(2 * np.pi * 440 * t) + 0.2 * np.sin(2 * np.pi * 3150 * t) + 0.2 * chirp + 0.05 * noise


def ensure(name, rate, seconds):
    path = os.path.join(FOLDER, name)
    if not os.path.exists(path):
        os.makedirs(FOLDER, exist_ok=True)
        pcm = np.clip(np.round(signal(rate, seconds) * 32768), -32768, 32767).astype("<i2")
        with wave.open(path, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(pcm.tobytes())
    return path


short_path = ensure("clip_1s_16k.wav", 16000, 1.0)
long_path = ensure("clip_10s_44k.wav", 44100, 10.0)

mel1 = torchaudio.transforms.MelSpectrogram(sample_rate=16000, n_fft=512, hop_length=160, n_mels=64)
resample = torchaudio.transforms.Resample(44100, 22050)  # kernel built once, as QuantumKan caches it
mel2 = torchaudio.transforms.MelSpectrogram(sample_rate=22050, n_fft=1024, win_length=662, hop_length=220, n_mels=96)


def case1():
    wav, _ = torchaudio.load(short_path)
    logmel = torch.log(mel1(wav[0]) + 1e-6)  # (mels, frames)
    return torch.cat([logmel.mean(-1), logmel.std(-1, unbiased=False)])


def case2():
    wav, _ = torchaudio.load(long_path)
    return torch.log(mel2(resample(wav[0])) + 1e-6)


def decode_short():
    return torchaudio.load(short_path)


def decode_long():
    return torchaudio.load(long_path)


long_samples = torchaudio.load(long_path)[0][0]


def resample_long():
    return resample(long_samples)


def measure(fn, min_seconds=2.0):
    for _ in range(20):
        fn()
    runs = []
    start = time.perf_counter()
    while time.perf_counter() - start < min_seconds or len(runs) < 15:
        t0 = time.perf_counter()
        reps = 10
        for _ in range(reps):
            fn()
        runs.append((time.perf_counter() - t0) / reps)
    return statistics.median(runs) * 1e3


print(f"torch {torch.__version__}, torchaudio {torchaudio.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}, threads {torch.get_num_threads()}")
for name, fn in [("case 1: decode + log-mel + pool, 1 s 16 kHz", case1),
                 ("case 2: decode + resample + log-mel, 10 s 44.1 kHz", case2),
                 ("decode 1 s 16 kHz", decode_short),
                 ("decode 10 s 44.1 kHz", decode_long),
                 ("resample 10 s 44.1 -> 22.05 kHz", resample_long)]:
    print(f"{name:55s} median {measure(fn):8.3f} ms")
