using System.CommandLine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace QuantumKan.Bench.Training;

/// <summary>
/// Lists the places in <c>src/</c> that make TorchSharp create a Scalar nothing holds (README, "Known issues"): implicit
/// conversions of numbers to <c>Scalar</c>, <c>Tensor</c> operators with a number or <c>t + u</c> (its hidden
/// <c>alpha = 1</c>), and one-argument <c>add</c>/<c>add_</c>. Each project's sources are compiled with Roslyn against
/// the assemblies of a Release build (<c>src/QuantumKan.Cli/bin/Release/net10.0</c>, so build first). Exit code 1 when
/// any is found. Roslyn comes with BenchmarkDotNet.
/// </summary>
internal static class ImplicitScalarScan
{
    public static Command Command()
    {
        var root = new Option<string>("--root") { Description = "Repository root.", DefaultValueFactory = _ => "." };
        var command = new Command("implicit-scalars", "Lists the implicit TorchSharp Scalars in src/ (exit 1 if any).") { root };
        command.SetAction(p => Execute(Path.GetFullPath(p.GetValue(root)!)));
        return command;
    }

    private static int Execute(string root)
    {
        var binaries = Path.Combine(root, "src/QuantumKan.Cli/bin/Release/net10.0");
        if (!Directory.Exists(binaries))
        {
            Console.Error.WriteLine($"{binaries} is missing: build the solution in Release first.");
            return 2;
        }
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        int found = 0;
        foreach (var project in Directory.GetDirectories(Path.Combine(root, "src")).OrderBy(p => p))
        {
            string name = Path.GetFileName(project);
            var trees = Directory.GetFiles(project, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains("/bin/") && (!f.Contains("/obj/") || f.Contains("/Release/") && f.EndsWith("GlobalUsings.g.cs")))
                .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), new CSharpParseOptions(LanguageVersion.Preview), f))
                .ToList();
            var references = platform.Concat(Directory.GetFiles(binaries, "*.dll").Where(d => Path.GetFileNameWithoutExtension(d) != name))
                .Where(IsManagedAssembly).GroupBy(Path.GetFileName).Select(g => MetadataReference.CreateFromFile(g.First()));
            var compilation = CSharpCompilation.Create(name, trees, references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
            foreach (var tree in trees)
            {
                var model = compilation.GetSemanticModel(tree);
                foreach (var node in tree.GetRoot().DescendantNodes())
                {
                    if (Why(node, model) is not { } why)
                        continue;
                    int line = node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                    Console.WriteLine($"{Path.GetRelativePath(root, tree.FilePath)}:{line}: {why}: {node.ToString().Split('\n')[0].Trim()}");
                    found++;
                }
            }
        }
        Console.WriteLine($"{found} implicit Scalar site(s) in src/");
        return found == 0 ? 0 : 1;
    }

    private static string? Why(SyntaxNode node, SemanticModel model)
    {
        if (node is ExpressionSyntax expression)
        {
            var type = model.GetTypeInfo(expression);
            if (type.ConvertedType?.ToDisplayString() == "TorchSharp.Scalar" && type.Type?.ToDisplayString() != "TorchSharp.Scalar"
                && model.GetConversion(expression).IsUserDefined)
                return $"implicit {type.Type} → Scalar";
        }
        if (node is BinaryExpressionSyntax or AssignmentExpressionSyntax or PrefixUnaryExpressionSyntax
            && model.GetSymbolInfo(node).Symbol is IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator } op
            && op.ContainingType.ToDisplayString() == "TorchSharp.torch.Tensor")
        {
            var parameters = op.Parameters.Select(p => p.Type.ToDisplayString()).ToArray();
            if (op.Name == "op_Addition" || parameters.Any(p => p != "TorchSharp.torch.Tensor"))
                return $"operator {op.Name}({string.Join(", ", parameters)})";
        }
        if (node is InvocationExpressionSyntax && model.GetSymbolInfo(node).Symbol is IMethodSymbol { Name: "add" or "add_", Parameters.Length: 1 } add
            && add.ContainingType.ToDisplayString().StartsWith("TorchSharp", StringComparison.Ordinal))
            return $"{add.Name}({add.Parameters[0].Type}) with an implicit alpha";
        return null;
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
