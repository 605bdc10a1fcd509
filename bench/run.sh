#!/usr/bin/env bash
# QuantumKan vs PyTorch 1.13 + torchaudio 0.13, side by side, in one invocation.
#
#   bench/run.sh [--rounds N] [--epochs E] [--train N] [--eval N] [--threads N] [--no-scaling] [--scaling-base N]
#                [--optimized-reference] [--openblas-reference] [--quick] [--probe] [--work DIR]
#   bench/run.sh --encoder [--rounds N] [--epochs E] [--threads N] [--openblas-reference] [--gemm-reference]
#
# Builds bench/QuantumKan.Bench (Release), generates one synthetic multi-label data set (FSD50K layout, 44.1 kHz WAVs),
# then per round runs this project's driver (`QuantumKan.Bench compare`) and the PyTorch reference
# (bench/reference/reference_bench.py) one after the other on that data, and prints this project / reference ratios:
# featurization throughput (1 thread, all cores), training throughput (batch 32, precomputed features), single-clip
# latency p50/p90 (WAV path -> scores), peak RSS, plus the quality comparison against a plain MLP of the same size.
# Then the scaling run: featurize into the on-disk feature cache + train, at 1x, 4x and 16x the base size.
# --optimized-reference also runs the reference with QuantumKan's algorithmic changes applied to it (shared basis
# expansion, density-based normalization penalty), to show what is left once both sides compute the same way.
# --openblas-reference also runs the reference against OpenBLAS instead of the netlib reference BLAS that Debian's
# python3-torch links by default (the .deb is fetched with `apt-get download` and unpacked under the work folder;
# nothing is installed system-wide): it shows how much of the gap is the peer's BLAS.
# A QuantumKan run that crashes is retried once and counted (see RESULTS.md: a TorchSharp 0.107 Scalar lifetime race).
# --quick is the CI smoke run: tiny sizes, one epoch pair, no scaling.
# --probe runs only the option probe behind the network's defaults (QuantumKanNetworkOptions): each variant and the
# same-size MLP, two seeds, on the same data set (about 7 minutes on 2 cores); no PyTorch needed.
# --encoder compares the frame-encoder network instead (Temporal encoder, the head reading the quantum state alone as the
# PyTorch twin builds it; default 6 epochs):
# `QuantumKan.Bench compare-encoder` against bench/reference/encoder_bench.py, printing training clips/s (batch 32,
# 100-frame crops of precomputed frames), end to end WAV folder -> trained model, and single-clip latency (WAV path ->
# scores over the saved pipeline) as ratios (bench/reference/encoder_ratios.py). --gemm-reference also runs the
# reference with unfold + GEMM convolutions (QuantumKan's algorithm before 2026-12-07) instead of nn.Conv1d.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${QKAN_BENCH_WORK:-/tmp/qkan-bench}"
PROBE=0 ENCODER=0 GEMM_REFERENCE=0 EPOCHS_SET=0 ROUNDS=1 EPOCHS=20 TRAIN=960 EVAL=320 THREADS="$(nproc)" SCALING=1 SCALING_BASE=256 SCALING_EPOCHS=3 INFER_REPEATS=1 OPTIMIZED_REFERENCE=0 OPENBLAS_REFERENCE=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --epochs) EPOCHS="$2"; EPOCHS_SET=1; shift 2 ;;
    --train) TRAIN="$2"; shift 2 ;;
    --eval) EVAL="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --no-scaling) SCALING=0; shift ;;
    --optimized-reference) OPTIMIZED_REFERENCE=1; shift ;;
    --openblas-reference) OPENBLAS_REFERENCE=1; shift ;;
    --scaling-base) SCALING_BASE="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --probe) PROBE=1; shift ;;
    --encoder) ENCODER=1; shift ;;
    --gemm-reference) GEMM_REFERENCE=1; shift ;;
    --quick) ROUNDS=1 EPOCHS=2 TRAIN=64 EVAL=32 SCALING=0; shift ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [[ "$PROBE" -eq 1 ]]; then
  dotnet build "$ROOT/bench/QuantumKan.Bench" -c Release -v quiet -nologo | grep -E "error|Warn" || true
  BENCH=(dotnet "$ROOT/bench/QuantumKan.Bench/bin/Release/net10.0/QuantumKan.Bench.dll")
  mkdir -p "$WORK"
  "${BENCH[@]}" generate --data "$WORK/data-$TRAIN-$EVAL" --train "$TRAIN" --eval "$EVAL"
  QKAN_NUM_THREADS="$THREADS" "${BENCH[@]}" probe --data "$WORK/data-$TRAIN-$EVAL" --epochs "$EPOCHS" --out "$WORK/probe-$(date -u +%Y%m%dT%H%M%SZ).json"
  exit 0
