using BenchmarkDotNet.Running;

// Each area adds its benchmark classes in its own folder (Audio/, Kan/, Quantum/, Training/, Inference/).
QuantumKan.Core.TorchRuntime.EnsureInitialized();
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
