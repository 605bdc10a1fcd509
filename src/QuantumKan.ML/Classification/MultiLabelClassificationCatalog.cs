using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using QuantumKan.ML.Quantum;
using QuantumKan.Training.Loop;
using QuantumKan.Training.Metrics;
using QuantumKan.Training.Model;

namespace QuantumKan.ML.Classification;

/// <summary>Multi-label classification: trainers and evaluation, in the shape of ML.NET's own catalogs.</summary>
public sealed class MultiLabelClassificationCatalog
{
    internal MultiLabelClassificationCatalog(MLContext mlContext) => Trainers = new MultiLabelTrainers(mlContext);

    /// <summary>The multi-label trainers.</summary>
    public MultiLabelTrainers Trainers { get; }

    /// <summary>
    /// Scores a scored data view against its labels over ALL its rows: mAP, per-class AP, d′ and lwlrap.
    /// </summary>
    /// <param name="data">Rows with a label column and a score column (per-class probabilities with slot names).</param>
    /// <param name="labelColumnName">Multi-hot vector, key vector, or text label names (matched against the score's slot names). Default "Label".</param>
    /// <param name="scoreColumnName">Known-size Single vector of per-class scores. Default "Score".</param>
    public MultiLabelMetrics Evaluate(IDataView data, string labelColumnName = "Label", string scoreColumnName = "Score")
    {
        ArgumentNullException.ThrowIfNull(data);
        var scoreColumn = data.Schema.GetColumnOrNull(scoreColumnName)
                          ?? throw new ArgumentOutOfRangeException(nameof(scoreColumnName), $"Score column '{scoreColumnName}' was not found.");
        if (scoreColumn.Type is not VectorDataViewType { IsKnownSize: true, ItemType: var item } scoreType || item != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(scoreColumnName), $"Score column '{scoreColumnName}' has type {scoreColumn.Type}; expected a known-size vector of Single.");
        int classes = scoreType.Size;
        var options = new QuantumKanClassifierOptions { LabelColumnName = labelColumnName, Vocabulary = SlotNames(scoreColumn) };
        var labels = ClassifierLabels.Bind(data.Schema, options, ClassificationTask.MultiLabel);
        if (labels.ClassCount != classes)
            throw new ArgumentException($"Label column '{labelColumnName}' has {labels.ClassCount} classes; score column '{scoreColumnName}' has {classes}.");
        var scores = new List<float>();
        var targets = new List<float>();
        using var cursor = data.GetRowCursor([scoreColumn, labels.Column]);
        var getScores = cursor.GetGetter<VBuffer<float>>(scoreColumn);
        var readLabels = labels.CreateReader(cursor);
        VBuffer<float> buffer = default;
        while (cursor.MoveNext())
        {
            getScores(ref buffer);
            foreach (var v in buffer.DenseValues())
            {
                if (!float.IsFinite(v))
                    throw new InvalidRowException(scoreColumnName, cursor.Position, $"score {v} is not finite.");
                scores.Add(v);
            }
            targets.AddRange(readLabels());
        }
        return MultiLabelEvaluation.Evaluate(scores.ToArray(), targets.ToArray(), classes);
    }

    private static string[]? SlotNames(DataViewSchema.Column column)
    {
        if (column.Annotations.Schema.GetColumnOrNull("SlotNames") is null)
            return null;
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.Annotations.GetValue("SlotNames", ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    /// <summary>The multi-label trainers.</summary>
    public sealed class MultiLabelTrainers
    {
        private readonly IHostEnvironment _env;

        internal MultiLabelTrainers(IHostEnvironment env) => _env = env;

        /// <summary>A multi-label QuantumKan classifier.</summary>
        /// <param name="labelColumnName">Multi-hot vector, key vector, or text label names (with <paramref name="vocabulary"/>). Default "Label".</param>
        /// <param name="featureColumnName">Known-size Single vector column. Default "Features".</param>
        /// <param name="vocabulary">Class names, required for text labels. Default null.</param>
        /// <param name="epochs">Passes over the training data. Default 30.</param>
        public QuantumKanClassifierTrainer QuantumKan(string labelColumnName = "Label", string featureColumnName = "Features",
            IReadOnlyList<string>? vocabulary = null, int epochs = 30)
        {
            var options = new QuantumKanClassifierOptions
            {
                LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Vocabulary = vocabulary,
                Training = new TrainerOptions { Epochs = epochs },
            };
            return QuantumKan(options);
        }

        /// <summary>A multi-label QuantumKan classifier with every option.</summary>
        public QuantumKanClassifierTrainer QuantumKan(QuantumKanClassifierOptions options) =>
            new(_env, ClassificationTask.MultiLabel, options);
    }
}
