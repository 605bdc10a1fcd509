using QuantumKan.Training.Checkpoints;
using QuantumKan.Training.Data;
using QuantumKan.Training.Model;
using QuantumKan.Training.Optimization;
using static TorchSharp.torch.optim;

namespace QuantumKan.Training.Loop;

/// <summary>The epoch loop of one <see cref="Trainer"/> run: steps, validations, checkpoints, early stopping.</summary>
internal sealed class TrainingRun
{
    private readonly RunSetup _setup;
    private readonly TrainerOptions _options;
    private readonly TrainingState _state;
    private readonly EpochPlan _plan;
    private readonly OptimizationStep _step;
    private readonly MultiTaskLoss _loss;
    private readonly lr_scheduler.LRScheduler _scheduler;
    private readonly CheckpointStore _store;
    private readonly string _monitor;
    private byte[]? _bestModel;
    private bool _unsaved;
    private ValidationReport? _lastValidation;

    public TrainingRun(RunSetup setup, TrainingState state, byte[]? bestModel)
    {
        _setup = setup;
        _options = setup.Options;
        _state = state;
        _bestModel = bestModel;
        _loss = new MultiTaskLoss(setup.Task, _options.LossWeights);
        _plan = new EpochPlan(setup.Train.Count, _options.BatchSize, _options.AccumulationSteps, _options.Seed, _options.Shuffle);
        long totalSteps = (long)_plan.StepsPerEpoch * _options.Epochs;
        var schedule = new WarmupCosineSchedule((long)Math.Round(_options.WarmupFraction * totalSteps), totalSteps, _options.FinalLearningRateFactor);
        _scheduler = schedule.Attach(setup.Optimizer, state.GlobalStep);
        _step = new OptimizationStep(setup.Model, _loss, setup.Optimizer, new BatchReader(setup.Train, setup.Device), _options.MaxGradientNorm);
        _store = new CheckpointStore(_options.Workspace);
        _monitor = setup.Monitor;
    }

    /// <summary>Test hook: the checkpoint store (to inject write failures).</summary>
    internal CheckpointStore Store => _store;

    public TrainingResult Execute(CancellationToken cancellationToken)
    {
        if (_setup.IsFreshStart)
            SaveLast(); // a "last good" checkpoint exists from the start, for the NaN guard and for cancellation
        while (!_state.IsFinished(_options.Epochs))
        {
            var steps = _plan.Steps(_state.Epoch);
            (_setup.Train as Data.Frames.IEpochDependentSource)?.BeginEpoch(_state.Epoch);
            while (_state.StepInEpoch < steps.Count && _state.StoppedEarlyReason is null)
            {
                StopIfCancelled(cancellationToken);
                RunStep(steps[_state.StepInEpoch]);
                AfterStep();
            }
            if (_state.StoppedEarlyReason is null)
                CompleteEpoch();
        }
        return Finish();
    }

    private void RunStep(int[][] microBatches)
    {
        // A per-step seed for the batches' own draws: a pure function of the run's seed and the global step.
        long stepSeed = (long)ShuffledOrder.Mix((ulong)_options.Seed ^ ShuffledOrder.Mix(0xA0C5_0000UL + (ulong)_state.GlobalStep)) & long.MaxValue;
        var outcome = _step.Run(microBatches, stepSeed);
        _scheduler.step();
        _state.GlobalStep++;
        _state.StepInEpoch++;
        _state.ExamplesSeen += outcome.Examples;
        _state.LastLearningRate = outcome.LearningRate;
        _unsaved = true;
        if (outcome.Skipped)
        {
            _state.SkippedSteps++;
            _state.EpochSkippedSteps++;
            _state.ConsecutiveSkippedSteps++;
        }
        else
        {
            _state.AppliedSteps++;
            _state.ConsecutiveSkippedSteps = 0;
            foreach (var (name, value) in outcome.Losses)
                _state.EpochLossSums[name] = _state.EpochLossSums.GetValueOrDefault(name) + value * outcome.Examples;
            foreach (var (name, sum) in outcome.Metrics)
            {
                var total = _state.EpochMetricSums.GetValueOrDefault(name);
                _state.EpochMetricSums[name] = new MetricSum(total.Sum + sum.Sum, total.Examples + sum.Examples);
            }
            _state.EpochExamples += outcome.Examples;
        }
        Report(new StepReport(_state.Epoch, _state.GlobalStep, outcome.Losses, outcome.LearningRate, outcome.GradientNorm,
            outcome.Examples, outcome.Skipped, outcome.SkipReason));
        if (_state.ConsecutiveSkippedSteps >= _options.MaxConsecutiveNonFiniteSteps)
            throw Diverged(outcome.SkipReason!);
    }

    private void AfterStep()
    {
        bool stepValidation = _options.ValidateEverySteps > 0 && _state.GlobalStep % _options.ValidateEverySteps == 0;
        if (stepValidation && _setup.Validation is not null)
        {
            bool improved = Validate();
            SaveCheckpoints(improved);
        }
        else if (_options.CheckpointEverySteps > 0 && _state.GlobalStep % _options.CheckpointEverySteps == 0 && !InBadStreak)
            SaveLast();
    }

