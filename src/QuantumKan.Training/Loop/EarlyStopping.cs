namespace QuantumKan.Training.Loop;

/// <summary>The improvement rule of early stopping and best-checkpoint selection.</summary>
internal static class EarlyStopping
{
    /// <summary>Whether <paramref name="value"/> beats <paramref name="best"/> by more than <paramref name="minDelta"/> (NaN never does).</summary>
    public static bool IsImprovement(double value, double? best, string metric, double minDelta)
    {
        if (double.IsNaN(value))
            return false;
        if (best is not { } b || double.IsNaN(b))
            return true;
        return MetricNames.HigherIsBetter(metric) ? value > b + minDelta : value < b - minDelta;
    }
}
