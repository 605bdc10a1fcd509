using System.Xml.Linq;

namespace QuantumKan.ML.Tests;

/// <summary>
/// The project references README's "Layout" states, read from the .csproj files: a reference that skips or reverses a
/// layer (Training → Audio, Audio → Core, Data → Training, …) or a native package in a torch-free project fails here.
/// </summary>
public class LayeringTests
{
    // Each source project's direct project references, exactly.
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["QuantumKan.Base"] = [],
        ["QuantumKan.Audio"] = ["QuantumKan.Base"],
        ["QuantumKan.Data"] = ["QuantumKan.Audio"],
        ["QuantumKan.Onnx"] = [],
        ["QuantumKan.Core"] = ["QuantumKan.Base"],
        ["QuantumKan.Nn"] = ["QuantumKan.Core"],
        ["QuantumKan.Training"] = ["QuantumKan.Nn"],
        ["QuantumKan.ML"] = ["QuantumKan.Training", "QuantumKan.Data", "QuantumKan.Onnx"],
        ["QuantumKan.ML.Cpu"] = ["QuantumKan.ML"],
        ["QuantumKan.Cli"] = ["QuantumKan.ML"],
    };

    private static readonly string[] TorchFree = ["QuantumKan.Base", "QuantumKan.Audio", "QuantumKan.Data", "QuantumKan.Onnx"];

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "QuantumKan.ML.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"No QuantumKan.ML.sln above {AppContext.BaseDirectory}.");
    }

    private static XDocument Project(string name) => XDocument.Load(Path.Combine(RepoRoot(), "src", name, name + ".csproj"));

    [Fact]
    public void Every_source_project_is_in_the_layering_table()
    {
        var projects = Directory.GetDirectories(Path.Combine(RepoRoot(), "src"))
            .Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + ".csproj")))
            .Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(Allowed.Keys.Order().ToArray(), projects);
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Project_references_only_the_layers_README_allows(string name)
    {
        var references = Project(name).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .Order().ToArray();
        Assert.Equal(Allowed[name].Order().ToArray(), references);
    }

    [Theory]
    [MemberData(nameof(TorchFreeProjects))]
    public void Torch_free_project_takes_no_native_package(string name)
    {
        var packages = Project(name).Descendants("PackageReference").Select(r => r.Attribute("Include")!.Value).ToArray();
        Assert.DoesNotContain(packages, p => p.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase) || p.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase));
    }

    public static TheoryData<string> Projects() => new(Allowed.Keys);

    public static TheoryData<string> TorchFreeProjects() => new(TorchFree);
}