    private void CompleteEpoch()
    {
        int epoch = _state.Epoch;
        var trainingLosses = _state.EpochLossSums.ToDictionary(kv => kv.Key, kv => kv.Value / Math.Max(1, _state.EpochExamples));
        _state.Epoch++;
        _state.StepInEpoch = 0;
        bool improved = false;
        bool due = _options.ValidateEveryEpochs > 0 && _state.Epoch % _options.ValidateEveryEpochs == 0;
        if (due && _setup.Validation is not null && _state.LastValidatedStep != _state.GlobalStep)
            improved = Validate();
        bool validatedNow = _lastValidation is not null && _state.LastValidatedStep == _state.GlobalStep;
        var summary = new EpochSummary(epoch, _state.GlobalStep, _state.LastLearningRate, trainingLosses,
            validatedNow ? _lastValidation!.Losses : null, validatedNow ? _lastValidation!.Metrics : null, _state.EpochSkippedSteps,
            _state.EpochMetricSums.Count == 0 ? null : MetricSum.Means(_state.EpochMetricSums));
        _state.History.Add(summary);
        _state.EpochLossSums.Clear();
        _state.EpochMetricSums.Clear();
        _state.EpochExamples = 0;
        _state.EpochSkippedSteps = 0;
        Report(new EpochReport(epoch, _state.GlobalStep, summary));
        SaveCheckpoints(improved);
    }

    /// <summary>Scores the whole validation set, updates best/early-stopping state; returns whether it improved.</summary>
    private bool Validate()
    {
        var evaluation = ModelEvaluator.Evaluate(_setup.Model, _setup.Validation!, _setup.Task, _loss, _options.BatchSize, _setup.Device);
        _state.Validations++;
        _state.LastValidatedStep = _state.GlobalStep;
        double value = evaluation.Metrics[_monitor];
        bool improved = EarlyStopping.IsImprovement(value, _state.BestMetric, _monitor, _options.EarlyStoppingMinDelta);
        if (improved)
        {
            _state.BestMetric = value;
            _state.BestGlobalStep = _state.GlobalStep;
            _state.ValidationsWithoutImprovement = 0;
            _bestModel = TrainingCheckpoint.SerializeModule(_setup.Model.Module);
        }
        else
            _state.ValidationsWithoutImprovement++;
        _lastValidation = new ValidationReport(_state.Epoch, _state.GlobalStep, evaluation.Losses, evaluation.Metrics,
            evaluation.MultiLabel, evaluation.Multiclass, improved);
        Report(_lastValidation);
        if (_options.EarlyStoppingPatience > 0 && _state.ValidationsWithoutImprovement >= _options.EarlyStoppingPatience)
        {
            _state.StoppedEarlyReason =
                $"{_monitor} did not improve for {_state.ValidationsWithoutImprovement} validations (best {_state.BestMetric:G4} at step {_state.BestGlobalStep}).";
            Report(new EarlyStopReport(_state.Epoch, _state.GlobalStep, _state.StoppedEarlyReason));
        }
        return improved;
    }

    private void StopIfCancelled(CancellationToken cancellationToken)
    {
        if (!cancellationToken.IsCancellationRequested)
            return;
        if (_unsaved)
            SaveLast();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private TrainingResult Finish()
    {
        if (_unsaved || _store.Last is null)
            SaveLast();
        bool restore = _options.RestoreBestWeights && _bestModel is not null;
        if (restore)
            _store.Last!.LoadWeightsInto(_setup.Model.Module, best: true);
        return new TrainingResult(_state, _store.Last!, _lastValidation, restore);
    }

    private void SaveCheckpoints(bool improved)
    {
        if (InBadStreak)
            return;
        var checkpoint = Capture();
        if (improved)
        {
            _store.SaveBest(checkpoint);
            Report(new CheckpointReport(_state.Epoch, _state.GlobalStep, "best", _store.BestPath));
        }
        Save(checkpoint);
    }

    private void SaveLast() => Save(Capture());

    /// <summary>
    /// While steps are being skipped for NaN/∞, routine checkpoints are held back so that the newest one on disk is
    /// always from before the trouble (cancellation still writes: its state is consistent and needed to resume).
    /// </summary>
    private bool InBadStreak => _state.ConsecutiveSkippedSteps > 0;

    private void Save(TrainingCheckpoint checkpoint)
    {
        _store.SaveLast(checkpoint);
        _unsaved = false;
        Report(new CheckpointReport(_state.Epoch, _state.GlobalStep, "last", _store.LastPath));
    }

    private TrainingCheckpoint Capture() =>
        TrainingCheckpoint.Capture(_setup.Task, _options, _state, _setup.Model.Module, _setup.Optimizer, _bestModel);

    private TrainingDivergedException Diverged(string reason)
    {
        var last = _store.Last;
        return new TrainingDivergedException(
            $"Training diverged: {_state.ConsecutiveSkippedSteps} consecutive steps up to global step {_state.GlobalStep} had non-finite values " +
            $"(latest: {reason}). Nothing was written after the first bad step; the last good checkpoint is " +
            $"{(_store.LastPath is { } p ? $"'{p}'" : "kept in memory")} (global step {last?.Metadata.State.GlobalStep}). " +
            "Lower the learning rate, enable gradient clipping, or check the data for extreme values.",
            last, _store.LastPath);
    }

    private void Report(TrainingReport report) => _setup.Progress?.Report(report);
}
