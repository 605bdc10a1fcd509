#!/bin/bash
# CPU thread sweep on the GPU machine's 16-core host (packed by bench/device/pack.sh; same setup as run-on-device.sh):
# QuantumKan.Bench device --devices cpu at QKAN_NUM_THREADS = 1, 2, 4, 8, 16. Writes into $OUT.
set -uo pipefail
OUT="${OUT:-/tmp/qkan-device}"; mkdir -p "$OUT"
exec > >(tee "$OUT/threads-log.txt") 2>&1
PY=python3
TL=$($PY -c "import torch,os;print(os.path.join(os.path.dirname(torch.__file__),'lib'))")
mkdir -p /opt/dn /opt/app
tar -C /opt/dn -xJf .gpu/dotnet-rt.tar.xz
tar -C /opt/app -xJf .gpu/app.tar.xz
N=/opt/app/runtimes/linux-x64/native
for f in $(cat .gpu/native-list.txt); do if [ -e $TL/$f ]; then ln -sf $TL/$f $N/$f; else : > $N/$f; fi; done
export DOTNET_ROOT=/opt/dn LD_LIBRARY_PATH=$TL DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
lscpu | grep -E "Model name|^CPU\(s\)|Thread|Core"
/opt/dn/dotnet /opt/app/QuantumKan.Bench.dll generate --data /tmp/data --train 960 --eval 320
for t in 1 2 4 8 16; do
  echo "== QKAN_NUM_THREADS=$t"
  QKAN_NUM_THREADS=$t timeout 120 /opt/dn/dotnet /opt/app/QuantumKan.Bench.dll device --data /tmp/data --out $OUT/cpu-threads-$t.json --devices cpu --epochs 10 --batches 32 256 --wide-clips 1024
done
