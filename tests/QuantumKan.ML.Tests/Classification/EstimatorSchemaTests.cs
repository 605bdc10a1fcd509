using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.Data;

namespace QuantumKan.ML.Tests.Classification;

/// <summary>What an unfitted pipeline promises: the annotations of the trainers' outputs, before any data is read.</summary>
public class EstimatorSchemaTests
{
    public sealed class Row
    {
        public string Name { get; set; } = "";

        [VectorType(4)]
        public float[] Features { get; set; } = [];
    }

    public sealed class HotRow
    {
        [VectorType(2)]
        public float[] Hot { get; set; } = [];

        [VectorType(2)]
        public float[] Features { get; set; } = [];
    }

    // SchemaShape.Create is internal to ML.NET; this is the same shape, built the way the library's estimators build theirs.
    private static SchemaShape Shape(DataViewSchema schema) => new(schema.Select(c => SchemaShapes.ToShape(c.Type, c.Name, c.Annotations)));

    private static IDataView Data(MLContext ml) => ml.Data.LoadFromEnumerable(
        Enumerable.Range(0, 6).Select(i => new Row { Name = i % 2 == 0 ? "dog" : "cat", Features = [i, 1, 2, 3] }));

    [Fact]
    public void Multiclass_PredictedLabelCarriesKeyValues_SoMapKeyToValueChecksBeforeFit()
    {
        var ml = new MLContext(seed: 1);
        var chain = ml.Transforms.Conversion.MapValueToKey("Label", "Name")
            .Append(ml.MulticlassClassification.Trainers.QuantumKan())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

        var shape = chain.GetOutputSchema(Shape(Data(ml).Schema));

        var predicted = shape.Single(c => c.Name == "PredictedLabel");
        Assert.Equal(TextDataViewType.Instance, predicted.ItemType); // the class name, through KeyValues
        Assert.False(predicted.IsKey);
        Assert.Contains(shape.Single(c => c.Name == "Score").Annotations, a => a.Name == "SlotNames");
    }

    [Fact]
    public void MultiLabel_ScoreAndPredictedLabelCarrySlotNames()
    {
        var ml = new MLContext(seed: 1);
        var trainer = ml.MultiLabelClassification().Trainers.QuantumKan(labelColumnName: "Hot");
        var input = Shape(ml.Data.LoadFromEnumerable(new[] { new HotRow { Hot = [1, 0], Features = [1, 2] } }).Schema);

        var shape = trainer.GetOutputSchema(input);

        foreach (var name in new[] { "Score", "PredictedLabel" })
        {
            var slotNames = Assert.Single(shape.Single(c => c.Name == name).Annotations, a => a.Name == "SlotNames");
            Assert.Equal(TextDataViewType.Instance, slotNames.ItemType);
        }
        Assert.Equal(BooleanDataViewType.Instance, shape.Single(c => c.Name == "PredictedLabel").ItemType);
    }

    [Fact]
    public void SingleLabelLoading_AsReadmeShowsIt_GivesAKeyLabelNamedByTheClasses()
    {
        var ml = new MLContext(seed: 1);
        var vocabulary = new LabelVocabulary(["bark", "meow", "tweet"]);
        var clips = new[] { 2, 0, 1, 0 }.Select((c, i) => new LabeledAudioClip($"/clips/{i}.wav", $"{i}", [c], "train", i + 2)).ToList();
        var data = ml.Data.LoadLabeledAudio(new LabeledAudioSet(vocabulary, clips));

        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", "LabelNames").Fit(data).Transform(data);

        var label = keyed.Schema["Label"];
        Assert.IsType<KeyDataViewType>(label.Type);
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        label.GetKeyValues(ref names);
        Assert.Equal(["tweet", "bark", "meow"], names.DenseValues().Select(n => n.ToString())); // order of first appearance
    }
}
