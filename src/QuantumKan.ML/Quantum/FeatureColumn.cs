using Microsoft.ML;
using Microsoft.ML.Data;
using QuantumKan.ML.DataView;

namespace QuantumKan.ML.Quantum;

/// <summary>
/// Reads a feature column (a vector of Single) row by row into a dense span, rejecting rows of the wrong length or
/// with non-finite values with an <see cref="InvalidRowException"/> naming the column and row.
/// </summary>
internal sealed class FeatureColumn
{
    public const string Expected = "a known-size vector of Single (for example mel statistics from the audio transforms)";

    private FeatureColumn(DataViewSchema.Column column, int size)
    {
        Column = column;
        Size = size;
    }

    public DataViewSchema.Column Column { get; }

    /// <summary>The vector length every row must have.</summary>
    public int Size { get; }

    /// <summary>Checks the column's type for training, where the width is learned from the schema.</summary>
    public static bool AcceptsForTraining(DataViewType type) =>
        type is VectorDataViewType { ItemType: var item, IsKnownSize: true } && item == NumberDataViewType.Single;

    /// <summary>Checks the column's type at inference: the trained width, or variable size (checked per row).</summary>
    public static bool AcceptsForInference(DataViewType type, int size) =>
        type is VectorDataViewType v && v.ItemType == NumberDataViewType.Single && (!v.IsKnownSize || v.Size == size);

    public static FeatureColumn ForTraining(DataViewSchema schema, string name)
    {
        var col = BoundRowMapper.RequireColumn(schema, name, Expected, AcceptsForTraining);
        return new FeatureColumn(col, ((VectorDataViewType)col.Type).Size);
    }

    public static FeatureColumn ForInference(DataViewSchema schema, string name, int size)
    {
        var col = BoundRowMapper.RequireColumn(schema, name, $"a vector of {size} Single", t => AcceptsForInference(t, size));
        return new FeatureColumn(col, size);
    }

    /// <summary>Frames mode: each row is a whole number (≥ 1) of frames of <see cref="Size"/> values (the mel bands).</summary>
    public bool IsFrames { get; private init; }

    /// <summary>Binds a column of log-mel frames: a vector of Single, of any length that is a multiple of <paramref name="bands"/>.</summary>
    public static FeatureColumn ForFrames(DataViewSchema schema, string name, int bands)
    {
        var col = BoundRowMapper.RequireColumn(schema, name, $"a vector of Single holding frames of {bands} mel bands (FeatureLayout.Frames)",
            t => t is VectorDataViewType v && v.ItemType == NumberDataViewType.Single && (!v.IsKnownSize || v.Size % bands == 0));
        return new FeatureColumn(col, bands) { IsFrames = true };
    }

    /// <summary>A reader of whole frame matrices (frames mode): the current row's values, validated.</summary>
    public FrameReader CreateFrameReader(DataViewRow row) => new(this, row.GetGetter<VBuffer<float>>(Column), row);

    internal sealed class FrameReader(FeatureColumn owner, ValueGetter<VBuffer<float>> getter, DataViewRow row)
    {
        private VBuffer<float> _buffer;

        /// <summary>The current row's frames, row-major <c>frames × bands</c>, in a new array.</summary>
        public float[] Read()
        {
            getter(ref _buffer);
            int bands = owner.Size;
            if (_buffer.Length == 0 || _buffer.Length % bands != 0)
                throw new InvalidRowException(owner.Column.Name, row.Position,
                    $"holds {_buffer.Length} values, not a whole number (≥ 1) of {bands}-band frames; the clip may be shorter than one frame.");
            var values = new float[_buffer.Length];
            _buffer.CopyTo(values);
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                    throw new InvalidRowException(owner.Column.Name, row.Position, $"frame {i / bands}, band {i % bands} is {values[i]}; features must be finite.");
            }
            return values;
        }
    }

    /// <summary>A reader for the current row of <paramref name="row"/> that fills a span of <see cref="Size"/> values.</summary>
    public SpanReader CreateReader(DataViewRow row) => new(this, row.GetGetter<VBuffer<float>>(Column), row);

    internal sealed class SpanReader(FeatureColumn owner, ValueGetter<VBuffer<float>> getter, DataViewRow row)
    {
        private VBuffer<float> _buffer;

        /// <summary>Copies the current row's features into <paramref name="destination"/>, validating them.</summary>
        public void Read(Span<float> destination)
        {
            getter(ref _buffer);
            if (_buffer.Length != owner.Size)
                throw new InvalidRowException(owner.Column.Name, row.Position, $"expected {owner.Size} features, found {_buffer.Length}.");
            _buffer.CopyTo(destination);
            for (int i = 0; i < destination.Length; i++)
            {
                if (!float.IsFinite(destination[i]))
                    throw new InvalidRowException(owner.Column.Name, row.Position, $"feature {i} is {destination[i]}; features must be finite.");
            }
        }
    }
}
