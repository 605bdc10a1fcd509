#!/usr/bin/env bash
# Peak memory of `qkan predict` against clip length: writes white-noise WAVs (16-bit mono 44.1 kHz) of the given
# lengths and scores each with one qkan process under /usr/bin/time, printing its maximum resident set size.
# Usage: bench/predict-memory.sh MODEL.zip [QKAN_DLL] [MINUTES...]
#   QKAN_DLL defaults to this checkout's Release build (dotnet build -c Release src/QuantumKan.Cli first);
#   pass another build's qkan.dll to compare commits. MINUTES defaults to "1 10 30".
set -euo pipefail
model=${1:?usage: bench/predict-memory.sh MODEL.zip [QKAN_DLL] [MINUTES...]}
here=$(cd "$(dirname "$0")/.." && pwd)
qkan=${2:-$here/src/QuantumKan.Cli/bin/Release/net10.0/qkan.dll}
shift $(( $# >= 2 ? 2 : 1 ))
minutes=${*:-1 10 30}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
le32() { printf "\\x$(printf %02x $(( $1 & 255 )))\\x$(printf %02x $(( ($1 >> 8) & 255 )))\\x$(printf %02x $(( ($1 >> 16) & 255 )))\\x$(printf %02x $(( ($1 >> 24) & 255 )))"; }
echo "| clip | file (MB) | peak RSS (MB) |"
echo "|---|---|---|"
for m in $minutes; do
  wav="$dir/noise-${m}min.wav"
  bytes=$(( m * 60 * 44100 * 2 ))
  { printf 'RIFF'; le32 $(( bytes + 36 )); printf 'WAVEfmt '; le32 16; printf '\x01\x00\x01\x00'; le32 44100; le32 88200; printf '\x02\x00\x10\x00';
    printf 'data'; le32 "$bytes"; head -c "$bytes" /dev/urandom; } > "$wav"
  /usr/bin/time -f '%M' -o "$dir/rss" dotnet "$qkan" predict --threads 1 -m "$model" "$wav" > "$dir/out" 2>&1 || { cat "$dir/out"; exit 1; }
  echo "| $m min | $(( $(stat -c %s "$wav") / 1000000 )) | $(( $(cat "$dir/rss") / 1024 )) |"
  rm -f "$wav"
done
