#!/usr/bin/python3
"""Recorded-sounds held-out set (multi-label), mixed from real recordings shipped in Debian game/data packages.
Run through bench/datasets/recorded-sounds.sh, which extracts the packages' audio into CACHE first.

  /usr/bin/python3 bench/datasets/recorded_sounds.py OUT_ROOT CACHE [--quick] [--workers 2]

Source files are mapped to classes by path rules (RULES). Files that are cuts of one recording (wolf-growl-1..4,
Water1..5, one voice pack's Ow1..4/Ooff1..3, a voice pack and its translations, one player model's voice, one
weapon's shots; GROUP_RULES and group_of) form one source GROUP; groups that probably hold the same recording (same
file name in one package, or a near-identical envelope and duration anywhere; merge_groups) are merged. Groups, not
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

PACKAGES = ["tuxpaint-stamps-default", "wesnoth-1.16-data", "hedgewars-data", "lincity-ng-data", "ufoai-sound",
            "openarena-data", "nexuiz-data", "scorched3d-data", "warzone2100-data", "minetest-data", "megaglest-data",
            "widelands-data", "gcompris-qt-data"]
TP = r"^tuxpaint-stamps-default/usr/share/tuxpaint/stamps/"
WN = r"^wesnoth-1\.16-data/usr/share/games/wesnoth/1\.16/data/(core|campaigns/[^/]+)/sounds/"
HW = r"^hedgewars-data/usr/share/games/hedgewars/Data/Sounds/"
LC = r"^lincity-ng-data/usr/share/games/lincity-ng/sounds/"
# Game archives (zip: .pk3, .wz) are unpacked by recorded-sounds.sh into "<archive>.d/".
UF = r"^ufoai-sound/usr/share/games/ufoai/base/0snd\.pk3\.d/sound/"
OA = r"^openarena-data/usr/share/games/openarena/baseoa/pak0\.pk3\.d/sound/"
NX = r"^nexuiz-data/usr/share/games/nexuiz/data/data\.pk3\.d/sound/"
SC = r"^scorched3d-data/usr/share/games/scorched3d/data/globalmods/(none|apoc)/data/wav/"
WZ = r"^warzone2100-data/usr/share/games/warzone2100/base\.wz\.d/audio/"
MT = r"^minetest-data/usr/share/games/minetest/games/minetest_game/mods/"
MG = r"^megaglest-data/usr/share/games/megaglest/"
MGU = MG + r"techs/megapack/factions/[^/]+/units/"
MGC = MG + r"techs/megapack/commondata/sounds/"
MGT = MG + r"tilesets/[^/]+/sounds/"
WL = r"^widelands-data/usr/share/games/widelands/data/"
GC = r"^gcompris-qt-data/usr/share/gcompris-qt/rcc/[^/]+\.rcc\.d/gcompris/src/"  # Qt resources, unpacked
GCA = GC + r"activities/explore_farm_animals/resource/animals/"
GCM = GC + r"activities/memory-sound/resource/"

# (class, path regex); the first matching rule wins, unmatched files are unused.
RULES = [
    ("bird", TP + r"animals/birds/(?!nandou)"),
    ("bird", WN + r"ambient/birds\d"),
    ("bird", WL + r"(sound/animals/bird\d|world/critters/duck/)"),
    ("bird", SC + r"misc/(birdchirp\d|birds\d|gull\d|rooster)\."),
    ("bird", MGU + r"chicken/"),
    ("bird", MGT + r"(chicken|owl|rooster|hawk)\."),
    ("bird", GCA + r"(owl|chickens|duck)\."),
    ("canine", TP + r"animals/mammals/dogs/"),
    ("canine", WN + r"wolf-(growl|hit|die)"),
    ("canine", WL + r"sound/animals/(wolf|coyote)_"),
    ("canine", SC + r"misc/(dog\d?|wolf)\."),
    ("canine", MGT + r"wolf\."),
    ("canine", GCA + r"dog\."),
    ("canine", GCM + r"LRBark_"),
    ("horse", TP + r"animals/mammals/equines/"),
    ("horse", WN + r"horse-(canter|elf-canter|die|hit)"),
    ("horse", WL + r"sound/farm/(horse|donkey)"),
    ("horse", GCA + r"horse\."),
    ("livestock", TP + r"animals/mammals/(bovines/|pig|camel/)"),
    ("livestock", WL + r"sound/farm/(ox|sheep)_"),
    ("livestock", SC + r"misc/(cows|moo|sheep)\."),
    ("livestock", MGU + r"(bull|sheep|wild_sow)/"),
    ("livestock", MGC + r"(cow|pig)_"),
    ("livestock", MGT + r"mudchute_cow"),
    ("livestock", GCA + r"(pig|cow|sheep)\."),
    ("insect", TP + r"animals/insects/"),
    ("insect", HW + r"bee\.ogg"),
    ("insect", WL + r"sound/animals/crickets\d"),
    ("insect", UF + r"ambience/cricket_loop"),
    ("insect", NX + r"desertfactory/cricket_loop"),
    ("insect", MGU + r"beehive/sounds/bee\d"),
    ("laugh", HW + r"voices/[^/]+/Laugh\.ogg"),
    ("laugh", WN + r"(dwarf-laugh|witches-laugh)"),
    ("laugh", WZ + r"(taunts/taunt\d/haha|nexus/laugh)"),
    ("pain_cry", HW + r"voices/[^/]+/(Ow|Ooff)\d\.ogg"),
    ("pain_cry", WN + r"(human|human-female|human-old|dwarf|elf)-(hit|die)"),
    ("pain_cry", NX + r"player/[^/]+/player/(pain\d+|death\d)\."),
    ("pain_cry", OA + r"player/[^/]+/(pain\d+_\d|death\d)\."),
    ("pain_cry", UF + r"(soldiers|civilians)/[a-z]*(hurt|death|scream)"),
    ("pain_cry", SC + r"misc/(scream\d|screaming)\."),
    ("pain_cry", WZ + r"sfx/misc/scream\d?\."),
    ("explosion", WN + r"(explosion|cave-in)\."),
    ("explosion", HW + r"explosion\.ogg"),
    ("explosion", LC + r"(RocketExplosion|Raze)\d"),
    ("explosion", SC + r"explosions/(large|medium|small|xlarge|tank|exp)\."),
    ("explosion", WZ + r"sfx/explons/(atnkexpl|lrgexpl|mpodexpl|smlexpl|nxsexpld)\."),
    ("explosion", OA + r"(weapons/rocket/rocklx|weapons/grenade/hgrenb|weapons/proxmine/wstbexpl|items/kam_explode\.)"),
    ("explosion", NX + r"weapons/(rocket_impact|grenade_impact|hagexp\d)\."),
    ("explosion", UF + r"(weapons/explosion(-grenade|-rocket)?|geoscape/combat-(explosion|rocket-exp))\."),
    ("explosion", MT + r"tnt/sounds/tnt_explode"),
    ("gunshot", WN + r"(gunshot|thunderstick)\."),
    ("gunshot", HW + r"(gun|shotgunfire|minigun)\.ogg"),
    ("gunshot", UF + r"weapons/bullet-(pistol|rifle|smg|shotgun|shotgunmini|sniper|hmg|chaingun)[-.\d]"),
    ("gunshot", OA + r"weapons/(machinegun/machgf|shotgun/sshotf|vulcan/vulcanf)\d"),
    ("gunshot", NX + r"weapons/(campingrifle|shotgun|uzi)_fire"),
    ("gunshot", SC + r"shoot/(machinegun|shotgun)\."),
    ("gunshot", WZ + r"sfx/weapons/(asltmg|mgbar\d|mgheavy|mgtower)\."),
    ("fire", WN + r"(fire\.wav|flame-big\.|torch\.|melee-fire|ambient/campfire)"),
    ("fire", HW + r"(flamethrower|blowtorch|molotov)\.ogg"),
    ("fire", LC + r"Fire\d"),
    ("fire", UF + r"(ambience/(fire\d*|firesoft|smallfire)|weapons/flamer-(big|small))\."),
    ("fire", OA + r"world/(fire\d|firesoft)\."),
    ("fire", MT + r"fire/sounds/fire_(fire\.\d|large|small)\."),
    ("fire", WZ + r"sfx/weapons/flmthrow\."),
    ("water", HW + r"(splash|Droplet\d)\.ogg"),
    ("water", WN + r"water-blast"),
    ("water", LC + r"(Water|ParklandLake)\d"),
    ("water", TP + r"household/toilet"),
    ("water", UF + r"ambience/(water\d*|waterfontain)\."),
    ("water", OA + r"(world/waterfall|player/watr_(in|out))\."),
    ("water", NX + r"(ambient/water|desertfactory/pipewater_loop)\."),
    ("water", SC + r"misc/(splash|oceanwaves)\."),
    ("water", MT + r"env_sounds/sounds/env_sounds_water\."),
    ("water", MG + r"data/core/water_sounds/water\d"),
    ("water", GC + r"(core/resource/sounds/water|activities/canal_lock/resource/water_fill|activities/clickgame/resource/(drip|bubble))\."),
    ("engine", LC + r"(TraficHigh|TraficLow|RailTrain)\d"),
    ("engine", HW + r"(plane|rcplane)\.ogg"),
    ("engine", SC + r"(misc/(cessna|helicopter|apache_\d|f16_\d|f18_\d|jet|t38)|movement/tankmove)\."),
    ("engine", UF + r"ugv/diesel-(idle|move)\."),
    ("engine", WZ + r"sfx/vehicle/(con-move|tread|vtol-move)\."),
    ("engine", GCM + r"(LRStartAndStopCarEngine|LRTrain_slowing_down)"),
    ("impact", WN + r"(axe|club|mace|sword-1|staff|hatchet|fist|flail|spear)\."),
    ("impact", HW + r"(baseballbat|hammer|firepunch_hit)\.ogg"),
    ("impact", TP + r"household/tools/(hammer|mallet_metal)"),
    ("impact", WL + r"sound/(hammering/(hammering_\d|geologist_hammer)|smiths/(smith|toolsmith)_\d|woodcutting/(fast_)?woodcutting)"),
    ("impact", MGC + r"anvil\d"),
    ("impact", UF + r"(seq/sword-hit|impact/knife-impact)\."),
    ("impact", MT + r"default/sounds/default_dig_(choppy|cracky)\."),
    ("whoosh", WN + r"(miss-\d|dagger-swish|(club|mace|staff|flail|hatchet|spear)-miss)\."),
    ("whoosh", HW + r"throwrelease\.ogg"),
    ("whoosh", UF + r"(weapons/melee-(swoosh|throw)|seq/sword-fly)\."),
    ("footsteps", UF + r"footsteps/(carpet|dirt|grass|gravel|metal|sand|snow|stone|tile|wood|linoleum)\d*\."),
    ("footsteps", OA + r"player/footsteps/(boot|clank|energy|flesh|mech|step)\d"),
    ("footsteps", NX + r"misc/(metal)?footstep\d"),
    ("footsteps", MT + r"default/sounds/default_(dirt|glass|grass|gravel|hard|ice|metal|sand|snow|wood)_footstep"),
]
# Files that are cuts or takes of one recording session but do not share a stem: (path regex, group key template).
# The class is appended to the key (a group holds one class).
GROUP_RULES = [
    (HW + r"voices/([^/_]+)[^/]*/", "hedgewars-voice:{1}"),  # a voice pack and its translations
    (NX + r"player/([^/]+)/", "nexuiz-player:{1}"),  # one player model's voice
    (OA + r"player/([^/]+)/(pain|death)", "openarena-player:{1}"),
    (OA + r"weapons/([^/]+)/", "openarena-weapon:{1}"),  # machgf1b..4b, vulcanf1b..4b
    (NX + r"weapons/([a-z]+)_(fire|impact)", "nexuiz-weapon:{1}"),  # campingrifle_fire, _fire2
    (UF + r"(soldiers|civilians)/(?:civ)?(fem|male)", "ufoai-{1}:{2}"),  # one actor per sex and roster
    (UF + r"weapons/bullet-([a-z]+)", "ufoai-gun:{1}"),  # bullet-rifle, -rifle-3x, -rifle-8x: bursts of one shot
    (UF + r"ugv/diesel-", "ufoai-ugv:diesel"),
    (MGU + r"([^/]+)/", "megaglest-unit:{1}"),  # one unit's sound set
    (MGC + r"([a-z]+)_", "megaglest-common:{1}"),
    (MGT + r"([a-z_]+)\.", "megaglest-tileset:{1}"),  # the same file name in every tileset
    (WZ + r"taunts/(taunt\d)/", "warzone-taunt:{1}"),  # one speaker per folder
    (GCM + r"LR(Bark)_", "gcompris-memory-sound:{1}"),  # LRBark_1_LA_cut, LRBark_3_LA_cut
]
CLASSES = ["bird", "canine", "horse", "livestock", "insect", "laugh", "pain_cry", "explosion", "gunshot", "fire",
           "water", "engine", "impact", "whoosh", "footsteps"]
MIN_GROUPS = 6
CLIPS = {"full": {"train": 2000, "val": 300, "test": 600}, "quick": {"train": 200, "val": 60, "test": 120}}
FRACTIONS = {"test": 0.25, "val": 0.15}
MAX_EVENT = 4.0
MAX_SOURCE = 30.0  # seconds of each (silence-trimmed) source kept


def classify(rel):
    for label, pattern in RULES:
        if re.search(pattern, rel):
            return label
    return None


def group_of(rel, label):
    """Files that are cuts of one recording share a group: a GROUP_RULES match (a voice pack with its translations,
    one player model, one unit's sound set, ...) per class, otherwise the path with the extension and a trailing
    number (-1, _2, .3, 4) removed; wesnoth's .ogg/.wav twins too. See also merge_groups."""
    for pattern, template in GROUP_RULES:
        m = re.search(pattern, rel)
        if m:
            return template.format(*([None] + list(m.groups()))) + ":" + label
    stem = re.sub(r"\.(ogg|wav|oga)$", "", rel)
    return re.sub(r"[-_.]?\d+$", "", stem)


def envelope(x, rate=100, seconds=3.0):
    """Unit-norm RMS envelope (100 frames/s) of the first seconds of x: a crude fingerprint of a recording."""
    hop = hc.RATE // rate
    frames = min(len(x) // hop, int(seconds * rate))
    e = np.sqrt(np.mean(np.asarray(x[:frames * hop], dtype=np.float64).reshape(frames, hop) ** 2, axis=1))
    e = e - e.mean()
    return e / (np.linalg.norm(e) + 1e-12)


def merge_groups(meta, audio):
    """Merges groups of one class that probably hold the same recording, beyond what the path rules see:
    - stem groups of one package whose file names agree (case-insensitive, without extension and trailing number):
      scorched3d's apoc/none mods, wesnoth's core/campaigns, megaglest's tilesets;
    - any two groups with a near-identical file: durations within 2 % and RMS envelopes (first 3 s) correlated
      >= 0.95 (the same recording re-encoded or resampled in another package, e.g. Quake-derived firesoft.wav).
    meta: rel -> (label, group); audio: rel -> samples. Returns meta with merged group names (the smallest name)."""
    parent = {}

    def find(g):
        while parent.setdefault(g, g) != g:
            g = parent[g]
        return g

    def union(g, h):
        a, b = find(g), find(h)
        if a != b:
            parent[max(a, b)] = min(a, b)

    by_name = {}
    for rel, (label, group) in sorted(meta.items()):
        if ":" in group:
            continue
        name = re.sub(r"[-_.]?\d+$", "", re.sub(r"\.(ogg|wav|oga)$", "", os.path.basename(rel))).lower()
        union(by_name.setdefault((rel.split("/")[0], label, name), group), group)
    for label in CLASSES:
        rels = sorted(r for r, (c, _) in meta.items() if c == label)
        lengths = np.array([len(audio[r]) for r in rels], dtype=np.float64)
        prints = [envelope(audio[r]) for r in rels]
        for i in range(len(rels)):
            for j in range(i + 1, len(rels)):
                if abs(lengths[i] - lengths[j]) > 0.02 * max(lengths[i], lengths[j]):
                    continue
                n = min(len(prints[i]), len(prints[j]))
                if n >= 10 and float(np.dot(prints[i][:n], prints[j][:n])) >= 0.95:
                    union(meta[rels[i]][1], meta[rels[j]][1])
    return {rel: (label, find(group)) for rel, (label, group) in meta.items()}


def decode(job):
    """Source file -> 44.1 kHz mono float32 (silence-trimmed, at most MAX_SOURCE s), via sox; returns
    (rel, samples or None, why dropped)."""
    cache, rel = job
    out = os.path.join(cache, "decoded", hashlib.sha1(rel.encode()).hexdigest() + ".wav")
    if not os.path.exists(out):
        os.makedirs(os.path.dirname(out), exist_ok=True)
        done = subprocess.run(["sox", "-V1", "-R", "-D", os.path.join(cache, rel), "-b", "16", "-c", "1",
                               out + ".tmp.wav", "rate", "-v", str(hc.RATE)], capture_output=True, text=True)
        if done.returncode != 0:
            return rel, None, "sox cannot decode it: " + done.stderr.strip().replace("\n", " ")[:120]
        os.replace(out + ".tmp.wav", out)
    x, _ = hc.read_wav(out)
    x = hc.trim_silence(x, threshold_db=-40)
    if len(x) < 0.1 * hc.RATE or np.max(np.abs(x)) < 1e-3:
        return rel, None, "silent or shorter than 0.1 s"
    return rel, x[:int(MAX_SOURCE * hc.RATE)].astype(np.float32), ""  # events are <= 4 s; long ambiences are cut


def split_groups(groups_by_class):
    split_of = {}
    for label in CLASSES:
        groups = sorted(groups_by_class[label])
        assert len(groups) >= MIN_GROUPS, f"class {label} has only {len(groups)} source groups"
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
    for rel, x, why in decoded:
        if x is None:
            dropped.append((rel, why))
            continue
        digest = hashlib.sha1(np.round(x * 32767).astype("<i2").tobytes()).hexdigest()
        if digest in seen:
            dropped.append((rel, f"same audio as {seen[digest]}"))
            continue
        seen[digest] = rel
        kept.append((rel, x))

    meta = {}
    for rel, _ in kept:
        label = classify(rel)
        meta[rel] = (label, group_of(rel, label))
    meta = merge_groups(meta, dict(kept))
    groups_by_class = {c: set() for c in CLASSES}
    for label, group in meta.values():
        groups_by_class[label].add(group)
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
