namespace QuantumKan.Training.Metrics;

/// <summary>
/// Turns patch-level outputs into clip-level scores. A clip longer than the model's input window is cut into patches
/// (e.g. 1 s log-mel windows); its clip score for each class is <b>the sigmoid of the mean of its patch logits</b>.
/// Averaging logits (rather than probabilities, or taking the max) is the geometric-mean-of-odds pooling used by
/// FSD50K baselines: one confident patch cannot dominate, yet consistent evidence across patches adds up.
/// </summary>
public static class ClipScores
{
    /// <summary>Pools patch logits into clip probabilities: sigmoid(mean over the clip's patches of the logits).</summary>
    /// <param name="patchLogits">Row-major logits, <c>[patches, classCount]</c>.</param>
    /// <param name="clipOfPatch">The clip index of each patch, in [0, clipCount).</param>
    /// <param name="classCount">The number of classes.</param>
    /// <param name="clipCount">The number of clips; every clip needs at least one patch.</param>
    /// <returns>Row-major clip probabilities, <c>[clipCount, classCount]</c>.</returns>
    public static float[] FromPatchLogits(ReadOnlySpan<float> patchLogits, ReadOnlySpan<int> clipOfPatch, int classCount, int clipCount)
    {
        var meanLogits = MeanPatchLogits(patchLogits, clipOfPatch, classCount, clipCount);
        for (int i = 0; i < meanLogits.Length; i++)
            meanLogits[i] = Sigmoid(meanLogits[i]);
        return meanLogits;
    }

    /// <summary>The mean of each clip's patch logits, row-major <c>[clipCount, classCount]</c> (the step before the sigmoid).</summary>
    public static float[] MeanPatchLogits(ReadOnlySpan<float> patchLogits, ReadOnlySpan<int> clipOfPatch, int classCount, int clipCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(clipCount);
        if (patchLogits.Length != clipOfPatch.Length * classCount)
            throw new ArgumentException($"{patchLogits.Length} logits do not match {clipOfPatch.Length} patches of {classCount} classes.", nameof(patchLogits));
        var sums = new double[clipCount * classCount];
        var counts = new int[clipCount];
        for (int p = 0; p < clipOfPatch.Length; p++)
        {
            int clip = clipOfPatch[p];
            if ((uint)clip >= (uint)clipCount)
                throw new ArgumentException($"Patch {p}: clip index {clip} is outside [0, {clipCount}).", nameof(clipOfPatch));
            counts[clip]++;
            for (int c = 0; c < classCount; c++)
                sums[clip * classCount + c] += patchLogits[p * classCount + c];
        }
        var result = new float[sums.Length];
        for (int clip = 0; clip < clipCount; clip++)
        {
            if (counts[clip] == 0)
                throw new ArgumentException($"Clip {clip} has no patches.", nameof(clipOfPatch));
            for (int c = 0; c < classCount; c++)
                result[clip * classCount + c] = (float)(sums[clip * classCount + c] / counts[clip]);
        }
        return result;
    }

    /// <summary>The logistic function 1 / (1 + e^(−x)), evaluated without overflow for large |x|.</summary>
    public static float Sigmoid(float x) =>
        x >= 0 ? (float)(1 / (1 + Math.Exp(-x))) : (float)(Math.Exp(x) / (1 + Math.Exp(x)));
}
