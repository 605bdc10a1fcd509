using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using QuantumKan.ML.Classification;

namespace QuantumKan.ML.Tests.Classification;

/// <summary>The trainer and its transformer keep ML.NET's trainer shapes: ITrainerEstimator and ISingleFeaturePredictionTransformer.</summary>
public class TrainerEstimatorTests
{
    private static IDataView KeyedData(MLContext ml, int first, int count)
    {
        var rows = MulticlassTrainerTests.Rows(first, count);
        var schema = SchemaDefinition.Create(typeof(MulticlassTrainerTests.Row));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, rows[0].Features.Length);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        return ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
    }

    // Written as ML.NET's generic helpers are (for example PermutationFeatureImportance's): it compiles only for a
    // trainer whose fitted transformer is a single-feature prediction transformer.
    private static ISingleFeaturePredictionTransformer<TModel> FitThroughInterface<TTransformer, TModel>(ITrainerEstimator<TTransformer, TModel> trainer, IDataView data)
        where TTransformer : ISingleFeaturePredictionTransformer<TModel>
        where TModel : class => trainer.Fit(data);

    [Fact]
    public void Trainer_IsAnITrainerEstimator_WhoseInfoDescribesIt()
    {
        var ml = new MLContext(seed: 3);
        ITrainerEstimator<ISingleFeaturePredictionTransformer<IQuantumKanClassifier>, IQuantumKanClassifier> trainer =
            ml.MulticlassClassification.Trainers.QuantumKan("Label", "Features", epochs: 1);
        Assert.False(trainer.Info.NeedNormalization);
        Assert.False(trainer.Info.WantCaching);
        Assert.Same(trainer.Info, trainer.Info);
    }

    [Fact]
    public void FittedTransformer_NamesItsFeatureColumnAndModel_AndStillSavesAndLoads()
    {
        var ml = new MLContext(seed: 3);
        var data = KeyedData(ml, 0, 48);
        var trainer = ml.MulticlassClassification.Trainers.QuantumKan("Label", "Features", epochs: 1);

        var fitted = FitThroughInterface(trainer, data);
        int width = ((VectorDataViewType)data.Schema["Features"].Type).Size;
        Assert.Equal("Features", fitted.FeatureColumnName);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, width), fitted.FeatureColumnType);
        var classifier = Assert.IsType<QuantumKanClassifierTransformer>(fitted);
        Assert.Same(classifier, fitted.Model);
        Assert.Equal(classifier.ClassNames, fitted.Model.ClassNames);
        Assert.Equal(width, fitted.Model.FeatureCount);

        using var temp = new TempFolder("qkan-trainer-");
        var path = temp.Combine("model.zip");
        ml.Model.Save(new TransformerChain<ITransformer>(fitted), data.Schema, path);
        var loaded = new MLContext().RegisterQuantumKan().Model.Load(path, out _);
        var reloaded = Assert.IsAssignableFrom<ISingleFeaturePredictionTransformer<IQuantumKanClassifier>>(Assert.Single((TransformerChain<ITransformer>)loaded));
        Assert.Equal("Features", reloaded.FeatureColumnName);
        Assert.Equal(fitted.FeatureColumnType, reloaded.FeatureColumnType);
        var features = MulticlassTrainerTests.Rows(10_000, 1)[0].Features;
        Assert.Equal(fitted.Model.Predict(features).Scores, reloaded.Model.Predict(features).Scores);
    }
}
