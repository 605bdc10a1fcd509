using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.Audio;

namespace QuantumKan.ML.Audio;

/// <summary>
/// The rows of a LoadAudio output whose clip decodes: each cursor decodes the audio column as it moves (whether or
/// not the consumer asked for that column, so every consumer sees the same rows) and passes over rows whose clip
/// fails, reporting each one. Row count is unknown up front; positions are renumbered densely.
/// </summary>
internal sealed class BadClipSkippingDataView(IDataView source, DataViewSchema.Column audio, Action<BadClip> report) : IDataView
{
    public DataViewSchema Schema => source.Schema;

    public bool CanShuffle => source.CanShuffle;

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        if (needed.All(c => c.Index != audio.Index))
            needed.Add(audio);
        return new Cursor(source.GetRowCursor(needed, rand), audio, report);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly DataViewRowCursor _input;
        private readonly ValueGetter<VBuffer<float>> _probe;
        private readonly Action<BadClip> _report;
        private VBuffer<float> _scratch;
        private long _position = -1;

        public Cursor(DataViewRowCursor input, DataViewSchema.Column audio, Action<BadClip> report)
        {
            _input = input;
            _probe = input.GetGetter<VBuffer<float>>(audio);
            _report = report;
        }

        public override DataViewSchema Schema => _input.Schema;
        public override long Position => _position;
        public override long Batch => 0;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => _input.IsColumnActive(column);
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _input.GetGetter<TValue>(column);

        public override bool MoveNext()
        {
            while (_input.MoveNext())
            {
                try
                {
                    _probe(ref _scratch);
                    _position++;
                    return true;
                }
                catch (Exception ex) when (ex is AudioFormatException or IOException or UnauthorizedAccessException)
                {
                    string source = ex is AudioFormatException afe ? afe.FileName : ex is FileNotFoundException fnf ? fnf.FileName ?? ex.Message : ex.Message;
                    _report(new BadClip(_input.Position, source, ex));
                }
            }
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _input.Dispose();
            base.Dispose(disposing);
        }
    }
}
