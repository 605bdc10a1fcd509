using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.ML.Quantum;
using QuantumKan.Nn.Quantum;
using static TorchSharp.torch;

namespace QuantumKan.ML.Tests.Quantum;

public class QuantumEmbeddingTransformerTests(TrainedToyEmbedding toy) : IClassFixture<TrainedToyEmbedding>
{
    private static IDataView Rows(MLContext ml, params float[][] features) =>
        ml.Data.LoadFromEnumerable(features.Select(f => new KeyedRow { Features = f, Label = 0 }));

    [Fact]
    public void PredictionEngine_ReturnsTheEmbeddingOfEachRow()
    {
        var engine = toy.Ml.Model.CreatePredictionEngine<KeyedRow, EmbeddedRow>(toy.Model);
        foreach (var (features, _) in ToyClusters.Generate(4, seed: 9))
        {
            var predicted = engine.Predict(new KeyedRow { Features = features }).Embedding;
            Assert.Equal(toy.Model.Embed(features), predicted);
            Assert.Equal(24, predicted.Length);
        }
    }

    [Fact]
    public void OutputSchema_NamesEverySlot_AndShapesTheWavefunction()
    {
        var schema = toy.Model.GetOutputSchema(toy.Train.Schema);
        var embedding = schema["Embedding"];
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 24), embedding.Type);
        VBuffer<ReadOnlyMemory<char>> names = default;
        embedding.GetSlotNames(ref names);
        var slots = names.DenseValues().Select(n => n.ToString()).ToArray();
        Assert.Equal(["Alpha0", "Alpha7", "Beta0", "Gamma7"], new[] { slots[0], slots[7], slots[8], slots[23] });
        var psi = (VectorDataViewType)schema["Psi"].Type;
        Assert.Equal([8, 2, 1024], psi.Dimensions.ToArray());
    }

    [Fact]
    public void WavefunctionColumn_HoldsTheSampledStateOfTheEmbedding()
    {
        var embedded = toy.Model.Transform(toy.HeldOut);
        var embedding = embedded.GetColumn<float[]>(embedded.Schema["Embedding"]).First();
        var psi = embedded.GetColumn<float[]>(embedded.Schema["Psi"]).First();
        using var scope = NewDisposeScope();
        var state = CoherentStateParameters.Unpack(tensor(embedding));
        var expected = Wavefunction.Sample(state.Alpha, state.Beta, state.Gamma, toy.Model.Grid); // (M, N) each
        var actual = tensor(psi).reshape(8, 2, 1024);
        Assert.True((actual.select(1, 0) - expected.Real).abs().max().item<float>() < 1e-5);
        Assert.True((actual.select(1, 1) - expected.Imag).abs().max().item<float>() < 1e-5);
        var norm = Wavefunction.Norm(new SampledWavefunction(actual.select(1, 0), actual.select(1, 1)), toy.Model.Grid.Spacing);
        Assert.True((norm - 1).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void Fidelity_IsOneForTheSameClip_HighWithinAClusterAndLowerAcross()
    {
        // Rows i and i + 4 share a cluster.
        var clips = ToyClusters.Generate(8, seed: 11).Select(r => toy.Model.Embed(r.Features)).ToArray();
        Assert.Equal(1.0, toy.Model.Fidelity(clips[0], clips[0]), 12);
        for (int i = 0; i < 4; i++)
        {
            var same = toy.Model.Fidelity(clips[i], clips[i + 4]);
            Assert.True(same > 0.8, $"cluster {i}: {same}");
            for (int j = 0; j < 4; j++)
            {
                if (j != i)
                    Assert.True(toy.Model.Fidelity(clips[i], clips[j]) < same);
            }
        }
    }

    [Fact]
    public void Transform_NaNFeature_FailsNamingColumnAndRow()
    {
        var rows = ToyClusters.Generate(3, seed: 1).Select(r => r.Features).ToArray();
        rows[2][0] = float.PositiveInfinity;
        var embedded = toy.Model.Transform(Rows(toy.Ml, rows));
        var ex = Assert.Throws<InvalidRowException>(() => embedded.GetColumn<float[]>(embedded.Schema["Embedding"]).ToList());
        Assert.Equal(("Features", 2L), (ex.Column, ex.Row));
    }

    [Fact]
    public void Transform_VariableLengthFeatures_OfTheWrongSize_FailNamingTheRow()
    {
        var rows = new[] { new VariableRow { Features = new float[8] }, new VariableRow { Features = new float[7] } };
        var embedded = toy.Model.Transform(toy.Ml.Data.LoadFromEnumerable(rows));
        var ex = Assert.Throws<InvalidRowException>(() => embedded.GetColumn<float[]>(embedded.Schema["Embedding"]).ToList());
        Assert.Equal(1, ex.Row);
        Assert.Contains("expected 8 features, found 7", ex.Message);
    }

    [Fact]
    public void Transform_KnownSizeFeaturesOfTheWrongWidth_FailNamingTheColumn()
    {
        var data = toy.Ml.Data.LoadFromEnumerable([new WideRow { Features = new float[6] }]);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => toy.Model.Transform(data));
        Assert.Contains("'Features'", ex.Message);
        Assert.Contains("vector of 8 Single", ex.Message);
    }

    [Fact]
    public void Embed_RejectsWrongLengthAndNonFiniteInput()
    {
        Assert.Throws<ArgumentException>(() => toy.Model.Embed(new float[3]));
        var bad = new float[8];
        bad[4] = float.NaN;
        Assert.Contains("Feature 4", Assert.Throws<ArgumentException>(() => toy.Model.Embed(bad)).Message);
    }

    public sealed class VariableRow
    {
        public float[] Features { get; set; } = [];
    }

    public sealed class WideRow
    {
        [VectorType(6)]
        public float[] Features { get; set; } = [];
    }
}
