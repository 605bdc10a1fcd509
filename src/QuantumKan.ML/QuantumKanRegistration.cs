using Microsoft.ML.Data;
using QuantumKan.ML.Persistence;
using QuantumKan.ML;

// ML.NET's convention: catalog extensions live in Microsoft.ML, so `using Microsoft.ML;` finds them.
namespace Microsoft.ML;

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
    /// Registers QuantumKan with the context and loads a model zip, like <c>mlContext.Model.Load</c>, but with every
    /// failure to read the file reported as one <see cref="ModelFormatException"/> whose message names the file and
    /// says what is wrong with it: a directory or FIFO given as the model, a truncated or corrupt zip, a zip that is not
    /// an ML.NET model, a missing or damaged entry. (Through plain <c>Model.Load</c> these arrive as ML.NET's own
    /// reflection and format exceptions, without the file's name.)
    /// </summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="path">The model zip path.</param>
    /// <param name="inputSchema">The input schema the model was saved with.</param>
    /// <returns>The loaded transformer (usually a chain).</returns>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="ModelFormatException">The file is not a readable QuantumKan model zip; the message names it.</exception>
    public static ITransformer LoadQuantumKanModel(this MLContext mlContext, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrEmpty(path);
        mlContext.RegisterQuantumKan();
        path = Path.GetFullPath(path);
        ModelZipCheck.Run(path);
        try
        {
            return mlContext.Model.Load(path, out inputSchema);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
            if (FindTyped(ex) is ModelFormatException format)
                throw format.InFile(path);
            if (FindTyped(ex) is { } typed)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(typed).Throw();
                throw;
            }
            throw ModelFormatException.ForFile(path, $"is not a valid QuantumKan model zip: ML.NET could not load it ({Innermost(ex).Message})", ex);
        }
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex is System.Reflection.TargetInvocationException or AggregateException && ex.InnerException is not null)
            ex = ex.InnerException;
        return ex;
    }

    private static Exception? FindTyped(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (e is ModelFormatException || e.GetType().Namespace?.StartsWith("QuantumKan", StringComparison.Ordinal) == true)
                return e;
        return null;
    }
}
