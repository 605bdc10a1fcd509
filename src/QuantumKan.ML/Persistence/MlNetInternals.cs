using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace QuantumKan.ML.Persistence;

/// <summary>
/// The single, isolated reflection bridge to the ML.NET 6.0.0 members that a third-party transformer needs in order to
/// persist itself but that ML.NET keeps internal: <c>ModelSaveContext.SetVersionInfo/Writer/SaveString/SaveBinaryStream</c>,
/// the whole <c>ModelLoadContext</c> type, <c>VersionInfo</c>, loadable-class registration in the
/// <see cref="ComponentCatalog"/>, and the <see cref="SchemaShape.Column"/> and <see cref="TrainerInfo"/> constructors.
/// <para>
/// Everything is resolved once, eagerly, in the static constructor: if an ML.NET update renames one of these members,
/// the first use fails with a <see cref="MlNetCompatibilityException"/> that names the member, rather than later in
/// the middle of saving a model. The tests pin every member used here.
/// </para>
/// </summary>
internal static class MlNetInternals
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
    private const BindingFlags Static = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

    private static readonly Assembly CoreAssembly = typeof(ModelSaveContext).Assembly;

    private static readonly Type VersionInfoType = CoreType("Microsoft.ML.VersionInfo");
    private static readonly Type ModelLoadContextType = CoreType("Microsoft.ML.ModelLoadContext");
    private static readonly Type SignatureLoadModelType = CoreType("Microsoft.ML.SignatureLoadModel");
    private static readonly Type LoadableClassAttributeType = CoreType("Microsoft.ML.LoadableClassAttribute");
    private static readonly Type LoadableClassInfoType =
        typeof(ComponentCatalog).GetNestedType("LoadableClassInfo", BindingFlags.NonPublic | BindingFlags.Public)
        ?? throw Missing("ComponentCatalog.LoadableClassInfo");

    private static readonly ConstructorInfo VersionInfoCtor = VersionInfoType.GetConstructor(Instance, null,
        [typeof(string), typeof(uint), typeof(uint), typeof(uint), typeof(string), typeof(string), typeof(string)], null)
        ?? throw Missing("VersionInfo..ctor");

    // ModelSaveContext
    private static readonly MethodInfo SaveCheckAtModel = Method(typeof(ModelSaveContext), "CheckAtModel", Type.EmptyTypes);
    private static readonly MethodInfo SaveSetVersionInfo = Method(typeof(ModelSaveContext), "SetVersionInfo", [VersionInfoType]);
    private static readonly MethodInfo SaveSaveString = Method(typeof(ModelSaveContext), "SaveString", [typeof(string)]);
    private static readonly MethodInfo SaveSaveBinaryStream = Method(typeof(ModelSaveContext), "SaveBinaryStream", [typeof(string), typeof(Action<BinaryWriter>)]);
    private static readonly FieldInfo SaveWriter = Field(typeof(ModelSaveContext), "Writer");
    private static readonly FieldInfo SaveDirectory = Field(typeof(ModelSaveContext), "Directory");
    private static readonly PropertyInfo SaveInRepository = typeof(ModelSaveContext).GetProperty("InRepository", Instance) ?? throw Missing("ModelSaveContext.InRepository");

    // ModelLoadContext
    private static readonly MethodInfo LoadCheckAtModel = Method(ModelLoadContextType, "CheckAtModel", [VersionInfoType]);
    private static readonly MethodInfo LoadLoadString = Method(ModelLoadContextType, "LoadString", Type.EmptyTypes);
    private static readonly MethodInfo LoadTryLoadBinaryStream = Method(ModelLoadContextType, "TryLoadBinaryStream", [typeof(string), typeof(Action<BinaryReader>)]);
    private static readonly FieldInfo LoadReader = Field(ModelLoadContextType, "Reader");
    private static readonly FieldInfo LoadDirectory = Field(ModelLoadContextType, "Directory");

    // ComponentCatalog
    private static readonly ConstructorInfo LoadableClassAttributeCtor = LoadableClassAttributeType.GetConstructor(Instance, null,
        [typeof(string), typeof(Type), typeof(Type), typeof(Type), typeof(Type), typeof(string), typeof(string[])], null)
        ?? throw Missing("LoadableClassAttribute..ctor(summary, instType, loaderType, argType, sigType, userName, loadNames)");
    private static readonly ConstructorInfo LoadableClassInfoCtor = LoadableClassInfoType.GetConstructors(Instance)
        .SingleOrDefault(c => c.GetParameters().Length == 5) ?? throw Missing("LoadableClassInfo..ctor");
    private static readonly MethodInfo CatalogAddClass = Method(typeof(ComponentCatalog), "AddClass", [LoadableClassInfoType, typeof(string[]), typeof(bool)]);
    private static readonly MethodInfo CatalogFindLoadableClasses = Method(typeof(ComponentCatalog), "FindLoadableClasses", [typeof(string)]);
    private static readonly FieldInfo CatalogLock = Field(typeof(ComponentCatalog), "_lock");

    // SchemaShape.Column
    private static readonly ConstructorInfo SchemaShapeColumnCtor = typeof(SchemaShape.Column).GetConstructor(Instance, null,
        [typeof(string), typeof(SchemaShape.Column.VectorKind), typeof(DataViewType), typeof(bool), typeof(SchemaShape)], null)
        ?? throw Missing("SchemaShape.Column..ctor");

    // TrainerInfo: ML.NET builds it only for its own trainers; the constructor is internal.
    private static readonly ConstructorInfo TrainerInfoCtor = typeof(TrainerInfo).GetConstructor(Instance, null,
        [typeof(bool), typeof(bool), typeof(bool), typeof(bool), typeof(bool), typeof(bool)], null)
        ?? throw Missing("TrainerInfo..ctor(normalization, calibration, caching, supportValid, supportIncrementalTrain, supportTest)");

    // Catalogs (mlContext.Transforms etc.) hold their environment behind the internal IInternalCatalog interface.
    private static readonly PropertyInfo CatalogEnvironment =
        (typeof(TransformsCatalog).Assembly.GetType("Microsoft.ML.Data.IInternalCatalog") ?? throw Missing("IInternalCatalog"))
        .GetProperty("Environment") ?? throw Missing("IInternalCatalog.Environment");

    /// <summary>Forces the static constructor, so incompatibilities surface at registration time.</summary>
    internal static void Validate() { }

    internal static object NewVersionInfo(string modelSignature, uint verWritten, uint verReadable, uint verWeCanReadBack,
        string loaderAssemblyName, string loaderSignature, string? loaderSignatureAlt) =>
        VersionInfoCtor.Invoke([modelSignature, verWritten, verReadable, verWeCanReadBack, loaderAssemblyName, loaderSignature, loaderSignatureAlt]);

    // ---- saving ----
    internal static void CheckAtModel(ModelSaveContext ctx) => Invoke(SaveCheckAtModel, ctx);
    internal static void SetVersionInfo(ModelSaveContext ctx, object versionInfo) => Invoke(SaveSetVersionInfo, ctx, versionInfo);
    internal static void SaveString(ModelSaveContext ctx, string value) => Invoke(SaveSaveString, ctx, value);
    internal static void SaveBinaryStream(ModelSaveContext ctx, string name, Action<BinaryWriter> write) => Invoke(SaveSaveBinaryStream, ctx, name, write);
    internal static BinaryWriter Writer(ModelSaveContext ctx) => (BinaryWriter)SaveWriter.GetValue(ctx)!;
    internal static string Directory(ModelSaveContext ctx) => (string?)SaveDirectory.GetValue(ctx) ?? "";
    internal static bool InRepository(ModelSaveContext ctx) => (bool)SaveInRepository.GetValue(ctx)!;

    // ---- loading (the context arrives as object: its type is internal) ----
    internal static bool IsLoadContext(object? ctx) => ctx is not null && ModelLoadContextType.IsInstanceOfType(ctx);
    internal static void CheckAtModel(object loadCtx, object versionInfo) => Invoke(LoadCheckAtModel, loadCtx, versionInfo);
    internal static string LoadString(object loadCtx) => (string)Invoke(LoadLoadString, loadCtx)!;
    internal static bool TryLoadBinaryStream(object loadCtx, string name, Action<BinaryReader> read) => (bool)Invoke(LoadTryLoadBinaryStream, loadCtx, name, read)!;
    internal static BinaryReader Reader(object loadCtx) => (BinaryReader)LoadReader.GetValue(loadCtx)!;
    internal static string Directory(object loadCtx) => (string?)LoadDirectory.GetValue(loadCtx) ?? "";

    // ---- registration ----
    internal static bool IsRegistered(ComponentCatalog catalog, string loadName) =>
        ((Array)Invoke(CatalogFindLoadableClasses, catalog, loadName)!).Length > 0;

    /// <summary>
    /// Registers a loader for <c>SignatureLoadModel</c> under <paramref name="loadName"/>. <paramref name="create"/> must be
    /// static with parameters (IHostEnvironment, object): ML.NET invokes it by reflection with the environment and the
    /// (internal) ModelLoadContext.
    /// </summary>
    internal static void RegisterModelLoader(ComponentCatalog catalog, Type instanceType, string loadName, MethodInfo create)
    {
        lock (CatalogLock.GetValue(catalog)!)
        {
            if (IsRegistered(catalog, loadName))
                return;
            var attr = LoadableClassAttributeCtor.Invoke([null, instanceType, instanceType, null, SignatureLoadModelType, loadName, new[] { loadName }]);
            var info = LoadableClassInfoCtor.Invoke([attr, null, null, create, true]);
            Invoke(CatalogAddClass, catalog, info, new[] { loadName }, false);
        }
    }

    /// <summary>The environment behind a catalog such as <c>mlContext.Transforms</c>, for catalog extension methods.</summary>
    internal static IHostEnvironment Environment(TransformsCatalog catalog) => (IHostEnvironment)CatalogEnvironment.GetValue(catalog)!;

    /// <summary>The environment behind any ML.NET catalog object (trainer catalogs, data catalogs, ...).</summary>
    internal static IHostEnvironment EnvironmentOf(object catalog)
    {
        if (CatalogEnvironment.DeclaringType!.IsInstanceOfType(catalog))
            return (IHostEnvironment)CatalogEnvironment.GetValue(catalog)!;
        throw new MlNetCompatibilityException($"{catalog.GetType().Name} does not expose its ML.NET environment.");
    }

    private static readonly PropertyInfo? CancelableIsCanceled =
        CoreAssembly.GetType("Microsoft.ML.Runtime.ICancelable")?.GetProperty("IsCanceled");

    /// <summary>Whether <c>MLContext.CancelExecution()</c> was called on the context behind <paramref name="env"/>.</summary>
    internal static bool IsCanceled(IHostEnvironment env) =>
        CancelableIsCanceled is not null && CancelableIsCanceled.DeclaringType!.IsInstanceOfType(env) && (bool)CancelableIsCanceled.GetValue(env)!;

    internal static SchemaShape.Column NewSchemaShapeColumn(string name, SchemaShape.Column.VectorKind kind, DataViewType itemType, bool isKey, SchemaShape? annotations) =>
        (SchemaShape.Column)SchemaShapeColumnCtor.Invoke([name, kind, itemType, isKey, annotations]);

    /// <summary>A <see cref="TrainerInfo"/> for a trainer that needs no calibration and takes no test set.</summary>
    internal static TrainerInfo NewTrainerInfo(bool normalization, bool caching, bool supportValidation, bool supportIncrementalTraining) =>
        (TrainerInfo)TrainerInfoCtor.Invoke([normalization, false, caching, supportValidation, supportIncrementalTraining, false]);

    private static object? Invoke(MethodInfo method, object target, params object?[] args)
    {
        try
        {
            return method.Invoke(target, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }

    private static Type CoreType(string name) => CoreAssembly.GetType(name) ?? throw Missing(name);

    private static MethodInfo Method(Type type, string name, Type[] parameters) =>
        type.GetMethod(name, Instance | Static, null, parameters, null) ?? throw Missing($"{type.Name}.{name}");

    private static FieldInfo Field(Type type, string name) =>
        type.GetField(name, Instance) ?? throw Missing($"{type.Name}.{name}");

    private static MlNetCompatibilityException Missing(string member) =>
        new($"QuantumKan.ML cannot find the ML.NET member '{member}' in {CoreAssembly.GetName().Name} {CoreAssembly.GetName().Version}. " +
            "This QuantumKan.ML build supports Microsoft.ML 6.0.0.");
}

/// <summary>Thrown when the loaded ML.NET version lacks a member the persistence bridge relies on.</summary>
public sealed class MlNetCompatibilityException(string message) : InvalidOperationException(message);
