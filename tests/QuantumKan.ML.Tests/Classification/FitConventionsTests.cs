using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.ML.Classification;

namespace QuantumKan.ML.Tests.Classification;

/// <summary>What a Fit tells and lets its caller do: the validation hold-out on the log, cancellation while featurizing.</summary>
public class FitConventionsTests
{
    public sealed class Row
    {
        [VectorType(3)]
        public float[] Label { get; set; } = [];

        [VectorType(6)]
        public float[] Raw { get; set; } = [];
    }

    public sealed class Featurized
    {
        [VectorType(6)]
        public float[] Features { get; set; } = [];
    }

    // Separable multi-label rows: class c is present when feature c is high.
    private static List<Row> Rows(int count)
    {
        var random = new Random(7);
        return Enumerable.Range(0, count).Select(i =>
        {
            var label = new float[3];
            label[i % 3] = 1;
            if (i % 4 == 0)
                label[(i + 1) % 3] = 1;
            var raw = new float[6];
            for (int j = 0; j < 6; j++)
                raw[j] = (float)random.NextDouble() * 0.1f + (j < 3 && label[j] > 0 ? 1f : 0f);
            return new Row { Label = label, Raw = raw };
        }).ToList();
    }

    private static QuantumKanClassifierOptions Options(int epochs) => new()
    {
        Training = new() { Epochs = epochs, EarlyStoppingPatience = 0 },
    };

    [Fact]
    public void CancellationToken_StopsFeaturization_AtTheNextRow()
    {
        using var cts = new CancellationTokenSource();
        var ml = new MLContext(seed: 1);
        int featurized = 0;
        // Stands in for LoadAudio + MelSpectrogram: upstream work the trainer's row pass pulls one row at a time.
        var featurize = ml.Transforms.CustomMapping<Row, Featurized>((row, output) =>
        {
            if (Interlocked.Increment(ref featurized) == 10)
                cts.Cancel();
            output.Features = row.Raw;
        }, contractName: null);
        var options = Options(5);
        options = options with { CancellationToken = cts.Token };

        var pipeline = featurize.Append(ml.MultiLabelClassification().Trainers.QuantumKan(options));
        Assert.ThrowsAny<OperationCanceledException>(() => pipeline.Fit(ml.Data.LoadFromEnumerable(Rows(5000))));
        // Not all 5000: the pass stopped at the row after the cancel. ML.NET's cursor featurizes a bounded batch ahead
        // on background threads, so a few more than 10 rows may have been mapped, never the whole set.
        Assert.InRange(Volatile.Read(ref featurized), 10, 1000);
    }

    [Fact]
    public void Fit_WithoutValidationData_SaysOnTheLogWhatItHeldOut()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) =>
        {
            lock (messages)
                messages.Add(e.Message);
        };
        var data = ml.Data.LoadFromEnumerable(Rows(60));
        var featurize = ml.Transforms.CopyColumns("Features", "Raw");
        featurize.Append(ml.MultiLabelClassification().Trainers.QuantumKan(Options(1))).Fit(data);

        var holdOut = Assert.Single(messages, m => m.Contains("held out for validation"));
        Assert.Matches(@"\b[1-9]\d* of 60 training rows \(ValidationFraction = 0\.1\)", holdOut);

        messages.Clear();
        var none = Options(1);
        none = none with { ValidationFraction = 0 };
        featurize.Append(ml.MultiLabelClassification().Trainers.QuantumKan(none)).Fit(data);
        Assert.DoesNotContain(messages, m => m.Contains("held out for validation"));
    }
}
