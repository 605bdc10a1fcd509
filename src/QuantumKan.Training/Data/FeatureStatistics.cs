
namespace QuantumKan.Training.Data;

/// <summary>Per-feature mean and standard deviation of a feature source, in one streaming pass (double accumulators).</summary>
public static class FeatureStatistics
{
    public static (float[] Mean, float[] Std) MeanAndStd(IFeatureSource source)
    {
        int d = source.FeatureSize;
        var sum = new double[d];
        var sumSquares = new double[d];
        var row = new float[d];
        for (int i = 0; i < source.Count; i++)
        {
            source.ReadFeatures(i, row);
            for (int j = 0; j < d; j++)
            {
                sum[j] += row[j];
                sumSquares[j] += (double)row[j] * row[j];
            }
        }
        int n = Math.Max(1, source.Count);
        var mean = new float[d];
        var std = new float[d];
        for (int j = 0; j < d; j++)
        {
            double m = sum[j] / n;
            mean[j] = (float)m;
            std[j] = (float)Math.Sqrt(Math.Max(0, sumSquares[j] / n - m * m));
        }
        return (mean, std);
    }
}
