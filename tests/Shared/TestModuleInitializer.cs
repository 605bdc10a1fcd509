using System.Runtime.CompilerServices;

namespace QuantumKan.Tests.Shared;

internal static class TestModuleInitializer
{
    /// <summary>Configures libtorch (passive OpenMP waits, thread count) before any test touches torch directly.</summary>
    [ModuleInitializer]
    internal static void Initialize() => QuantumKan.Core.TorchRuntime.EnsureInitialized();
}
