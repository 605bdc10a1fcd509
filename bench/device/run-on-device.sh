#!/bin/bash
# GPU check for QuantumKan.ML (packed by bench/device/pack.sh): TorchSharp 0.107 on the machine's own PyTorch libtorch
# (CUDA), with the carried .NET runtime; then the PyTorch reference of the same network and loop. Writes into $OUT.
set -uo pipefail
OUT="${OUT:-/tmp/qkan-device}"; mkdir -p "$OUT"
exec > >(tee "$OUT/log.txt") 2>&1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
PY=python3
$PY -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, torch.cuda.is_available())"
TL=$($PY -c "import torch,os;print(os.path.join(os.path.dirname(torch.__file__),'lib'))")
ls $TL
mkdir -p /opt/dn /opt/app
tar -C /opt/dn -xJf .gpu/dotnet-rt.tar.xz
tar -C /opt/app -xJf .gpu/app.tar.xz
N=/opt/app/runtimes/linux-x64/native
for f in $(cat .gpu/native-list.txt); do if [ -e $TL/$f ]; then ln -sf $TL/$f $N/$f; else : > $N/$f; fi; done
for f in $TL/libtorch_cuda.so $TL/libc10_cuda.so; do ln -sf $f $N/; done
$PY - <<PYEOF
import ctypes, os
tl = "$TL"
for l in ["libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so"]:
    ctypes.CDLL(os.path.join(tl, l), mode=os.RTLD_GLOBAL | os.RTLD_NOW)
try:
    ctypes.CDLL("$N/libLibTorchSharp.so", mode=os.RTLD_NOW); print("LibTorchSharp (built for libtorch 2.10) resolves every symbol against this libtorch")
except OSError as e:
    print("LibTorchSharp does not load with RTLD_NOW:", e)
PYEOF
export DOTNET_ROOT=/opt/dn LD_LIBRARY_PATH=$TL DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
/opt/dn/dotnet /opt/app/QuantumKan.Bench.dll generate --data /tmp/data --train 960 --eval 320
timeout 300 /opt/dn/dotnet /opt/app/QuantumKan.Bench.dll device --data /tmp/data --out $OUT/device.json --devices cuda cpu --epochs 20 --batches 32 256 --npy-prefix /tmp/
echo "rc=$?"
unset LD_LIBRARY_PATH
timeout 300 $PY bench/reference/device_train.py --features /tmp/features.npy --labels /tmp/labels.npy --devices cuda cpu --epochs 20 --batches 32 256 --out $OUT/pytorch.json
echo "rc=$?"
