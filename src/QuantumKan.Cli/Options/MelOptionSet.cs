using System.CommandLine;
using System.CommandLine.Parsing;
using QuantumKan.Audio.Mel;

namespace QuantumKan.Cli.Options;

/// <summary>
/// The log-mel front-end options shared by <c>train</c>, <c>demo</c> and <c>mel</c>. Their defaults come from the
/// <see cref="LogMelOptions"/> the command passes in, so each command documents the defaults it really uses.
/// </summary>
internal sealed class MelOptionSet
{
    private readonly LogMelOptions _defaults;
    private readonly bool _fixedSizeOnly;

    /// <summary>Creates the options.</summary>
    /// <param name="defaults">The command's defaults.</param>
    /// <param name="fixedSizeOnly">Only layouts with one fixed-size vector per clip (what a classifier takes): pooled, fixed-frames.</param>
    public MelOptionSet(LogMelOptions defaults, bool fixedSizeOnly)
    {
        _defaults = defaults;
        _fixedSizeOnly = fixedSizeOnly;
        SampleRate = new Option<int>("--sample-rate") { Description = $"Feature sample rate in Hz; audio at other rates is resampled.", DefaultValueFactory = _ => defaults.SampleRate };
        Mels = new Option<int>("--mels") { Description = $"Number of mel bands.", DefaultValueFactory = _ => defaults.MelBands };
        FftSize = new Option<int>("--n-fft") { Description = $"FFT size in samples.", DefaultValueFactory = _ => defaults.FftSize };
        Hop = new Option<int>("--hop") { Description = $"Hop between frames in samples.", DefaultValueFactory = _ => defaults.HopLength };
        FMin = new Option<double>("--fmin") { Description = $"Lowest mel band edge in Hz.", DefaultValueFactory = _ => defaults.FMin };
        FMax = new Option<double?>("--fmax") { Description = "Highest mel band edge in Hz. Default half the sample rate." };
        Scale = new Option<MelOutputScale>("--scale") { Description = $"Output scale: Log (ln(x + 1e-6)), Decibels or Power.", DefaultValueFactory = _ => defaults.OutputScale };
        MelScale = new Option<MelScale>("--mel-scale") { Description = $"Mel scale: Htk (torchaudio) or Slaney (librosa).", DefaultValueFactory = _ => defaults.MelScale };
        Layout = new Option<FeatureLayout>("--layout")
        {
            Description = fixedSizeOnly
                ? "Feature layout: Pooled (per-segment statistics) or FixedFrames."
                : "Feature layout: Frames, Pooled, FixedFrames or Patches.",
            DefaultValueFactory = _ => defaults.Layout,
        };
        if (fixedSizeOnly)
            Layout.HelpName = "Pooled|FixedFrames"; // help would otherwise list every layout, and training refuses the others
        Segments = new Option<int>("--segments") { Description = $"Pooled layout: equal time segments pooled separately, in order (keeps temporal order).", DefaultValueFactory = _ => defaults.PoolingSegments };
        Statistics = new Option<PoolingStatistics>("--stats")
        {
            Description = "Pooled layout: statistics per band, comma-separated from Mean, Std, Max.",
            HelpName = "list",
            DefaultValueFactory = _ => defaults.PoolingStatistics,
            CustomParser = ParseStatistics,
        };
        Frames = new Option<int>("--frames") { Description = $"FixedFrames layout: frames kept per clip (cropped or tiled).", DefaultValueFactory = _ => defaults.FixedFrames };
        PatchSeconds = new Option<double>("--patch-seconds") { Description = $"Patches layout: patch length in seconds.", DefaultValueFactory = _ => defaults.PatchSeconds };
        PatchOverlap = new Option<double>("--patch-overlap") { Description = $"Patches layout: overlap between patches in [0, 1).", DefaultValueFactory = _ => defaults.PatchOverlap };
        PatchCount = new Option<int>("--patch-count") { Description = "Patches layout: patches per clip (cropped or tiled); 0 keeps every patch.", DefaultValueFactory = _ => defaults.PatchCount };
        WindowLength = new Option<int?>("--win-length") { Description = "Hann window length in samples (zero-padded to --n-fft). Default: --n-fft." };
        Center = new Option<bool>("--center") { Description = "Pad the signal by n_fft/2 on both sides so frame t is centred at t·hop (torchaudio's center).", DefaultValueFactory = _ => defaults.Center };
        PadMode = new Option<PadMode>("--pad-mode") { Description = "Padding when --center is on: Reflect or Constant (zeros).", DefaultValueFactory = _ => defaults.PadMode };
        Power = new Option<int>("--power") { Description = "Spectrogram exponent: 1 (magnitude) or 2 (power).", DefaultValueFactory = _ => defaults.Power };
        Norm = new Option<MelNorm>("--norm") { Description = "Mel filter normalization: None or Slaney (area-normalized, librosa/torchaudio norm='slaney').", DefaultValueFactory = _ => defaults.MelNorm };
        LogOffset = new Option<double>("--log-offset") { Description = "Log scale: the offset in ln(x + offset).", DefaultValueFactory = _ => defaults.LogOffset };
        Amin = new Option<double>("--amin") { Description = "Decibels scale: the floor applied before 10·log10.", DefaultValueFactory = _ => defaults.Amin };
        // Text, not double?: System.CommandLine cannot hand back a null from a custom parser for 'none'.
        TopDb = new Option<string>("--top-db")
        {
            Description = "Decibels scale: clamp to this many dB below the clip's peak; 'none' for no clamp.",
            HelpName = "dB|none",
            DefaultValueFactory = _ => defaults.TopDb is { } db ? db.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none",
        };
        ShortClipFill = new Option<ShortClipFill>("--short-clip-fill") { Description = "FixedFrames and Patches layouts: fill a clip shorter than needed by Tile (repeat) or Pad (log-mel floor).", DefaultValueFactory = _ => defaults.ShortClipFill };
    }

