#!/usr/bin/env bash
# Recorded-sounds held-out set (multi-label, 15 classes mixed from real recordings in Debian game/data packages,
# source recordings split disjointly). See README.md.
#   bench/datasets/recorded-sounds.sh [OUT_ROOT] [--quick]
# OUT_ROOT defaults to bench/datasets/out/recorded-sounds (git-ignored). The packages are fetched with
# `apt-get download` (not installed); only their audio files are unpacked, into $HELDOUT_SOURCE_CACHE
# (default OUT_ROOT/.sources), once; audio inside game archives (zip: .pk3, .wz; Qt resources: .rcc) goes to
# "<archive>.d/" and the archive is deleted. Music folders are skipped. sox and python3-numpy are installed when missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/out/recorded-sounds"
extra=()
for a in "$@"; do
  case "$a" in
    --*) extra+=("$a") ;;
    *) root="$a" ;;
  esac
done
cache="${HELDOUT_SOURCE_CACHE:-$root/.sources}"
packages=(tuxpaint-stamps-default wesnoth-1.16-data hedgewars-data lincity-ng-data ufoai-sound openarena-data
  nexuiz-data scorched3d-data warzone2100-data minetest-data megaglest-data widelands-data gcompris-qt-data)

sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
need=()
command -v sox >/dev/null || need+=(sox)
sox -h 2>/dev/null | grep -q 'vorbis' || need+=(libsox-fmt-all)
/usr/bin/python3 -c 'import numpy' 2>/dev/null || need+=(python3-numpy)
if [ ${#need[@]} -gt 0 ]; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${need[@]}"
fi

mkdir -p "$root" "$cache"
updated=""
for pkg in "${packages[@]}"; do
  [ -f "$cache/$pkg/.version" ] && continue
  tmp="$(mktemp -d)"
  chmod 777 "$tmp"
  if ! (cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>&1); then
    [ -n "$updated" ] || { $sudo apt-get update -qq; updated=1; }
    (cd "$tmp" && apt-get download -q "$pkg")
  fi
  deb="$(ls "$tmp"/*.deb)"
  rm -rf "$cache/$pkg"; mkdir -p "$cache/$pkg"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$cache/$pkg" --wildcards --no-anchored \
    --exclude='*_desc*' --exclude='*/music/*' --exclude='*/Music/*' '*.ogg' '*.wav' '*.pk3' '*.wz' '*.rcc' 2>/dev/null || true  # tar fails when a pattern matches nothing
  find "$cache/$pkg" -type f \( -name '*.pk3' -o -name '*.wz' -o -name '*.rcc' \) -print0 |
    xargs -0 -r /usr/bin/python3 "$here/unpack_audio.py"
  [ "$(find "$cache/$pkg" -type f | wc -l)" -gt 0 ] || { echo "no audio unpacked from $pkg" >&2; exit 1; }
  dpkg-deb -f "$deb" Version > "$cache/$pkg/.version"
  rm -rf "$tmp"
  echo "unpacked $pkg $(cat "$cache/$pkg/.version")"
done
for pkg in "${packages[@]}"; do echo "$pkg,$(cat "$cache/$pkg/.version")"; done > "$root/packages.csv"

exec /usr/bin/python3 "$here/recorded_sounds.py" "$root" "$cache" "${extra[@]}"