fi

PY=/usr/bin/python3
if ! "$PY" -c 'import torch, torchaudio' 2>/dev/null; then
  echo "== installing Debian's python3-torch and python3-torchaudio (apt; PyPI is not used)"
  SUDO=""; [[ "$(id -u)" -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq python3-torch python3-torchaudio python3-numpy
fi

# Both sides run with the same OpenMP policy. QuantumKan sets PASSIVE itself (TorchRuntime); Debian's torch would
# otherwise spin-wait, which on a shared 2-core machine made the reference's single-clip latency 14x worse (measured).
export OMP_WAIT_POLICY=PASSIVE
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== building bench/QuantumKan.Bench (Release)"
dotnet build "$ROOT/bench/QuantumKan.Bench" -c Release -v quiet -nologo | grep -E "error|Warn|Elapsed" || true
BENCH=(dotnet "$ROOT/bench/QuantumKan.Bench/bin/Release/net10.0/QuantumKan.Bench.dll")

DATA="$WORK/data-$TRAIN-$EVAL"
RESULTS="$WORK/results-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$RESULTS"
"${BENCH[@]}" generate --data "$DATA" --train "$TRAIN" --eval "$EVAL"

# Runs a command under GNU time when present, writing its max RSS (kB) to the file named first.
timed() { local out="$1"; shift; if [[ -x /usr/bin/time ]]; then /usr/bin/time -f "%M" -o "$out" "$@"; else "$@"; fi; }

OPENBLAS_DIR=""
if [[ "$OPENBLAS_REFERENCE" -eq 1 ]]; then
  OPENBLAS_DIR="$WORK/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread"
  if [[ ! -e "$OPENBLAS_DIR/libblas.so.3" ]]; then
    echo "== fetching libopenblas0-pthread (apt-get download; unpacked under $WORK/openblas, not installed)"
    mkdir -p "$WORK/openblas" && (cd "$WORK/openblas" && apt-get download -qq libopenblas0-pthread 2>/dev/null && dpkg -x libopenblas0-pthread_*.deb .)
  fi
fi

# Reference variants: suffix, extra arguments, LD_LIBRARY_PATH.
VARIANTS=("pytorch||")
if [[ "$OPTIMIZED_REFERENCE" -eq 1 ]]; then VARIANTS+=("pytorch-optimized|--same-optimizations|"); fi
if [[ "$OPENBLAS_REFERENCE" -eq 1 ]]; then VARIANTS+=("pytorch-openblas||$OPENBLAS_DIR"); fi

if [[ "$ENCODER" -eq 1 ]]; then
  [[ "$EPOCHS_SET" -eq 1 ]] || EPOCHS=6
  VARIANTS=("pytorch||")   # --optimized-reference has no encoder counterpart
  if [[ "$OPENBLAS_REFERENCE" -eq 1 ]]; then VARIANTS+=("pytorch-openblas||$OPENBLAS_DIR"); fi
  if [[ "$GEMM_REFERENCE" -eq 1 ]]; then VARIANTS+=("pytorch-gemm|--gemm-conv|"); fi
  CRASHES=0
  for ((r = 1; r <= ROUNDS; r++)); do
    echo "== round $r/$ROUNDS: QuantumKan, encoder network ($THREADS threads)"
    for attempt in 1 2; do
      if timed "$RESULTS/round-$r.quantumkan.time" "${BENCH[@]}" compare-encoder --data "$DATA" --out "$RESULTS/round-$r.quantumkan.json" \
          --work "$WORK" --threads "$THREADS" --epochs "$EPOCHS" --infer-repeats "$INFER_REPEATS" \
          --band-stats-npy "$RESULTS/quantumkan-band-stats.npy" 2> "$RESULTS/round-$r.quantumkan.stderr-$attempt"; then
        break
      fi
      CRASHES=$((CRASHES + 1))
      echo "   QuantumKan run crashed ($(grep -m1 -o 'Exception[^.]*' "$RESULTS/round-$r.quantumkan.stderr-$attempt" || true)); log: $RESULTS/round-$r.quantumkan.stderr-$attempt"
      if [[ "$attempt" -eq 2 ]]; then echo "   crashed twice; stopping" >&2; exit 1; fi
    done
    for variant in "${VARIANTS[@]}"; do
      IFS="|" read -r suffix extra libpath <<< "$variant"
      echo "== round $r/$ROUNDS: PyTorch reference, encoder network${extra:+ $extra}${libpath:+ (OpenBLAS)}"
      # shellcheck disable=SC2086
      LD_LIBRARY_PATH="${libpath}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" timed "$RESULTS/round-$r.$suffix.time" "$PY" "$ROOT/bench/reference/encoder_bench.py" \
          --data "$DATA" --out "$RESULTS/round-$r.$suffix.json" --threads "$THREADS" --epochs "$EPOCHS" --infer-repeats "$INFER_REPEATS" \
          --csharp-json "$RESULTS/round-$r.quantumkan.json" --csharp-band-stats "$RESULTS/quantumkan-band-stats.npy" $extra
    done
  done
  echo "$CRASHES" > "$RESULTS/quantumkan-crashes.txt"
  echo
  echo "== $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "   command: bench/run.sh --encoder --rounds $ROUNDS --epochs $EPOCHS --train $TRAIN --eval $EVAL --threads $THREADS; results in $RESULTS"
  "$PY" "$ROOT/bench/reference/encoder_ratios.py" --rounds "$RESULTS" --markdown "$RESULTS/table.md"
  exit $?
fi

CRASHES=0
for ((r = 1; r <= ROUNDS; r++)); do
  echo "== round $r/$ROUNDS: QuantumKan"
  for attempt in 1 2; do
    if timed "$RESULTS/round-$r.quantumkan.time" "${BENCH[@]}" compare --data "$DATA" --out "$RESULTS/round-$r.quantumkan.json" \
        --threads "$THREADS" --epochs "$EPOCHS" --infer-repeats "$INFER_REPEATS" --features-npy "$RESULTS/quantumkan-features.npy" \
        2> "$RESULTS/round-$r.quantumkan.stderr-$attempt"; then
      break
    fi
    CRASHES=$((CRASHES + 1))
    echo "   QuantumKan run crashed ($(grep -m1 -o 'Exception[^.]*' "$RESULTS/round-$r.quantumkan.stderr-$attempt" || true)); log: $RESULTS/round-$r.quantumkan.stderr-$attempt"
    if [[ "$attempt" -eq 2 ]]; then echo "   crashed twice; stopping" >&2; exit 1; fi
  done
  for variant in "${VARIANTS[@]}"; do
    IFS="|" read -r suffix extra libpath <<< "$variant"
    echo "== round $r/$ROUNDS: PyTorch reference${extra:+ $extra}${libpath:+ (OpenBLAS)}"
    # shellcheck disable=SC2086
    LD_LIBRARY_PATH="${libpath}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" timed "$RESULTS/round-$r.$suffix.time" "$PY" "$ROOT/bench/reference/reference_bench.py" \
        --data "$DATA" --out "$RESULTS/round-$r.$suffix.json" --threads "$THREADS" --epochs "$EPOCHS" \
        --infer-repeats "$INFER_REPEATS" --csharp-features "$RESULTS/quantumkan-features.npy" $extra
  done
  for side in quantumkan pytorch; do
    if [[ -s "$RESULTS/round-$r.$side.time" ]]; then
      echo "   $side: max RSS by /usr/bin/time: $(( $(tail -1 "$RESULTS/round-$r.$side.time") / 1024 )) MB (largest process)"
    fi
  done
done
echo "$CRASHES" > "$RESULTS/quantumkan-crashes.txt"

SCALING_ARGS=()
if [[ "$SCALING" -eq 1 ]]; then
  SCALE_DATA="$WORK/data-scaling-$((16 * SCALING_BASE))"
  "${BENCH[@]}" generate --data "$SCALE_DATA" --train "$((16 * SCALING_BASE))" --eval 1
  for factor in 1 4 16; do
    echo "== scaling ${factor}x ($((factor * SCALING_BASE)) clips)"
    "${BENCH[@]}" scale --data "$SCALE_DATA" --clips "$((factor * SCALING_BASE))" --cache "$WORK/cache-scaling" \
        --epochs "$SCALING_EPOCHS" --out "$RESULTS/scale-$factor.json"
  done
  SCALING_ARGS=(--scaling "$RESULTS")
fi

echo
echo "== $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   command: bench/run.sh --rounds $ROUNDS --epochs $EPOCHS --train $TRAIN --eval $EVAL --threads $THREADS; results in $RESULTS"
"$PY" "$ROOT/bench/reference/ratios.py" --rounds "$RESULTS" "${SCALING_ARGS[@]}" --markdown "$RESULTS/table.md"
