namespace QuantumKan.ML.Tests;

/// <summary>README's first C# block is the QuickStart program, so the example a new user copies is the one CI builds and runs.</summary>
public class ReadmeTests
{
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "QuantumKan.ML.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"No QuantumKan.ML.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The lines between the first "```csharp" line and the next "```" line.</summary>
    internal static string FirstCSharpBlock(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        int start = Array.IndexOf(lines, "```csharp");
        if (start < 0)
            throw new InvalidDataException("README.md has no ```csharp block.");
        int end = Array.IndexOf(lines, "```", start + 1);
        if (end < 0)
            throw new InvalidDataException($"README.md's ```csharp block at line {start + 1} is not closed.");
        return string.Join("\n", lines[(start + 1)..end]) + "\n";
    }

    [Fact]
    public void FirstCSharpBlock_IsTheQuickStartProgram_Exactly()
    {
        var root = RepoRoot();
        var readme = FirstCSharpBlock(File.ReadAllText(Path.Combine(root, "README.md")));
        var program = File.ReadAllText(Path.Combine(root, "examples", "QuickStart", "Program.cs")).Replace("\r\n", "\n");
        Assert.Equal(program, readme);
        Assert.Contains("args[0]", readme);
        Assert.Contains("using Microsoft.ML;", readme);
    }

    [Fact]
    public void FirstCSharpBlock_TakesTheLinesBetweenTheFences()
    {
        var block = FirstCSharpBlock("text\n```sh\nnot this\n```\n```csharp\nvar a = 1;\n\nvar b = 2;\n```\n```csharp\nnor this\n```\n");
        Assert.Equal("var a = 1;\n\nvar b = 2;\n", block);
        Assert.Throws<InvalidDataException>(() => FirstCSharpBlock("```csharp\nopen"));
    }
}
