#!/usr/bin/env bash
# Packs the GPU check for a machine that has a CUDA PyTorch but neither .NET nor a CUDA libtorch NuGet package (none is
# served here): the .NET runtime and a framework-dependent publish of bench/QuantumKan.Bench, without the CPU libtorch
# natives. bench/device/run-on-device.sh then links the machine's own libtorch (PyTorch's torch/lib) in their place and
# runs `QuantumKan.Bench device` (this project on cuda and cpu) and bench/reference/device_train.py (PyTorch, the same
# network and loop) on the same features. Output: .gpu/ (git-ignored through .git/info/exclude).
#
#   bench/device/pack.sh        then, on the GPU machine, from the repository root:   bash bench/device/run-on-device.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
mkdir -p .git/info && { grep -qx "/.gpu/" .git/info/exclude 2>/dev/null || echo "/.gpu/" >> .git/info/exclude; }
rm -rf .gpu && mkdir -p .gpu
dotnet publish bench/QuantumKan.Bench -c Release -o .gpu/app -v quiet -nologo
NATIVE=.gpu/app/runtimes/linux-x64/native
# Everything libtorch ships (the CPU build) goes; LibTorchSharp (TorchSharp's own shim) and ML.NET's natives stay.
(cd "$NATIVE" && ls | grep -v -e '^libLibTorchSharp\.so$' -e '^libLdaNative') > .gpu/native-list.txt
while read -r f; do rm -f "$NATIVE/$f"; done < .gpu/native-list.txt
find .gpu/app/runtimes -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +
tar -cJf .gpu/app.tar.xz -C .gpu/app . && rm -rf .gpu/app
DOTNET_ROOT_DIR="$(dirname "$(readlink -f "$(command -v dotnet)")")"
tar -C "$DOTNET_ROOT_DIR" -cf - dotnet host shared/Microsoft.NETCore.App | xz -T0 -6 > .gpu/dotnet-rt.tar.xz
ls -la .gpu
echo "carry: .gpu/app.tar.xz .gpu/dotnet-rt.tar.xz .gpu/native-list.txt; run: bash bench/device/run-on-device.sh (or threads-on-device.sh)"
