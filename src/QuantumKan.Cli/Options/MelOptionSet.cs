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

    /// <summary>Adds the options to a command and validates their combination at parse time.</summary>
    public void AddTo(Command command)
    {
        Option[] options = [SampleRate, Mels, FftSize, Hop, FMin, FMax, Scale, MelScale, Layout, Segments, Statistics, Frames];
        foreach (var option in options)
            command.Options.Add(option);
        if (!_fixedSizeOnly)
        {
            command.Options.Add(PatchSeconds);
            command.Options.Add(PatchOverlap);
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
            HopLength = r.GetValue(Hop),
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

    private string OptionFor(string? field) => field switch
    {
        nameof(LogMelOptions.SampleRate) => SampleRate.Name,
        nameof(LogMelOptions.MelBands) => Mels.Name,
        nameof(LogMelOptions.FftSize) or nameof(LogMelOptions.WindowLength) => FftSize.Name,
        nameof(LogMelOptions.HopLength) => Hop.Name,
        nameof(LogMelOptions.FMin) => FMin.Name,
        nameof(LogMelOptions.FMax) => FMax.Name,
        nameof(LogMelOptions.PoolingSegments) => Segments.Name,
        nameof(LogMelOptions.PoolingStatistics) => Statistics.Name,
        nameof(LogMelOptions.FixedFrames) => Frames.Name,
        nameof(LogMelOptions.PatchSeconds) => PatchSeconds.Name,
        nameof(LogMelOptions.PatchOverlap) => PatchOverlap.Name,
        _ => "mel options",
    };

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
