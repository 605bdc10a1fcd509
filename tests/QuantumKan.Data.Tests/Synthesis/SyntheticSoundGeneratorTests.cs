using QuantumKan.Data.Synthesis;

namespace QuantumKan.Data.Tests.Synthesis;

public class SyntheticSoundGeneratorTests
{
    private static SyntheticSoundSetOptions Options(long seed = 7) => new() { Seed = seed, SampleRate = 16000 };

    [Fact]
    public void Generate_SameSeedAndIndex_GivesBitIdenticalClips()
    {
        var a = new SyntheticSoundGenerator(Options()).Generate(12);
        var b = new SyntheticSoundGenerator(Options()).Generate(12);
        Assert.Equal(a.Samples, b.Samples);
        Assert.Equal(a.Events, b.Events);
    }

    [Fact]
    public void Generate_DoesNotDependOnTheOrderClipsAreMade()
    {
        var generator = new SyntheticSoundGenerator(Options());
        var first = generator.Generate(5);
        var parallel = new SyntheticClip[8];
        Parallel.For(0, 8, i => parallel[i] = generator.Generate(i));
        Assert.Equal(first.Samples, parallel[5].Samples);
    }

    [Fact]
    public void Generate_DifferentSeedsOrIndices_GiveDifferentClips()
    {
        var a = new SyntheticSoundGenerator(Options(1)).Generate(0);
        var b = new SyntheticSoundGenerator(Options(2)).Generate(0);
        var c = new SyntheticSoundGenerator(Options(1)).Generate(1);
        Assert.NotEqual(a.Samples, b.Samples);
        Assert.NotEqual(a.Samples, c.Samples);
    }

    [Fact]
    public void Generate_RespectsLengthsEventCountsAndHeadroom()
    {
        var options = Options();
        var generator = new SyntheticSoundGenerator(options);
        var seen = new HashSet<SyntheticSoundType>();
        var counts = new HashSet<int>();
        for (int i = 0; i < 60; i++)
        {
            var clip = generator.Generate(i);
            Assert.InRange(clip.DurationSeconds, options.MinClipSeconds - 1e-3, options.MaxClipSeconds + 1e-3);
            Assert.InRange(clip.Events.Count, 1, 3);
            Assert.Equal(clip.Events.Count, clip.Events.Select(e => e.Type).Distinct().Count());
            Assert.All(clip.Events, e => Assert.True(e.OnsetSample >= 0 && e.OnsetSample + e.LengthSamples <= clip.Samples.Length));
            Assert.True(clip.Samples.Max(Math.Abs) <= 0.98f + 1e-6f);
            seen.UnionWith(clip.Events.Select(e => e.Type));
            counts.Add(clip.Events.Count);
        }
        Assert.Equal(SyntheticSoundVocabulary.DefaultTypes.ToHashSet(), seen);
        Assert.Equal([1, 2, 3], counts.Order());
    }

    [Fact]
    public void Events_PutEnergyExactlyWhereTheLabelsSay()
    {
        // Every event window peaks near the event's gain, far above the noise; everything outside the events is noise only.
        var options = Options();
        var generator = new SyntheticSoundGenerator(options);
        double noiseRms = Math.Pow(10, options.NoiseLevelDb!.Value / 20);
        for (int i = 0; i < 20; i++)
        {
            var clip = generator.Generate(i);
            var covered = new bool[clip.Samples.Length];
            foreach (var e in clip.Events)
            {
                Array.Fill(covered, true, e.OnsetSample, e.LengthSamples);
                double peak = clip.Samples.AsSpan(e.OnsetSample, e.LengthSamples).ToArray().Max(Math.Abs) / clip.Scale;
                Assert.True(peak > 0.5 * Math.Pow(10, e.GainDb / 20), $"clip {i}: {e.Type} at {e.OnsetSample} peaks at {peak}");
            }
            var outside = clip.Samples.Where((_, k) => !covered[k]).ToArray();
            if (outside.Length > 1000)
            {
                Assert.InRange(Rms(outside) / clip.Scale, 0.8 * noiseRms, 1.2 * noiseRms);
                Assert.True(outside.Max(Math.Abs) / clip.Scale < 6 * noiseRms);
            }
        }
    }

    [Fact]
    public void Generate_WithoutNoise_IsTheSumOfTheRenderedEvents()
    {
        var options = Options() with { NoiseLevelDb = null };
        var clip = new SyntheticSoundGenerator(options).Generate(3);
        var outside = clip.Samples.Where((_, k) => !clip.Events.Any(e => k >= e.OnsetSample && k < e.OnsetSample + e.LengthSamples));
        Assert.All(outside, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void SingleLabel_GivesOneEventPerClip_AndBalancedClasses()
    {
        var options = Options() with { SingleLabel = true };
        var generator = new SyntheticSoundGenerator(options);
        var clips = Enumerable.Range(0, 32).Select(i => generator.Generate(i)).ToArray();
        Assert.All(clips, c => Assert.Single(c.Events));
        var perType = clips.GroupBy(c => c.Events[0].Type).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(8, perType.Count);
        Assert.All(perType.Values, n => Assert.Equal(4, n));
    }

    [Fact]
    public void LabelsIn_FollowsVocabularyOrder()
    {
        var generator = new SyntheticSoundGenerator(Options());
        var clip = Enumerable.Range(0, 50).Select(i => generator.Generate(i)).First(c => c.Events.Count == 3);
        var labels = clip.LabelsIn(generator.Types);
        Assert.Equal(clip.Events.Select(e => e.Type).ToHashSet(), labels.ToHashSet());
        Assert.Equal(labels.OrderBy(t => generator.Types.ToList().IndexOf(t)), labels);
        Assert.Equal(labels.Select(t => generator.Types.ToList().IndexOf(t)), generator.LabelIndicesOf(clip));
    }

    [Fact]
    public void Vocabulary_HasUniqueFsd50kStyleLabelsAndMids()
    {
        var vocabulary = SyntheticSoundVocabulary.For(SyntheticSoundVocabulary.AllTypes);
        Assert.Equal(vocabulary.Count, vocabulary.Select(l => l.Label).Distinct().Count());
        Assert.Equal(vocabulary.Count, vocabulary.Select(l => l.Mid).Distinct().Count());
        Assert.All(vocabulary, l => Assert.Matches("^[A-Z][a-z_]+$", l.Label));
        Assert.All(vocabulary, l => Assert.Matches("^/m/qk[0-9]{3}$", l.Mid));
    }

    [Theory]
    [InlineData("SampleRate")]
    [InlineData("MaxEventsPerClip")]
    [InlineData("MinClipSeconds")]
    [InlineData("Types")]
    [InlineData("NoiseLevelDb")]
    public void Options_RejectsBadValues_NamingTheOption(string name)
    {
        var options = name switch
        {
            "SampleRate" => Options() with { SampleRate = 8000 },
            "MaxEventsPerClip" => Options() with { Types = [SyntheticSoundType.AmTone, SyntheticSoundType.ClickTrain] },
            "MinClipSeconds" => Options() with { MinClipSeconds = 0.5 },
            "Types" => Options() with { Types = [SyntheticSoundType.AmTone, SyntheticSoundType.AmTone] },
            "NoiseLevelDb" => Options() with { NoiseLevelDb = 3 },
            _ => Options(),
        };
        var ex = Assert.Throws<ArgumentException>(() => new SyntheticSoundGenerator(options));
        Assert.Equal(name, ex.ParamName);
    }

    private static double Rms(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
            sum += v * v;
        return Math.Sqrt(sum / x.Length);
    }
}
