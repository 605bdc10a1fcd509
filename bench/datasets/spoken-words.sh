#!/usr/bin/env bash
# Spoken-words held-out set (multiclass, 10 words, synthesized voices split disjointly). See README.md.
#   bench/datasets/spoken-words.sh [OUT_ROOT] [--quick]
# OUT_ROOT defaults to bench/datasets/out/spoken-words (git-ignored). Installs its apt dependencies when missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/out/spoken-words"
extra=()
for a in "$@"; do
  case "$a" in
    --*) extra+=("$a") ;;
    *) root="$a" ;;
  esac
done

need=()
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v flite >/dev/null || need+=(flite)
command -v text2wave >/dev/null || need+=(festival)
[ -d /usr/share/festival/voices/english/kal_diphone ] || need+=(festvox-kallpc16k)
[ -d /usr/share/festival/voices/english/ked_diphone ] || need+=(festvox-kdlpc16k)
[ -d /usr/share/festival/voices/us/cmu_us_slt_arctic_hts ] || need+=(festvox-us-slt-hts)
for pkg in festvox-czech-dita festvox-czech-krb festvox-czech-machac festvox-czech-ph festvox-suopuhe-lj festvox-suopuhe-mv \
           festvox-italp16k festvox-itapc16k festvox-ca-ona-hts; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
command -v sox >/dev/null || need+=(sox)
/usr/bin/python3 -c 'import numpy' 2>/dev/null || need+=(python3-numpy)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${need[@]}"
fi

mkdir -p "$root"
exec /usr/bin/python3 "$here/spoken_words.py" "$root" "${extra[@]}"
