using BenchmarkDotNet.Running;
using QuantumKan.Bench.Compare;

// Driver modes (generate / compare / scale) serve bench/run.sh; anything else goes to BenchmarkDotNet, whose classes
// live in one folder per area (Audio/, Kan/, Quantum/, Training/, Inference/, Data/). Run BenchmarkDotNet with
// --inProcess: its out-of-process build does not carry the libtorch natives.
QuantumKan.Core.TorchRuntime.EnsureInitialized();
if (args.Length > 0 && DriverCommands.Names.Contains(args[0]))
    return DriverCommands.Run(args);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
