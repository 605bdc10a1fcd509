using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace QuantumKan.ML.Persistence;

/// <summary>
/// Saves and loads every QuantumKan.ML transformer inside ML.NET model zips. This is the one persistence route of the
/// library; see <see cref="MlNetInternals"/> for why it needs reflection.
/// <para>
/// On disk, each transformer is one ML.NET model directory: its <c>Model.key</c> stream holds a short header (the
/// transformer kind, its state-layout version, and the list of sections) and each state section is a separate zip entry
/// (see <see cref="ModelStateWriter"/>).
/// </para>
/// <para>
/// Loading needs the loader registered in the MLContext's <see cref="ComponentCatalog"/>:
/// <see cref="Microsoft.ML.QuantumKanRegistration.RegisterQuantumKan"/>. Every QuantumKan catalog extension does this itself, so only a process that
/// loads a model before touching any QuantumKan API must call it. When it is forgotten, the header's alternative loader
/// signature routes ML.NET to its own custom-mapping loader, whose "unable to locate an extension for the contract"
/// error then quotes our contract string, which says exactly which call to make.
/// </para>
/// </summary>
public static class ModelPersistence
{
    internal const string LoaderSignature = "QuantumKanTransformer";

    /// <summary>The exact call a user must make before <c>Model.Load</c> in a fresh process. Quoted in the error.</summary>
    public const string RegistrationHint =
        "QuantumKan.ML is not registered with this MLContext: call mlContext.RegisterQuantumKan() (namespace Microsoft.ML) once before mlContext.Model.Load";

    // The header masquerades as ML.NET's CustomTransformer model (signature CUSTOMXF, versions 0x00010002), so that an
    // unregistered MLContext falls back to that loader, which reads two strings (contract, assembly) and then fails
    // quoting the contract. A registered context uses our loader (the primary signature) and never reaches that path.
    private const string HeaderModelSignature = "CUSTOMXF";
    private const uint HeaderVersion = 0x00010002;
    private const string FallbackLoaderSignature = "CustomTransformer";

    /// <summary>Version of our own header layout inside Model.key.</summary>
    internal const int FormatVersion = 1;

    private static readonly ConcurrentDictionary<string, KindRegistration> Kinds = new(StringComparer.Ordinal);
    private static readonly Lazy<bool> AssemblyKindsScanned = new(ScanAssemblyKinds);

    private sealed record KindRegistration(Type Type, int Version, Func<IHostEnvironment, ModelStateReader, ITransformer> Load);

    internal static void Register(IHostEnvironment env) => Register(env.ComponentCatalog);

    internal static void Register(ComponentCatalog catalog)
    {
        MlNetInternals.Validate();
        _ = AssemblyKindsScanned.Value;
        var create = typeof(ModelPersistence).GetMethod(nameof(CreateFromLoadContext), BindingFlags.Static | BindingFlags.NonPublic)!;
        MlNetInternals.RegisterModelLoader(catalog, typeof(ITransformer), LoaderSignature, create);
    }

    /// <summary>
    /// Registers a persistable transformer kind whose type is outside this assembly (transformers inside it are found
    /// through <see cref="PersistableTransformerAttribute"/>).
    /// </summary>
    internal static void RegisterKind(string kind, Type type, int version, Func<IHostEnvironment, ModelStateReader, ITransformer> load)
    {
        if (!Kinds.TryAdd(kind, new KindRegistration(type, version, load)) && Kinds[kind].Type != type)
            throw new InvalidOperationException($"Persistence kind '{kind}' is already registered for {Kinds[kind].Type}.");
    }

    private static bool ScanAssemblyKinds()
    {
        foreach (var type in typeof(ModelPersistence).Assembly.GetTypes())
        {
            var attr = type.GetCustomAttribute<PersistableTransformerAttribute>();
            if (attr is null)
                continue;
            var load = type.GetMethod("Load", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public, null,
                           [typeof(IHostEnvironment), typeof(ModelStateReader)], null)
                       ?? throw new InvalidOperationException($"{type} is marked persistable but has no static Load(IHostEnvironment, ModelStateReader).");
            RegisterKind(attr.Kind, type, attr.Version,
                (env, reader) => (ITransformer)load.Invoke(null, [env, reader])!);
        }
        return true;
    }

    /// <summary>Saves a transformer; called from its <see cref="ICanSaveModel.Save"/>.</summary>
    internal static void Save(ModelSaveContext ctx, QuantumKanTransformerBase transformer)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (!MlNetInternals.InRepository(ctx))
            throw new NotSupportedException("QuantumKan transformers save into model repositories (mlContext.Model.Save), not single streams.");
        _ = AssemblyKindsScanned.Value;
        var kind = transformer.PersistenceKind;
        if (!Kinds.TryGetValue(kind, out var registration))
            throw new InvalidOperationException($"Transformer kind '{kind}' ({transformer.GetType()}) is not registered for persistence.");

        var state = new ModelStateWriter();
        transformer.SaveState(state);

