using Microsoft.ML;
using QuantumKan.Data.Synthesis;
using QuantumKan.Data;

namespace QuantumKan.ML.Tests.Classification;

/// <summary>A small synthetic data set in the real FSD50K layout, generated once for the classifier tests.</summary>
public sealed class SyntheticFsd50kFixture : IDisposable
{
    public SyntheticFsd50kFixture()
    {
        SyntheticFsd50kWriter.Write(Root, new SyntheticFsd50kOptions
        {
            Sound = new SyntheticSoundSetOptions { Seed = 5, SampleRate = 16_000, MinClipSeconds = 1.0, MaxClipSeconds = 2.0 },
            TrainClips = 480, ValClips = 80, EvalClips = 160,
        });
    }

    private readonly TempFolder _folder = new("qkan-clf-");

    public string Root => _folder.Path;

    public void Dispose() => _folder.Dispose();
}
