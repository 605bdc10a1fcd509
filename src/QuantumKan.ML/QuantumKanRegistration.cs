using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.ML.Persistence;

namespace QuantumKan.ML;

/// <summary>Makes an <see cref="MLContext"/> able to load models that contain QuantumKan transformers.</summary>
public static class QuantumKanRegistration
{
    /// <summary>
    /// Registers the QuantumKan.ML model loader with this context's component catalog. Needed once per MLContext before
    /// <c>mlContext.Model.Load</c> of a zip holding QuantumKan transformers, unless a QuantumKan catalog extension was
    /// already used on the same context. Idempotent.
    /// </summary>
    /// <param name="mlContext">The context that will load models.</param>
    /// <returns>The same context, for chaining.</returns>
    public static MLContext RegisterQuantumKan(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ModelPersistence.Register(mlContext.ComponentCatalog);
        return mlContext;
    }

    /// <summary>Whether <see cref="RegisterQuantumKan"/> (or any QuantumKan catalog extension) ran on this context.</summary>
    public static bool IsQuantumKanRegistered(this MLContext mlContext) =>
        MlNetInternals.IsRegistered(mlContext.ComponentCatalog, ModelPersistence.LoaderSignature);

    /// <summary>
    /// Registers QuantumKan with the context and loads a model zip, like <c>mlContext.Model.Load</c>, but with
    /// QuantumKan's typed errors surfaced directly. ML.NET invokes loaders by reflection, so through plain
    /// <c>Model.Load</c> a <see cref="ModelFormatException"/> (naming the broken zip entry) arrives wrapped in
    /// <see cref="System.Reflection.TargetInvocationException"/>s; here it is rethrown as itself.
    /// </summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="path">The model zip path.</param>
    /// <param name="inputSchema">The input schema the model was saved with.</param>
    /// <returns>The loaded transformer (usually a chain).</returns>
    public static ITransformer LoadQuantumKanModel(this MLContext mlContext, string path, out DataViewSchema inputSchema)
    {
        mlContext.RegisterQuantumKan();
        try
        {
            return mlContext.Model.Load(path, out inputSchema);
        }
        catch (Exception ex) when (FindTyped(ex) is { } typed && typed != ex)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(typed).Throw();
            throw;
        }
    }

    private static Exception? FindTyped(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (e is ModelFormatException || e.GetType().Namespace?.StartsWith("QuantumKan", StringComparison.Ordinal) == true)
                return e;
        return null;
    }
}