        MlNetInternals.CheckAtModel(ctx);
        MlNetInternals.SetVersionInfo(ctx, HeaderVersionInfo());
        // Read by ML.NET's fallback loader when this context was never registered (see the class remarks).
        MlNetInternals.SaveString(ctx, RegistrationHint);
        MlNetInternals.SaveString(ctx, typeof(ModelPersistence).Assembly.FullName!);

        var w = MlNetInternals.Writer(ctx);
        w.Write(FormatVersion);
        w.Write(kind);
        w.Write(registration.Version);
        w.Write(state.Sections.Count);
        foreach (var (name, payload) in state.Sections)
        {
            w.Write(name);
            MlNetInternals.SaveBinaryStream(ctx, SectionEntryName(name), bw => SectionFrame.Write(bw, payload));
        }
    }

    // Invoked by ML.NET through the registered loadable class: (env, ModelLoadContext).
    private static ITransformer CreateFromLoadContext(IHostEnvironment env, object ctx)
    {
        if (!MlNetInternals.IsLoadContext(ctx))
            throw new ArgumentException("Expected an ML.NET ModelLoadContext.", nameof(ctx));
        var dir = MlNetInternals.Directory(ctx);
        var keyEntry = EntryPath(dir, "Model.key");
        try
        {
            MlNetInternals.CheckAtModel(ctx, HeaderVersionInfo());
            _ = MlNetInternals.LoadString(ctx);
            _ = MlNetInternals.LoadString(ctx);
        }
        catch (Exception ex) when (ex is not ModelFormatException and not OutOfMemoryException)
        {
            throw new ModelFormatException(keyEntry, $"unreadable header ({ex.Message})", ex);
        }

        var r = MlNetInternals.Reader(ctx);
        string kind;
        int kindVersion;
        List<string> names;
        try
        {
            var format = r.ReadInt32();
            if (format > FormatVersion || format < 1)
                throw new ModelFormatException(keyEntry, $"format version {format} is not supported by this QuantumKan.ML (supports 1..{FormatVersion})");
            kind = r.ReadString();
            kindVersion = r.ReadInt32();
            var count = r.ReadInt32();
            if (count is < 0 or > 1024)
                throw new ModelFormatException(keyEntry, $"section count {count} is out of range");
            names = new List<string>(count);
            for (int i = 0; i < count; i++)
                names.Add(r.ReadString());
        }
        catch (EndOfStreamException ex)
        {
            throw new ModelFormatException(keyEntry, "truncated header", ex);
        }
        catch (IOException ex)
        {
            throw new ModelFormatException(keyEntry, $"unreadable header ({ex.Message})", ex);
        }

        _ = AssemblyKindsScanned.Value;
        if (!Kinds.TryGetValue(kind, out var registration))
            throw new ModelFormatException(keyEntry, $"unknown transformer kind '{kind}' (written by a newer QuantumKan.ML?)");
        if (kindVersion > registration.Version || kindVersion < 1)
            throw new ModelFormatException(keyEntry, $"'{kind}' state version {kindVersion} is not supported by this QuantumKan.ML (supports 1..{registration.Version})");

        var sections = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var entry = EntryPath(dir, SectionEntryName(name));
            byte[]? payload = null;
            bool found = MlNetInternals.TryLoadBinaryStream(ctx, SectionEntryName(name), br => payload = SectionFrame.Read(br, entry));
            if (!found || payload is null)
                throw new ModelFormatException(entry, "is missing from the zip");
            sections[name] = payload;
        }

        var reader = new ModelStateReader(dir, kind, kindVersion, sections);
        try
        {
            return registration.Load(env, reader);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }

    // The loader assembly named in the header is the one ML.NET registers before resolving loaders. It is
    // Microsoft.ML.Transforms, home of the fallback CustomTransformer loader, so that the fallback (and its message)
    // is reachable in an unregistered context; our own loader is found through registration, not through this name.
    private static object HeaderVersionInfo() => MlNetInternals.NewVersionInfo(HeaderModelSignature, HeaderVersion, HeaderVersion, HeaderVersion,
        typeof(Microsoft.ML.Transforms.CustomMappingFactoryAttributeAttribute).Assembly.FullName!, LoaderSignature, FallbackLoaderSignature);

    internal static string SectionEntryName(string section) => section + ".qks";

    internal static string EntryPath(string directory, string name) =>
        string.IsNullOrEmpty(directory) ? name : directory.Replace('\\', '/') + "/" + name;
}

/// <summary>
/// Marks a transformer type in QuantumKan.ML as persistable under <see cref="Kind"/>. The type must have a static
/// <c>Load(IHostEnvironment, ModelStateReader)</c> returning the transformer.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PersistableTransformerAttribute(string kind, int version = 1) : Attribute
{
    /// <summary>The kind name written into model zips. Never change it once released.</summary>
    public string Kind { get; } = kind;

    /// <summary>The newest state-layout version this build writes and can read.</summary>
    public int Version { get; } = version;
}
