using System.Text;
using QuantumKan.Audio.Wav;
using QuantumKan.Core;

namespace QuantumKan.Data;

/// <summary>One clip to write into an FSD50K layout.</summary>
/// <param name="Fname">The clip's name; its audio goes to <c>&lt;fname&gt;.wav</c>.</param>
/// <param name="LabelIndices">Its labels as vocabulary indices (at least one).</param>
/// <param name="Split">Exactly one of Train, Val or Eval.</param>
/// <param name="Samples">Mono samples in [−1, 1].</param>
/// <param name="SampleRate">Sample rate in Hz.</param>
public sealed record Fsd50kClipToWrite(string Fname, IReadOnlyList<int> LabelIndices, Fsd50kSplit Split, float[] Samples, int SampleRate);

/// <summary>
/// Writes a data set in FSD50K's released layout (see <see cref="Fsd50kLayout"/>): 16-bit PCM mono WAVs, dev.csv
/// (fname,labels,mids,split), eval.csv (fname,labels,mids) and a header-less vocabulary.csv. The listings are written
/// last and atomically, so a reader never sees a listing whose audio is still being written.
/// </summary>
public static class Fsd50kLayoutWriter
{
    /// <summary>Writes clips, then the listings. Every vocabulary entry needs a mid.</summary>
    /// <param name="root">The root folder; created when missing. Existing files of the same names are replaced.</param>
    /// <param name="vocabulary">The classes, with mids.</param>
    /// <param name="clips">The clips; fnames must be unique.</param>
    public static void Write(string root, LabelVocabulary vocabulary, IEnumerable<Fsd50kClipToWrite> clips)
    {
        ArgumentNullException.ThrowIfNull(clips);
        var rows = new Rows(root, vocabulary);
        foreach (var clip in clips)
        {
            rows.Add(clip.Fname, clip.LabelIndices, clip.Split);
            WriteAudio(root, clip);
        }
        rows.WriteListings();
    }

    /// <summary>Writes one clip's WAV (16-bit PCM) to its split's audio folder.</summary>
    internal static void WriteAudio(string root, Fsd50kClipToWrite clip)
    {
        string path = clip.Split == Fsd50kSplit.Eval ? Fsd50kLayout.EvalAudio(root, clip.Fname) : Fsd50kLayout.DevAudio(root, clip.Fname);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        WavWriter.Write(stream, [clip.Samples], clip.SampleRate, WavSampleFormat.Pcm16);
    }

    /// <summary>Collects the listing rows, validates them, and writes the three CSVs.</summary>
    internal sealed class Rows
    {
        private readonly string _root;
        private readonly LabelVocabulary _vocabulary;
        private readonly List<(string Fname, IReadOnlyList<int> Labels, Fsd50kSplit Split)> _rows = [];
        private readonly HashSet<string> _fnames = new(StringComparer.Ordinal);

        public Rows(string root, LabelVocabulary vocabulary)
        {
            ArgumentException.ThrowIfNullOrEmpty(root);
            ArgumentNullException.ThrowIfNull(vocabulary);
            if (vocabulary.Mids.Any(string.IsNullOrEmpty))
                throw new ArgumentException("Every vocabulary entry needs a mid for the FSD50K layout.", nameof(vocabulary));
            _root = Path.GetFullPath(root);
            _vocabulary = vocabulary;
            Directory.CreateDirectory(Path.Combine(_root, Fsd50kLayout.GroundTruthFolder));
            Directory.CreateDirectory(Path.Combine(_root, Fsd50kLayout.DevAudioFolder));
            Directory.CreateDirectory(Path.Combine(_root, Fsd50kLayout.EvalAudioFolder));
        }

        public void Add(string fname, IReadOnlyList<int> labels, Fsd50kSplit split)
        {
            if (string.IsNullOrEmpty(fname) || fname.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || fname.Contains(','))
                throw new ArgumentException($"'{fname}' is not a valid fname.", nameof(fname));
            if (split is not (Fsd50kSplit.Train or Fsd50kSplit.Val or Fsd50kSplit.Eval))
                throw new ArgumentException($"Clip '{fname}': split must be exactly one of Train, Val, Eval (got {split}).", nameof(split));
            if (labels.Count == 0 || labels.Any(i => (uint)i >= (uint)_vocabulary.Count))
                throw new ArgumentException($"Clip '{fname}': needs at least one label, each an index below {_vocabulary.Count}.", nameof(labels));
            lock (_rows)
            {
                if (!_fnames.Add(fname))
                    throw new ArgumentException($"fname '{fname}' appears twice.", nameof(fname));
                _rows.Add((fname, labels.Distinct().Order().ToArray(), split));
            }
        }

        public void WriteListings()
        {
            _vocabulary.WriteFsd50kCsv(Fsd50kLayout.VocabularyCsv(_root));
            var dev = new StringBuilder("fname,labels,mids,split\n");
            var eval = new StringBuilder("fname,labels,mids\n");
            // Clips may arrive in any order (parallel generation); sorting by length then ordinally keeps numeric fnames in numeric order.
            var ordered = _rows.OrderBy(r => r.Split).ThenBy(r => r.Fname.Length).ThenBy(r => r.Fname, StringComparer.Ordinal);
            foreach (var (fname, labels, split) in ordered)
            {
                var target = split == Fsd50kSplit.Eval ? eval : dev;
                target.Append(fname).Append(',')
                    .Append(CsvRecordReader.Escape(string.Join(",", labels.Select(i => _vocabulary.Labels[i])), alwaysQuote: true)).Append(',')
                    .Append(CsvRecordReader.Escape(string.Join(",", labels.Select(i => _vocabulary.Mids[i])), alwaysQuote: true));
                if (split != Fsd50kSplit.Eval)
                    target.Append(',').Append(Fsd50kLayout.SplitName(split));
                target.Append('\n');
            }
            AtomicFile.WriteAllText(Fsd50kLayout.DevCsv(_root), dev.ToString());
            AtomicFile.WriteAllText(Fsd50kLayout.EvalCsv(_root), eval.ToString());
        }
    }
}
