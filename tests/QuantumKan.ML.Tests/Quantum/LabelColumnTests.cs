using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.ML.Quantum;

namespace QuantumKan.ML.Tests.Quantum;

public class LabelColumnTests
{
    private readonly MLContext _ml = new();

    [Fact]
    public void MultiHotBooleanAndDoubleVectors_GiveTheSetEntries()
    {
        var bools = _ml.Data.LoadFromEnumerable([new BoolRow { Label = [false, true, true] }, new BoolRow { Label = [true, false, false] }]);
        var labels = LabelColumn.Bind(bools.Schema, "Label");
        Assert.Equal(3, labels.ClassCount);
        Assert.Equal([[1, 2], [0]], labels.ReadAll(bools));

        var doubles = _ml.Data.LoadFromEnumerable([new DoubleRow { Label = [0, 0.5, 0] }]);
        Assert.Equal([[1]], LabelColumn.Bind(doubles.Schema, "Label").ReadAll(doubles));
    }

    [Fact]
    public void VectorsOfKeys_GiveOneClassPerDistinctKey()
    {
        var rows = new[] { new TagRow { Tags = ["dog", "bark"] }, new TagRow { Tags = ["bark"] }, new TagRow { Tags = ["cat", "cat"] } };
        var data = _ml.Transforms.Conversion.MapValueToKey("Label", "Tags").Fit(_ml.Data.LoadFromEnumerable(rows))
            .Transform(_ml.Data.LoadFromEnumerable(rows));
        var labels = LabelColumn.Bind(data.Schema, "Label");
        Assert.Equal(3, labels.ClassCount);           // dog, bark, cat in order of appearance
        Assert.Equal([[0, 1], [1], [2]], labels.ReadAll(data));
    }

    [Fact]
    public void ScalarKeys_AreZeroBasedClasses_AndMissingKeysAreRejected()
    {
        var valid = _ml.Data.LoadFromEnumerable([new KeyRow { Label = 2 }, new KeyRow { Label = 0 }]);
        Assert.Equal([[2], [0]], LabelColumn.Bind(valid.Schema, "Label").ReadAll(valid));
        var data = _ml.Data.LoadFromEnumerable([new KeyRow { Label = 2 }, new KeyRow { Label = 9 }]);
        var labels = LabelColumn.Bind(data.Schema, "Label");
        var ex = Assert.Throws<InvalidRowException>(() => labels.ReadAll(data));
        Assert.Equal(("Label", 1L), (ex.Column, ex.Row)); // 9 is outside Key<0-4>, which ML.NET stores as missing
    }

    [Fact]
    public void UnsupportedTypes_AreRejectedNamingTheColumn()
    {
        var data = _ml.Data.LoadFromEnumerable([new TagRow { Tags = ["x"] }]);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => LabelColumn.Bind(data.Schema, "Tags"));
        Assert.Contains("'Tags'", ex.Message);
        Assert.Contains("multi-hot", ex.Message);
    }

    public sealed class BoolRow
    {
        [VectorType(3)]
        public bool[] Label { get; set; } = [];
    }

    public sealed class DoubleRow
    {
        [VectorType(3)]
        public double[] Label { get; set; } = [];
    }

    public sealed class TagRow
    {
        public string[] Tags { get; set; } = [];
    }

    public sealed class KeyRow
    {
        [KeyType(5)]
        public uint Label { get; set; }
    }
}
