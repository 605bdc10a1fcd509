#!/usr/bin/env bash
# Measures NWaves 0.9.6 and NAudio 3.3.0 against QuantumKan.Audio (README, "Dependencies"), and prints which TorchSharp
# Microsoft.ML.TorchSharp 0.24.0 was built against. One thread for the timings; machines are shared, so compare ratios.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 QKAN_NUM_THREADS=1
dotnet build DependencyProbe/DependencyProbe.csproj -c Release -v q -nologo >/dev/null
taskset -c 0 dotnet DependencyProbe/bin/Release/net10.0/DependencyProbe.dll

# Microsoft.ML.TorchSharp: the TorchSharp version its nuspec names (restored into a scratch project, not built).
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
printf '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup><ItemGroup><PackageReference Include="Microsoft.ML.TorchSharp" Version="0.24.0" /></ItemGroup></Project>' > "$scratch/scratch.csproj"
dotnet restore "$scratch/scratch.csproj" -v q >/dev/null
cache=$(dotnet nuget locals global-packages --list | sed -E 's/^global-packages: *//')
echo "Microsoft.ML.TorchSharp 0.24.0 depends on: $(grep -o '<dependency id="TorchSharp[^/]*' "${cache%/}/microsoft.ml.torchsharp/0.24.0/microsoft.ml.torchsharp.nuspec" | sed 's/<dependency //' | sort -u | tr '\n' ' ')"

# Sep 0.18.0 and Sylvan.Data.Csv 1.4.4 on the CSV inputs QuantumKan.Data must reject or line-number (a file-based app).
dotnet run CsvLibraryProbe.cs
