using QuantumKan.ML.Persistence;
using QuantumKan.ML.Classification;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Model;

// ML.NET's convention: catalog extensions live in Microsoft.ML, so `using Microsoft.ML;` finds them.
namespace Microsoft.ML;

/// <summary>QuantumKan trainers on ML.NET's classification catalogs.</summary>
public static class QuantumKanClassifierCatalog
{
    /// <summary>A multiclass QuantumKan classifier (quantum field embedding + KAN layers, multi-task training).</summary>
    /// <param name="catalog">mlContext.MulticlassClassification.Trainers.</param>
    /// <param name="labelColumnName">Key-typed label column. Default "Label".</param>
    /// <param name="featureColumnName">Known-size Single vector column. Default "Features".</param>
    /// <param name="epochs">Passes over the training data. Default 30.</param>
    public static QuantumKanClassifierTrainer QuantumKan(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int epochs = 30)
    {
        var options = new QuantumKanClassifierOptions
        {
            LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Training = new TrainerOptions { Epochs = epochs },
        };
        return catalog.QuantumKan(options);
    }

    /// <summary>A multiclass QuantumKan classifier with every option.</summary>
    /// <param name="catalog">mlContext.MulticlassClassification.Trainers.</param>
    /// <param name="options">Columns, architecture, optimization, validation and hooks.</param>
    public static QuantumKanClassifierTrainer QuantumKan(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        QuantumKanClassifierOptions options) =>
        new(MlNetInternals.EnvironmentOf(catalog), ClassificationTask.Multiclass, options);

    /// <summary>
    /// The multi-label classification catalog (FSD50K-style tasks: any subset of classes per clip), with QuantumKan
    /// trainers and a multi-label evaluator (mAP, d′, lwlrap).
    /// </summary>
    public static MultiLabelClassificationCatalog MultiLabelClassification(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new MultiLabelClassificationCatalog(mlContext);
    }
}
