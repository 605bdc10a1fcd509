#!/usr/bin/env bash
# Held-out quality of the QuantumKan models on audio this project did not generate (bench/RESULTS.md, "Held-out quality").
#
#   bench/heldout.sh [--work DIR] [--runs NAME,...] [--seed N]
#
# Builds the two held-out sets with bench/datasets/*.sh (spoken words from Debian's speech synthesizers, split by voice
# with flite held out entirely; multi-label mixtures of recorded sounds from Debian game/data packages, split by source
# recording) unless they exist, then trains each configuration with `qkan train` and scores the eval (test) split with
# `qkan evaluate`, exactly as a user would; --seed N goes to every `qkan train` (RESULTS uses seeds 1, 2, 3).
# Every run's log lands in DIR/<run>.log; the summary prints the metric lines.
# On the 2-core development VM each run takes 5-15 minutes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${QKAN_HELDOUT_WORK:-/tmp/qkan-heldout}"
SEED=1
RUNS="words-default,words-linear4,sounds-long-default,sounds-long-linear4,sounds-long-mlp4,words-pooled,sounds-pooled"
# Also available (RESULTS rows): the first and second rounds' words-{encoder,linear,lowpass}, sounds-{encoder,
# encoder-noaug,linear}; the third round's words-skip, words-q0 and sounds-long-{encoder,linear,mlp,skip,q0,skip-q0};
# the fourth round's words-skip-lo, words-dh, words-dh-sd0, sounds-long-skip-lo, sounds-long-dh, sounds-long-dh-sd0,
# sounds-long-e20, sounds-long-linear-e20; the fifth round's words-warp, words-warp2, words-stretch, words-warp-stretch.
while [[ $# -gt 0 ]]; do
  case "$1" in
    --work) WORK="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$WORK"
WORDS="$WORK/spoken-words" SOUNDS="$WORK/recorded-sounds"
[[ -f "$WORDS/FSD50K.ground_truth/eval.csv" ]] || "$ROOT/bench/datasets/spoken-words.sh" "$WORDS"
[[ -f "$SOUNDS/FSD50K.ground_truth/eval.csv" ]] || "$ROOT/bench/datasets/recorded-sounds.sh" "$SOUNDS"

dotnet build "$ROOT/src/QuantumKan.Cli" -c Release -v quiet -nologo | grep -E " error |rror\(s\)" || true
QKAN=(dotnet "$ROOT/src/QuantumKan.Cli/bin/Release/net10.0/qkan.dll")

# The spoken-word recipe: the temporal encoder with per-clip mean normalization, mel-axis shift, SpecAugment masks,
# time shift and mixup; 20 epochs. The recorded-sounds recipe: 2 s crops, max over 2 s patches (an event anywhere
# makes the label), masks and mixup; 15 epochs. The pooled runs use the encoder-free network on 4-segment statistics.
# Runs of the first three rounds name the defaults they were measured with (contrastive target SharedLabel, one semantic
# KAN layer of width 64, skip dropout 0.5; the fourth round changed all three), so they reproduce their rows.
BEFORE4=(--contrastive-target SharedLabel --semantic-widths 64 --skip-dropout 0.5)
WORDS_AUG=(--clip-mean-norm --freq-shift 4 --freq-masks 2 --time-masks 2 --time-shift 10 --mixup 0.5)
SOUNDS_AUG=(--crop-frames 200 --inference PatchMax --freq-masks 2 --time-masks 2 --mixup 0.5)
run() {
  local name="$1" data="$2"; shift 2
  [[ ",$RUNS," == *",$name,"* ]] || return 0
  echo "== $name: qkan train $*"
  { "${QKAN[@]}" train --fsd50k "$data" --out "$WORK/$name/model.zip" --seed "$SEED" "$@" && \
    "${QKAN[@]}" evaluate --model "$WORK/$name/model.zip" --fsd50k "$data" --split eval; } > "$WORK/$name.log" 2>&1
  grep -E "Best validation|\| (accuracy|macro-F1|mAP|lwlrap) " "$WORK/$name.log" || tail -5 "$WORK/$name.log"
}
run words-encoder "$WORDS" --task Multiclass --epochs 20 --encoder Temporal "${WORDS_AUG[@]}" --head-input State "${BEFORE4[@]}"
run words-linear "$WORDS" --task Multiclass --epochs 20 --encoder Temporal "${WORDS_AUG[@]}" --classifier-head Linear "${BEFORE4[@]}"
run words-lowpass "$WORDS" --task Multiclass --epochs 20 --encoder Temporal "${WORDS_AUG[@]}" --low-pass 0.5 --head-input State "${BEFORE4[@]}"
run words-pooled "$WORDS" --task Multiclass --epochs 30 --encoder None "${BEFORE4[@]}"
run sounds-encoder "$SOUNDS" --epochs 15 --encoder Temporal "${SOUNDS_AUG[@]}" --head-input State "${BEFORE4[@]}"
run sounds-encoder-noaug "$SOUNDS" --epochs 15 --encoder Temporal --head-input State "${BEFORE4[@]}"
run sounds-linear "$SOUNDS" --epochs 10 --encoder Temporal --classifier-head Linear "${BEFORE4[@]}"
run sounds-pooled "$SOUNDS" --epochs 30 --encoder None "${BEFORE4[@]}"
# Third round (bench/RESULTS.md): the skip connection into the KAN head (--head-input StateAndClip, skip dropout 0.5 by
# default; the default head input for frame encoders since then, so the rounds before it name --head-input State), no
# fidelity contrastive loss (--loss-quantum 0), and for the recorded sounds 6 s training crops scored on the whole clip
# (1 s crops of weakly labelled 1-10 s mixtures mostly miss the labelled events).
SOUNDS_LONG=(--epochs 10 --encoder Temporal --crop-frames 600 --inference WholeClip)
run words-skip "$WORDS" --task Multiclass --epochs 20 --encoder Temporal "${WORDS_AUG[@]}" --head-input StateAndClip "${BEFORE4[@]}"
run words-q0 "$WORDS" --task Multiclass --epochs 20 --encoder Temporal "${WORDS_AUG[@]}" --loss-quantum 0 --head-input State "${BEFORE4[@]}"
run sounds-long-encoder "$SOUNDS" "${SOUNDS_LONG[@]}" --head-input State "${BEFORE4[@]}"
run sounds-long-linear "$SOUNDS" "${SOUNDS_LONG[@]}" --classifier-head Linear "${BEFORE4[@]}"
run sounds-long-mlp "$SOUNDS" "${SOUNDS_LONG[@]}" --classifier-head Mlp "${BEFORE4[@]}"
run sounds-long-skip "$SOUNDS" "${SOUNDS_LONG[@]}" --head-input StateAndClip "${BEFORE4[@]}"
run sounds-long-q0 "$SOUNDS" "${SOUNDS_LONG[@]}" --loss-quantum 0 --head-input State "${BEFORE4[@]}"
run sounds-long-skip-q0 "$SOUNDS" "${SOUNDS_LONG[@]}" --head-input StateAndClip --loss-quantum 0 "${BEFORE4[@]}"
# Fourth round (bench/RESULTS.md): the LabelOverlap contrastive target with the third round's head (skip-lo), the
# library's defaults since then (LabelOverlap, no semantic layer, skip dropout 0.25: default), the same encoder with
# linear / MLP heads, the head without semantic layers at skip dropout 0.5 (SharedLabel) and 0, and 20-epoch runs of
# the third round's default and linear head.
run words-skip-lo "$WORDS" --task Multiclass --epochs 20 --encoder Temporal "${WORDS_AUG[@]}" --semantic-widths 64 --skip-dropout 0.5
run words-default "$WORDS" --task Multiclass --epochs 20 --encoder Temporal "${WORDS_AUG[@]}"
run words-linear4 "$WORDS" --task Multiclass --epochs 20 --encoder Temporal "${WORDS_AUG[@]}" --classifier-head Linear --semantic-widths 64
run words-dh "$WORDS" --task Multiclass --epochs 20 --encoder Temporal "${WORDS_AUG[@]}" --semantic-widths none --skip-dropout 0.5 --contrastive-target SharedLabel
run words-dh-sd0 "$WORDS" --task Multiclass --epochs 20 --encoder Temporal "${WORDS_AUG[@]}" --semantic-widths none --skip-dropout 0
# Fifth round (RESULTS, 2026-12-08): mel-axis warp and time stretch on top of the words recipe.
run words-warp "$WORDS" --task Multiclass --epochs 20 --encoder Temporal "${WORDS_AUG[@]}" --freq-warp 0.1
run words-warp2 "$WORDS" --task Multiclass --epochs 20 --encoder Temporal "${WORDS_AUG[@]}" --freq-warp 0.2
run words-stretch "$WORDS" --task Multiclass --epochs 20 --encoder Temporal "${WORDS_AUG[@]}" --time-stretch 0.15
run words-warp-stretch "$WORDS" --task Multiclass --epochs 20 --encoder Temporal "${WORDS_AUG[@]}" --freq-warp 0.1 --time-stretch 0.15
run sounds-long-skip-lo "$SOUNDS" "${SOUNDS_LONG[@]}" --semantic-widths 64 --skip-dropout 0.5
run sounds-long-default "$SOUNDS" "${SOUNDS_LONG[@]}"
run sounds-long-linear4 "$SOUNDS" "${SOUNDS_LONG[@]}" --classifier-head Linear --semantic-widths 64
run sounds-long-mlp4 "$SOUNDS" "${SOUNDS_LONG[@]}" --classifier-head Mlp --semantic-widths 64
run sounds-long-dh "$SOUNDS" "${SOUNDS_LONG[@]}" --semantic-widths none --skip-dropout 0.5 --contrastive-target SharedLabel
run sounds-long-dh-sd0 "$SOUNDS" "${SOUNDS_LONG[@]}" --semantic-widths none --skip-dropout 0
run sounds-long-e20 "$SOUNDS" --epochs 20 --encoder Temporal --crop-frames 600 --inference WholeClip "${BEFORE4[@]}"
run sounds-long-linear-e20 "$SOUNDS" --epochs 20 --encoder Temporal --crop-frames 600 --inference WholeClip --classifier-head Linear "${BEFORE4[@]}"
