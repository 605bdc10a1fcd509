using QuantumKan.Audio;
using System.Text.Json;
using QuantumKan.Data;
using QuantumKan.Training.Data;

namespace QuantumKan.Bench.Compare;

/// <summary>The generated data set both sides read: FSD50K layout, train split and eval split.</summary>
internal sealed class BenchDataSet
{
    private const string MarkerName = "bench-data.json";

    private BenchDataSet(string root, LabeledAudioSet train, LabeledAudioSet evaluation)
    {
        Root = root;
        Train = train;
        Eval = evaluation;
    }

    public string Root { get; }

    public LabeledAudioSet Train { get; }

    public LabeledAudioSet Eval { get; }

    public string[] TrainPaths => Train.Clips.Select(c => c.Path).ToArray();

    public string[] EvalPaths => Eval.Clips.Select(c => c.Path).ToArray();

    public IReadOnlyList<string> ClassNames => Train.Vocabulary.Labels;

    /// <summary>Writes the set unless <paramref name="root"/> already holds one made with the same options.</summary>
    public static void Generate(string root, int trainClips, int evalClips, long seed)
    {
        var options = BenchSettings.DataSet(trainClips, evalClips, seed);
        string marker = Path.Combine(root, MarkerName);
        string wanted = JsonSerializer.Serialize(new { trainClips, evalClips, seed, options.Sound.SampleRate, options.Sound.MinClipSeconds, options.Sound.MaxClipSeconds });
        if (File.Exists(marker) && File.ReadAllText(marker) == wanted)
        {
            Console.WriteLine($"data set: reusing {root}");
            return;
        }
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
        var started = System.Diagnostics.Stopwatch.StartNew();
        SyntheticFsd50kWriter.Write(root, options);
        File.WriteAllText(marker, wanted);
        Console.WriteLine($"data set: wrote {trainClips} train + {evalClips} eval clips (44.1 kHz, 1–4 s) to {root} in {started.Elapsed.TotalSeconds:F1} s");
    }

    public static BenchDataSet Open(string root) =>
        new(root, Fsd50kReader.Read(root, Fsd50kSplit.Train), Fsd50kReader.Read(root, Fsd50kSplit.Eval));

    /// <summary>The train and eval splits as in-memory sources of the given per-clip features (one flat vector each).</summary>
    public (InMemoryFeatureSource Train, InMemoryFeatureSource Eval) Sources(IReadOnlyList<float[]> trainFeatures, IReadOnlyList<float[]> evalFeatures)
    {
        int d = trainFeatures[0].Length, classes = Train.Vocabulary.Count;
        return (new InMemoryFeatureSource(trainFeatures.SelectMany(f => f).ToArray(), [d], Labels(Train), classes),
                new InMemoryFeatureSource(evalFeatures.SelectMany(f => f).ToArray(), [d], Labels(Eval), classes));
    }

    /// <summary>Featurizes both splits with the bench front end on all cores and returns them as in-memory sources.</summary>
    public (InMemoryFeatureSource Train, InMemoryFeatureSource Eval) FeaturizeAll()
    {
        var featurizer = new QuantumKan.Audio.AudioFrontEnd(BenchSettings.Mel);
        var train = featurizer.FeaturizeFiles(TrainPaths, maxDegreeOfParallelism: Environment.ProcessorCount);
        var eval = featurizer.FeaturizeFiles(EvalPaths, maxDegreeOfParallelism: Environment.ProcessorCount);
        return Sources(train.Select(f => f!).ToArray(), eval.Select(f => f!).ToArray());
    }

    /// <summary>Row-major multi-hot labels of a set.</summary>
    public static float[] Labels(LabeledAudioSet set)
    {
        int classes = set.Vocabulary.Count;
        var labels = new float[set.Clips.Count * classes];
        for (int i = 0; i < set.Clips.Count; i++)
            foreach (int k in set.Clips[i].LabelIndices)
                labels[i * classes + k] = 1f;
        return labels;
    }
}