    public Option<int> SampleRate { get; }
    public Option<int> Mels { get; }
    public Option<int> FftSize { get; }
    public Option<int> Hop { get; }
    public Option<double> FMin { get; }
    public Option<double?> FMax { get; }
    public Option<MelOutputScale> Scale { get; }
    public Option<MelScale> MelScale { get; }
    public Option<FeatureLayout> Layout { get; }
    public Option<int> Segments { get; }
    public Option<PoolingStatistics> Statistics { get; }
    public Option<int> Frames { get; }
    public Option<double> PatchSeconds { get; }
    public Option<double> PatchOverlap { get; }
    public Option<int> PatchCount { get; }
    public Option<int?> WindowLength { get; }
    public Option<bool> Center { get; }
    public Option<PadMode> PadMode { get; }
    public Option<int> Power { get; }
    public Option<MelNorm> Norm { get; }
    public Option<double> LogOffset { get; }
    public Option<double> Amin { get; }
    public Option<string> TopDb { get; }
    public Option<ShortClipFill> ShortClipFill { get; }

    /// <summary>The option of each <see cref="LogMelOptions"/> field this set exposes, by field name.</summary>
    public IReadOnlyDictionary<string, Option> OptionsByField => new Dictionary<string, Option>
    {
        [nameof(LogMelOptions.SampleRate)] = SampleRate, [nameof(LogMelOptions.MelBands)] = Mels, [nameof(LogMelOptions.FftSize)] = FftSize,
        [nameof(LogMelOptions.WindowLength)] = WindowLength, [nameof(LogMelOptions.HopLength)] = Hop, [nameof(LogMelOptions.FMin)] = FMin,
        [nameof(LogMelOptions.FMax)] = FMax, [nameof(LogMelOptions.Center)] = Center, [nameof(LogMelOptions.PadMode)] = PadMode,
        [nameof(LogMelOptions.Power)] = Power, [nameof(LogMelOptions.MelScale)] = MelScale, [nameof(LogMelOptions.MelNorm)] = Norm,
        [nameof(LogMelOptions.OutputScale)] = Scale, [nameof(LogMelOptions.LogOffset)] = LogOffset, [nameof(LogMelOptions.Amin)] = Amin,
        [nameof(LogMelOptions.TopDb)] = TopDb, [nameof(LogMelOptions.Layout)] = Layout, [nameof(LogMelOptions.PoolingStatistics)] = Statistics,
        [nameof(LogMelOptions.PoolingSegments)] = Segments, [nameof(LogMelOptions.FixedFrames)] = Frames,
        [nameof(LogMelOptions.ShortClipFill)] = ShortClipFill, [nameof(LogMelOptions.PatchSeconds)] = PatchSeconds,
        [nameof(LogMelOptions.PatchOverlap)] = PatchOverlap, [nameof(LogMelOptions.PatchCount)] = PatchCount,
    };

