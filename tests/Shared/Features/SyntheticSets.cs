using QuantumKan.Training.Data;

namespace QuantumKan.Tests.Shared;

/// <summary>Synthetic, learnable data sets generated in the tests.</summary>
internal static class SyntheticSets
{
    /// <summary>
    /// Multi-label: each class has a random prototype; an example holds 1–3 classes and its features are the sum of their
    /// prototypes plus Gaussian noise. Features have shape [features] (or [2, features/2] when <paramref name="twoDimensional"/>).
    /// </summary>
    public static InMemoryFeatureSource MultiLabel(int count, int classes, int features, int seed, double noise = 0.3, bool twoDimensional = false)
    {
        var random = new Random(seed);
        var prototypes = Prototypes(new Random(1000 + classes * 31 + features), classes, features);
        var x = new float[count * features];
        var y = new float[count * classes];
        for (int i = 0; i < count; i++)
        {
            int active = random.Next(1, 4);
            foreach (var c in Enumerable.Range(0, classes).OrderBy(_ => random.Next()).Take(active))
            {
                y[i * classes + c] = 1;
                for (int f = 0; f < features; f++) x[i * features + f] += prototypes[c][f];
            }
            for (int f = 0; f < features; f++) x[i * features + f] += (float)(noise * TestRandom.Gaussian(random));
        }
        int[] shape = twoDimensional ? [2, features / 2] : [features];
        return new InMemoryFeatureSource(x, shape, y, classes);
    }

    /// <summary>Multiclass: Gaussian blobs around random class centres; labels one-hot.</summary>
    public static InMemoryFeatureSource Multiclass(int count, int classes, int features, int seed, double noise = 0.6)
    {
        var random = new Random(seed);
        var centres = Prototypes(new Random(2000 + classes * 31 + features), classes, features);
        var x = new float[count * features];
        var y = new float[count * classes];
        for (int i = 0; i < count; i++)
        {
            int c = random.Next(classes);
            y[i * classes + c] = 1;
            for (int f = 0; f < features; f++) x[i * features + f] = centres[c][f] + (float)(noise * TestRandom.Gaussian(random));
        }
        return new InMemoryFeatureSource(x, [features], y, classes);
    }

    private static float[][] Prototypes(Random random, int classes, int features) =>
        Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, features).Select(_ => (float)TestRandom.Gaussian(random)).ToArray()).ToArray();
}
