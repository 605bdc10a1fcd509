using System.Buffers.Binary;
using QuantumKan.Data.Synthesis;
using QuantumKan.Data;

namespace QuantumKan.Data.Tests;

public class Fsd50kLayoutWriterTests
{
    private static SyntheticFsd50kOptions SmallSet() => new()
    {
        Sound = new SyntheticSoundSetOptions { Seed = 3, SampleRate = 16000, MaxClipSeconds = 1.5 },
        TrainClips = 10, ValClips = 3, EvalClips = 4, MaxDegreeOfParallelism = 2,
    };

    [Fact]
    public void WriteSynthetic_ProducesTheRealLayout_ThatTheReaderLoadsBack()
    {
        using var dir = new TempFolder();
        var options = SmallSet();
        int lastProgress = 0;
        var vocabulary = SyntheticFsd50kWriter.Write(dir.Path, options, new SynchronousProgress(n => lastProgress = Math.Max(lastProgress, n)));
        Assert.Equal(17, lastProgress);

        string gt = Path.Combine(dir.Path, Fsd50kLayout.GroundTruthFolder);
        Assert.Equal("0,Rising_chirp,/m/qk001", File.ReadLines(Path.Combine(gt, "vocabulary.csv")).First());
        Assert.Equal("fname,labels,mids,split", File.ReadLines(Path.Combine(gt, "dev.csv")).First());
        Assert.Equal("fname,labels,mids", File.ReadLines(Path.Combine(gt, "eval.csv")).First());
        Assert.Matches("^1,\"[A-Za-z_,]+\",\"[/a-z0-9,]+\",train$", File.ReadLines(Path.Combine(gt, "dev.csv")).ElementAt(1));

        var train = Fsd50kReader.Read(dir.Path, Fsd50kSplit.Train);
        var val = Fsd50kReader.Read(dir.Path, Fsd50kSplit.Val);
        var eval = Fsd50kReader.Read(dir.Path, Fsd50kSplit.Eval);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i.ToString()), train.Clips.Select(c => c.Fname));
        Assert.Equal(["11", "12", "13"], val.Clips.Select(c => c.Fname));
        Assert.Equal(["14", "15", "16", "17"], eval.Clips.Select(c => c.Fname));
        Assert.Equal(vocabulary.Labels, train.Vocabulary.Labels);

        // Each clip's labels are the generator's events for index fname − 1.
        var generator = new SyntheticSoundGenerator(options.Sound);
        foreach (var clip in train.Clips.Concat(val.Clips).Concat(eval.Clips))
        {
            var expected = generator.LabelIndicesOf(generator.Generate(int.Parse(clip.Fname) - 1));
            Assert.Equal(expected, clip.LabelIndices);
        }
    }

    [Fact]
    public void WriteSynthetic_WavsAre16BitMonoPcmAtTheSetRate_MatchingTheGenerator()
    {
        using var dir = new TempFolder();
        var options = SmallSet();
        SyntheticFsd50kWriter.Write(dir.Path, options);
        var clip = new SyntheticSoundGenerator(options.Sound).Generate(14);
        var bytes = File.ReadAllBytes(Fsd50kLayout.EvalAudio(dir.Path, "15"));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(20))); // PCM
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(22))); // mono
        Assert.Equal(16000u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(24)));
        Assert.Equal(16, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(34)));
        Assert.Equal((uint)(2 * clip.Samples.Length), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(40)));
        for (int i = 0; i < clip.Samples.Length; i += 97)
            Assert.Equal(clip.Samples[i], BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(44 + 2 * i)) / 32768f, 1e-4f);
    }

    [Fact]
    public void WriteSynthetic_IsAPureFunctionOfTheOptions()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        SyntheticFsd50kWriter.Write(a.Path, SmallSet());
        var other = SmallSet();
        other = other with { MaxDegreeOfParallelism = 1 };
        SyntheticFsd50kWriter.Write(b.Path, other);
        foreach (var file in new[] { "FSD50K.ground_truth/dev.csv", "FSD50K.ground_truth/eval.csv", "FSD50K.dev_audio/7.wav", "FSD50K.eval_audio/16.wav" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(a.Path, file)), File.ReadAllBytes(Path.Combine(b.Path, file)));
    }

    [Fact]
    public void Write_RejectsDuplicateFnamesAndBadSplits()
    {
        using var dir = new TempFolder();
        var vocabulary = new LabelVocabulary(["A"], ["/m/a"]);
        var clip = new Fsd50kClipToWrite("1", [0], Fsd50kSplit.Train, new float[10], 16000);
        Assert.Throws<ArgumentException>(() => Fsd50kLayoutWriter.Write(dir.Path, vocabulary, [clip, clip]));
        Assert.Throws<ArgumentException>(() => Fsd50kLayoutWriter.Write(dir.Path, vocabulary, [clip with { Split = Fsd50kSplit.Dev }]));
        Assert.Throws<ArgumentException>(() => Fsd50kLayoutWriter.Write(dir.Path, vocabulary, [clip with { LabelIndices = [1] }]));
        Assert.Throws<ArgumentException>(() => Fsd50kLayoutWriter.Write(dir.Path, new LabelVocabulary(["A"]), [clip]));
    }

    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value)
        {
            lock (this)
                report(value);
        }
    }
}