    /// <summary>Adds the options to a command and validates their combination at parse time.</summary>
    public void AddTo(Command command)
    {
        Option[] options = [SampleRate, Mels, FftSize, WindowLength, Hop, FMin, FMax, Center, PadMode, Power, Norm, Scale, MelScale,
            LogOffset, Amin, TopDb, Layout, Segments, Statistics, Frames, ShortClipFill];
        foreach (var option in options)
            command.Options.Add(option);
        if (!_fixedSizeOnly)
        {
            command.Options.Add(PatchSeconds);
            command.Options.Add(PatchOverlap);
            command.Options.Add(PatchCount);
        }
        command.ValidateBy(r => Read(r));
    }

    /// <summary>The front-end options the arguments describe.</summary>
    /// <exception cref="ArgumentException">A value is out of range or the layout is not allowed here (names the option).</exception>
    public LogMelOptions Read(SymbolResult r)
    {
        var layout = r.GetValue(Layout);
        if (_fixedSizeOnly && layout is not (FeatureLayout.Pooled or FeatureLayout.FixedFrames))
            throw new ArgumentException($"--layout {layout} gives a variable number of values per clip; a classifier needs Pooled or FixedFrames.");
        var options = _defaults with
        {
            SampleRate = r.GetValue(SampleRate),
            MelBands = r.GetValue(Mels),
            FftSize = r.GetValue(FftSize),
            WindowLength = r.GetValue(WindowLength),
            HopLength = r.GetValue(Hop),
            Center = r.GetValue(Center),
            PadMode = r.GetValue(PadMode),
            Power = r.GetValue(Power),
            MelNorm = r.GetValue(Norm),
            LogOffset = r.GetValue(LogOffset),
            Amin = r.GetValue(Amin),
            TopDb = ParseTopDb(r.GetValue(TopDb)),
            ShortClipFill = r.GetValue(ShortClipFill),
            FMin = r.GetValue(FMin),
            FMax = r.GetValue(FMax),
            OutputScale = r.GetValue(Scale),
            MelScale = r.GetValue(MelScale),
            Layout = layout,
            PoolingSegments = r.GetValue(Segments),
            PoolingStatistics = r.GetValue(Statistics),
            FixedFrames = r.GetValue(Frames),
            PatchSeconds = _fixedSizeOnly ? _defaults.PatchSeconds : r.GetValue(PatchSeconds),
            PatchOverlap = _fixedSizeOnly ? _defaults.PatchOverlap : r.GetValue(PatchOverlap),
            PatchCount = _fixedSizeOnly ? _defaults.PatchCount : r.GetValue(PatchCount),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            // LogMelOptions names its field ("LogMelOptions.FMax must be ..."); say which option that is.
            throw new ArgumentException($"{OptionFor(ex.ParamName)}: {ex.Message.Split(" (Parameter")[0]}", ex);
        }
        return options;
    }

    private string OptionFor(string? field) =>
        field is not null && OptionsByField.TryGetValue(field, out var option) ? option.Name : "mel options";

    private static double? ParseTopDb(string? text)
    {
        if (text is null || text.Equals("none", StringComparison.OrdinalIgnoreCase))
            return null;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var db))
            return db;
        throw new ArgumentException($"--top-db takes a number of dB or 'none', got '{text}'.");
    }

    private static PoolingStatistics ParseStatistics(ArgumentResult result)
    {
        var statistics = PoolingStatistics.None;
        foreach (var token in result.Tokens)
            foreach (var part in token.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!Enum.TryParse<PoolingStatistics>(part, ignoreCase: true, out var one) || one == PoolingStatistics.None || !Enum.IsDefined(one))
                {
                    result.AddError($"'{part}' is not a pooling statistic; use Mean, Std or Max.");
                    return PoolingStatistics.None;
                }
                statistics |= one;
            }
        return statistics;
    }
}
