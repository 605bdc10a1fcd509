using QuantumKan.Core;

namespace QuantumKan.Core.Tests;

public class AtomicFileTests
{
    [Fact]
    public void Write_FailureMidWrite_LeavesPreviousContentIntact()
    {
        using var dir = new TempFolder("qkan-atomic-");
        var path = Path.Combine(dir.Path, "ckpt.bin");
        AtomicFile.WriteAllBytes(path, new byte[] { 1, 2, 3 });

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[] { 9, 9, 9, 9, 9 });
            throw new InvalidOperationException("simulated crash");
        }));

        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir.Path)); // no temp file left behind
    }

    [Fact]
    public void Write_ReplacesContentAndSurvivesCallbackThatDisposesStream()
    {
        using var dir = new TempFolder("qkan-atomic-");
        var path = Path.Combine(dir.Path, "sub", "x.bin");
        AtomicFile.Write(path, s => { s.Write(new byte[] { 4, 5 }); s.Dispose(); });
        Assert.Equal(new byte[] { 4, 5 }, File.ReadAllBytes(path));
        AtomicFile.WriteAllText(path, "hello");
        Assert.Equal("hello", File.ReadAllText(path));
    }
}
