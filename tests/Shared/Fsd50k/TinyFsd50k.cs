using QuantumKan.Data;

namespace QuantumKan.Tests.Shared;

/// <summary>Writes a small hand-made FSD50K layout (listings verbatim, short silent WAVs) for the loader tests.</summary>
internal static class TinyFsd50k
{
    public const string Vocabulary = "0,Bark,/m/05tny_\n1,Dog,/m/0bt9lr\n2,Wind,/m/03m9d0z\n";

    public const string Dev =
        "fname,labels,mids,split\n" +
        "1,\"Bark,Dog\",\"/m/05tny_,/m/0bt9lr\",train\n" +
        "2,Wind,/m/03m9d0z,train\n" +
        "3,Dog,/m/0bt9lr,val\n";

    public const string Eval =
        "fname,labels,mids\n" +
        "10,\"Wind,Bark\",\"/m/03m9d0z,/m/05tny_\"\n" +
        "11,Dog,/m/0bt9lr\n";

    public static string Write(TempFolder dir, string? dev = null, string? eval = null, string vocabulary = Vocabulary,
        string[]? devWavs = null, string[]? evalWavs = null)
    {
        string root = dir.Path;
        dir.File($"{Fsd50kLayout.GroundTruthFolder}/vocabulary.csv", vocabulary);
        dir.File($"{Fsd50kLayout.GroundTruthFolder}/dev.csv", dev ?? Dev);
        dir.File($"{Fsd50kLayout.GroundTruthFolder}/eval.csv", eval ?? Eval);
        foreach (var f in devWavs ?? ["1", "2", "3"])
            Wav(dir.File($"{Fsd50kLayout.DevAudioFolder}/{f}.wav"));
        foreach (var f in evalWavs ?? ["10", "11"])
            Wav(dir.File($"{Fsd50kLayout.EvalAudioFolder}/{f}.wav"));
        return root;
    }

    /// <summary>A short silent WAV at <paramref name="path"/>.</summary>
    public static void Wav(string path) => TestWavs.Silence(path);
}
