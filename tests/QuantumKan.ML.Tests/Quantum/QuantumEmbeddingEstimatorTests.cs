using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.ML.Quantum;

namespace QuantumKan.ML.Tests.Quantum;

public class QuantumEmbeddingEstimatorTests
{
    private static QuantumEmbeddingOptions Quick() => new()
    {
        Embedding = QuantumEmbeddingOptions.DefaultEmbedding with { Modes = 4, Grid = new() { Points = 256 } },
        Training = QuantumEmbeddingOptions.DefaultTraining with { Epochs = 2, BatchSize = 16 },
    };

    // SchemaShape.Create(DataViewSchema) is internal to ML.NET; build the same shape column by column.
    private static SchemaShape ShapeOf(DataViewSchema schema) => new(schema.Select(c => SchemaShapes.ToShape(c.Type, c.Name)));

    private static List<float[]> FitAndEmbed(MLContext ml, IDataView data, QuantumEmbeddingOptions options)
    {
        var model = ml.Transforms.QuantumEmbedding("Embedding", "Features", "Label", options).Fit(data);
        var embedded = model.Transform(data);
        return embedded.GetColumn<float[]>(embedded.Schema["Embedding"]).ToList();
    }

    [Fact]
    public void Fit_IsReproducibleFromTheContextSeed()
    {
        var data = ToyClusters.Keyed(new MLContext(), 48, seed: 5);
        var first = FitAndEmbed(new MLContext(seed: 3), data, Quick());
        var again = FitAndEmbed(new MLContext(seed: 3), data, Quick());
        var other = FitAndEmbed(new MLContext(seed: 4), data, Quick());
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void KeyLabels_AndOneHotVectors_TrainIdentically()
    {
        var ml = new MLContext();
        var fromKeys = FitAndEmbed(new MLContext(seed: 8), ToyClusters.Keyed(ml, 40, seed: 6), Quick());
        var fromOneHot = FitAndEmbed(new MLContext(seed: 8), ToyClusters.MultiHot(ml, 40, seed: 6), Quick());
        Assert.Equal(fromKeys, fromOneHot);
    }

    [Fact]
    public void Fit_AcceptsMultiLabelVectorsOfKeys()
    {
        var ml = new MLContext(seed: 1);
        var rows = ToyClusters.Generate(40, seed: 3).Select((r, i) => new TextLabelRow
        {
            Features = r.Features,
            Tags = i % 5 == 0 ? ["c" + r.Cluster, "shared"] : ["c" + r.Cluster],
        });
        var data = ml.Transforms.Conversion.MapValueToKey("Label", "Tags").Fit(ml.Data.LoadFromEnumerable(rows))
            .Transform(ml.Data.LoadFromEnumerable(rows));
        var model = ml.Transforms.QuantumEmbedding("Embedding", "Features", "Label", Quick()).Fit(data);
        Assert.Equal(2, model.TrainingHistory.Count);
        Assert.All(model.TrainingHistory, e => Assert.True(double.IsFinite(e.Loss)));
    }

    [Fact]
    public void Fit_NaNFeature_FailsNamingColumnAndRow()
    {
        var ml = new MLContext(seed: 1);
        var rows = ToyClusters.Generate(12, seed: 1).Select(r => new KeyedRow { Features = r.Features, Label = (uint)r.Cluster }).ToArray();
        rows[5].Features[3] = float.NaN;
        var ex = Assert.Throws<InvalidRowException>(() =>
            ml.Transforms.QuantumEmbedding("Embedding", "Features", "Label", Quick()).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Equal("Features", ex.Column);
        Assert.Equal(5, ex.Row);
        Assert.Contains("feature 3 is NaN", ex.Message);
    }

    [Fact]
    public void Fit_RowWithoutLabels_FailsNamingColumnAndRow()
    {
        var ml = new MLContext(seed: 1);
        var rows = ToyClusters.Generate(12, seed: 1).Select(r => new MultiHotRow { Features = r.Features, Label = [1, 0, 0, 0] }).ToArray();
        rows[2].Label = [0, 0, 0, 0];
        var ex = Assert.Throws<InvalidRowException>(() =>
            ml.Transforms.QuantumEmbedding("Embedding", "Features", "Label", Quick()).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Equal(("Label", 2L), (ex.Column, ex.Row));
        Assert.Contains("no label", ex.Message);
    }

    [Fact]
    public void Fit_NaNLabel_FailsNamingColumnAndRow()
    {
        var ml = new MLContext(seed: 1);
        var rows = ToyClusters.Generate(12, seed: 1).Select(r => new MultiHotRow { Features = r.Features, Label = [1, 0, 0, 0] }).ToArray();
        rows[7].Label = [1, float.NaN, 0, 0];
        var ex = Assert.Throws<InvalidRowException>(() =>
            ml.Transforms.QuantumEmbedding("Embedding", "Features", "Label", Quick()).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Equal(("Label", 7L), (ex.Column, ex.Row));
    }

    [Fact]
    public void Fit_FeaturesOfTheWrongType_FailNamingColumnAndExpectedType()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable([new DoubleFeatureRow { Features = new double[8], Label = 0 }]);
        var estimator = ml.Transforms.QuantumEmbedding("Embedding", "Features", "Label", Quick());
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(data));
        Assert.Contains("'Features'", ex.Message);
        Assert.Contains("Vector<Double, 8>", ex.Message);
        Assert.Contains("vector of Single", ex.Message);
        var early = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(ShapeOf(data.Schema)));
        Assert.Contains("'Features'", early.Message);
    }

    [Fact]
    public void GetOutputSchema_ScalarFloatLabel_IsRejectedNamingTheColumn()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable([new FloatLabelRow { Features = new float[8], Label = 1 }]);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.QuantumEmbedding("Embedding", "Features", "Label", Quick()).GetOutputSchema(ShapeOf(data.Schema)));
        Assert.Contains("'Label'", ex.Message);
        Assert.Contains("key", ex.Message);
    }

    [Fact]
    public void GetOutputSchema_DescribesTheEmbeddingAndWavefunctionColumns()
    {
        var ml = new MLContext(seed: 1);
        var data = ToyClusters.Keyed(ml, 4, seed: 1);
        var options = Quick() with { WavefunctionColumnName = "Psi" };
        var shape = ml.Transforms.QuantumEmbedding("Embedding", "Features", "Label", options).GetOutputSchema(ShapeOf(data.Schema));
        var embedding = shape.Single(c => c.Name == "Embedding");
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, embedding.Kind);
        Assert.Equal(NumberDataViewType.Single, embedding.ItemType);
        Assert.Contains(shape, c => c.Name == "Psi");
    }

    [Theory]
    [InlineData("BatchSize")]
    [InlineData("Modes")]
    [InlineData("Margin")]
    [InlineData("BetaMax")]
    public void OutOfRangeOptions_FailWhenTheEstimatorIsCreated(string name)
    {
        var quick = Quick();
        var options = name switch
        {
            "BatchSize" => quick with { Training = quick.Training with { BatchSize = 1 } },
            "Modes" => quick with { Embedding = quick.Embedding with { Modes = 0 } },
            "Margin" => quick with { Margin = 1.5 },
            _ => quick with { Embedding = quick.Embedding with { BetaMax = 1000 } },
        };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new MLContext().Transforms.QuantumEmbedding("Embedding", "Features", "Label", options));
        Assert.Equal(name, ex.ParamName);
    }

    [Fact]
    public void PlainOverload_UsesItsParameters()
    {
        var ml = new MLContext(seed: 2);
        var model = ml.Transforms.QuantumEmbedding(modes: 3, epochs: 1, batchSize: 8).Fit(ToyClusters.Keyed(ml, 16, seed: 1));
        Assert.Equal(3, model.Modes);
        Assert.Equal(9, model.EmbeddingSize);
        Assert.Single(model.TrainingHistory);
        Assert.Equal("Embedding", model.OutputColumnName);
    }

    public sealed class TextLabelRow
    {
        [VectorType(ToyClusters.Width)]
        public float[] Features { get; set; } = [];

        public string[] Tags { get; set; } = [];
    }

    public sealed class DoubleFeatureRow
    {
        [VectorType(8)]
        public double[] Features { get; set; } = [];

        [KeyType(4)]
        public uint Label { get; set; }
    }

    public sealed class FloatLabelRow
    {
        [VectorType(8)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
