#!/usr/bin/python3
"""Extracts the audio files (.ogg, .wav; not under a music/ folder) from game archives into "<archive>.d/" and
deletes each archive. Archives: zip (.pk3, .wz) and Qt binary resources (.rcc, format versions 1..3; zlib-compressed
entries are inflated, zstd-compressed ones skipped). Used by recorded-sounds.sh.

  /usr/bin/python3 bench/datasets/unpack_audio.py ARCHIVE...
"""
import os
import re
import struct
import sys
import zipfile
import zlib

WANTED = re.compile(r"\.(ogg|wav)$", re.I)
MUSIC = re.compile(r"(^|/)music/", re.I)


def rcc_entries(path):
    """(name, bytes or None) for every file in a Qt .rcc resource."""
    b = open(path, "rb").read()
    if b[:4] != b"qres":
        raise ValueError(f"{path}: not a Qt resource file")
    version, tree, data, names = struct.unpack(">IIII", b[4:20])
    size = 14 if version == 1 else 22

    def name(offset):
        n, = struct.unpack(">H", b[names + offset:names + offset + 2])
        return b[names + offset + 6:names + offset + 6 + 2 * n].decode("utf-16-be")

    out = []
    stack = [(0, "")]
    while stack:
        i, prefix = stack.pop()
        e = tree + i * size
        name_offset, flags = struct.unpack(">IH", b[e:e + 6])
        here = prefix + name(name_offset) if i else ""
        if flags & 2:  # directory
            count, first = struct.unpack(">II", b[e + 6:e + 14])
            stack.extend((first + k, here + "/" if i else "") for k in range(count))
        else:
            offset, = struct.unpack(">I", b[e + 10:e + 14])
            n, = struct.unpack(">I", b[data + offset:data + offset + 4])
            raw = b[data + offset + 4:data + offset + 4 + n]
            if flags & 1:
                raw = zlib.decompress(raw[4:])
            elif flags & 4:
                raw = None
            out.append((here, raw))
    return out


def main():
    for archive in sys.argv[1:]:
        target = archive + ".d"
        if archive.endswith(".rcc"):
            for name, raw in rcc_entries(archive):
                if raw is not None and WANTED.search(name) and not MUSIC.search(name) and ".." not in name:
                    path = os.path.join(target, name)
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with open(path, "wb") as f:
                        f.write(raw)
        else:
            with zipfile.ZipFile(archive) as z:
                for name in z.namelist():
                    if WANTED.search(name) and not MUSIC.search(name) and ".." not in name:
                        z.extract(name, target)
        os.remove(archive)


if __name__ == "__main__":
    main()
