using System.CommandLine;
using System.CommandLine.Parsing;
using QuantumKan.Nn.Encoders;
using QuantumKan.Nn.Kan;
using QuantumKan.Nn.Losses;
using QuantumKan.Nn.Network;
using QuantumKan.Nn.Quantum;

namespace QuantumKan.Cli.Options;

/// <summary>The architecture options of <c>train</c>: the quantum field embedding and the KAN layers.</summary>
internal sealed class NetworkOptionSet
{
    private static readonly QuantumKanNetworkOptions Defaults = new();

    public Option<FrameEncoderKind> Encoder { get; } = new("--encoder")
    {
        Description = "Frame encoder in front of the quantum embedding: Temporal (1-D convolution over time, mel bands as channels), " +
                      "Conv2d (2-D residual convolution), KanTemporal (KAN convolution over time), or None (pooled statistics, " +
                      "the --layout/--segments front end). With an encoder the front end keeps every frame.",
        DefaultValueFactory = _ => FrameEncoderKind.Temporal,
    };

    public Option<int[]> EncoderChannels { get; } = new("--encoder-channels")
    {
        Description = "Channels of the encoder's stem and of each halving block after it, comma-separated.",
        DefaultValueFactory = _ => Defaults.Encoder.Channels,
        CustomParser = CommandValidation.ParsePositiveIntegers,
    };

    public Option<TimePoolingKind> Pooling { get; } = new("--pooling")
    {
        Description = "Time pooling of the encoder's output: MeanMax or Attention.",
        DefaultValueFactory = _ => Defaults.Encoder.Pooling,
    };

    public Option<int> CropFrames { get; } = new Option<int>("--crop-frames")
    {
        Description = "Frames per random training crop and per inference patch (100 = 1 s at the default hop).",
        DefaultValueFactory = _ => Defaults.Encoder.CropFrames,
    }.InRange(1, 100_000);

    public Option<ClipInference> Inference { get; } = new("--inference")
    {
        Description = "How a clip of any length is scored: PatchMean or PatchMax over crop-length patches with 50% overlap, or WholeClip.",
        DefaultValueFactory = _ => Defaults.Encoder.Inference,
    };

    public Option<bool> SubtractClipMean { get; } = new("--clip-mean-norm")
    {
        Description = "Subtract each clip's own per-band mean of the log-mel frames before the encoder (removes a recording's gain and spectral tilt).",
    };

    public Option<ClassifierHead> ClassifierHead { get; } = new("--classifier-head")
    {
        Description = "What produces the scores: QuantumKan (quantum embedding → KAN layers), or a Linear or Mlp baseline on the encoder's clip vector (for comparison; the embedding is still trained for similarity).",
        DefaultValueFactory = _ => Defaults.ClassifierHead,
    };

    public Option<HeadInput> HeadInput { get; } = new("--head-input")
    {
        Description = "What the QuantumKan head's KAN layers read: State (the quantum state's representation only), StateAndClip (the state and, through a skip connection, the clip vector), or Auto (StateAndClip with a frame encoder, State without).",
        DefaultValueFactory = _ => Defaults.HeadInput,
    };

    public Option<double> SkipDropout { get; } = new Option<double>("--skip-dropout")
    {
        Description = "With --head-input StateAndClip: probability per training clip that the skip is dropped, so the head must classify from the quantum state alone.",
        DefaultValueFactory = _ => Defaults.SkipDropout,
    }.InRange(0.0, 0.99);

    public Option<ContrastiveTarget> ContrastiveTarget { get; } = new("--contrastive-target")
    {
        Description = "What the fidelity contrastive loss pulls clips sharing a label towards: LabelOverlap (F = the Jaccard overlap of their label sets), SharedLabel (the same state, F = 1; the original design), or Auto (LabelOverlap). They differ only on multi-label data.",
        DefaultValueFactory = _ => Defaults.ContrastiveTarget,
    };

    public Option<int> FrequencyMasks { get; } = new Option<int>("--freq-masks") { Description = "SpecAugment frequency masks per training clip.", DefaultValueFactory = _ => 0 }.InRange(0, 64);

    public Option<int> FrequencyMaskWidth { get; } = new Option<int>("--freq-mask-width") { Description = "Widest frequency mask, in mel bands.", DefaultValueFactory = _ => Defaults.Augmentation.FrequencyMaskWidth }.InRange(0, 4096);

    public Option<int> TimeMasks { get; } = new Option<int>("--time-masks") { Description = "SpecAugment time masks per training clip.", DefaultValueFactory = _ => 0 }.InRange(0, 64);

    public Option<int> TimeMaskWidth { get; } = new Option<int>("--time-mask-width") { Description = "Widest time mask, in frames.", DefaultValueFactory = _ => Defaults.Augmentation.TimeMaskWidth }.InRange(0, 100_000);

    public Option<int> TimeShift { get; } = new Option<int>("--time-shift") { Description = "Random circular time shift of training crops, up to ± this many frames.", DefaultValueFactory = _ => 0 }.InRange(0, 100_000);

    public Option<double> LowPass { get; } = new Option<double>("--low-pass") { Description = "Probability that a training clip is band-limited: every mel band above a random cutoff flattened to its floor (lower sample rates, narrowband recordings).", DefaultValueFactory = _ => 0 }.InRange(0.0, 1.0);
    public Option<double> LowPassMin { get; } = new Option<double>("--low-pass-min") { Description = "Lowest --low-pass cutoff, as a fraction of the mel bands.", DefaultValueFactory = _ => 0.4 }.InRange(0.01, 1.0);
    public Option<int> FrequencyShift { get; } = new Option<int>("--freq-shift") { Description = "Random shift of training clips along the mel axis, up to ± this many bands (pitch/formant perturbation).", DefaultValueFactory = _ => 0 }.InRange(0, 4096);

    public Option<double> FrequencyWarp { get; } = new Option<double>("--freq-warp") { Description = "Random warp of training clips' mel axis by a factor in [1 − w, 1 + w] (vocal-tract-length perturbation; 0.1 is usual for speech).", DefaultValueFactory = _ => 0 }.InRange(0.0, 0.95);

    public Option<double> TimeStretch { get; } = new Option<double>("--time-stretch") { Description = "Random time stretch of training crops by a playback rate in [1 − s, 1 + s] (speaking-rate perturbation; 0.15 is usual for speech).", DefaultValueFactory = _ => 0 }.InRange(0.0, 0.95);

    public Option<double> GainDb { get; } = new Option<double>("--gain-db") { Description = "Random training gain, uniform in ± this many dB.", DefaultValueFactory = _ => 0 }.InRange(0, 120);

    public Option<double> Mixup { get; } = new Option<double>("--mixup") { Description = "Probability that a training batch is mixed up with itself (0 = off).", DefaultValueFactory = _ => 0 }.InRange(0, 1);

    public Option<double> MixupAlpha { get; } = new Option<double>("--mixup-alpha") { Description = "Mixup's Beta(α, α) concentration.", DefaultValueFactory = _ => Defaults.Augmentation.MixupAlpha }.InRange(1e-3, 100);

    public Option<int> Modes { get; } = new Option<int>("--modes")
    {
        Description = $"Modes M of the quantum field embedding (the embedding has 3·M values).",
        DefaultValueFactory = _ => Defaults.Embedding.Modes,
    }.InRange(1, 4096);

    public Option<int> References { get; } = new Option<int>("--references")
    {
        Description = $"Learned reference states the representation measures fidelity to (0 for none).",
        DefaultValueFactory = _ => Defaults.Embedding.ReferenceStates,
    }.InRange(0, 4096);

    public Option<KanBasis> ExtractorBasis { get; } = new("--extractor-basis")
    {
        Description = $"KAN basis of the embedding's α/β/γ extractors.",
        DefaultValueFactory = _ => Defaults.Embedding.Extractor.Basis,
    };

    public Option<int> ExtractorDegree { get; } = new Option<int>("--extractor-degree")
    {
        Description = $"Polynomial degree of a Chebyshev extractor.",
        DefaultValueFactory = _ => ((ChebyshevKanOptions)Defaults.Embedding.Extractor).Degree,
    }.InRange(1, 64);

    public Option<int[]?> SemanticWidths { get; } = new("--semantic-widths")
    {
        Description = "Hidden widths of the semantic KAN layers, comma-separated (e.g. 128,64), or none: the KAN head reads the state (and skip) directly. Default: none with a frame encoder, 64 without.",
        CustomParser = r => r.Tokens is [{ Value: var v }] && v.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)
            ? []
            : CommandValidation.ParsePositiveIntegers(r),
    };

    public Option<KanBasis> SemanticBasis { get; } = new("--semantic-basis")
    {
        Description = $"KAN basis of the semantic layers: BSpline, Chebyshev, Fourier, Rbf, Sinc or PiecewiseLinear.",
        DefaultValueFactory = _ => Defaults.Semantic.Basis,
    };

    public Option<KanBasis> HeadBasis { get; } = new("--head-basis")
    {
        Description = $"KAN basis of the classification head.",
        DefaultValueFactory = _ => Defaults.Head.Basis,
    };

    public Option<KanBasis> DecoderBasis { get; } = new("--decoder-basis")
    {
        Description = $"KAN basis of the reconstruction decoder.",
        DefaultValueFactory = _ => Defaults.Decoder.Basis,
    };

    public Option<int> GridSize { get; } = new Option<int>("--grid-size")
    {
        Description = $"Grid intervals G of grid-based bases (B-spline, RBF, piecewise linear) in the semantic layers and head.",
        DefaultValueFactory = _ => ((BSplineKanOptions)Defaults.Semantic).GridSize,
    }.InRange(1, 256);

    public Option<int> SplineOrder { get; } = new Option<int>("--spline-order")
    {
        Description = $"B-spline order k (3 = cubic) in the semantic layers and head.",
        DefaultValueFactory = _ => ((BSplineKanOptions)Defaults.Semantic).SplineOrder,
    }.InRange(1, 8);

    public Option<bool> NoLayerNorm { get; } = new("--no-layer-norm")
    {
        Description = "Leave out the LayerNorm between the semantic layers and before the head.",
    };

    public void AddTo(Command command)
    {
        Option[] options = [Encoder, SubtractClipMean, ClassifierHead, HeadInput, SkipDropout, ContrastiveTarget, EncoderChannels, Pooling, CropFrames, Inference, FrequencyMasks, FrequencyMaskWidth, TimeMasks, TimeMaskWidth,
            TimeShift, FrequencyShift, FrequencyWarp, TimeStretch, LowPass, LowPassMin, GainDb, Mixup, MixupAlpha, Modes, References, ExtractorBasis, ExtractorDegree, SemanticWidths, SemanticBasis, HeadBasis, DecoderBasis, GridSize, SplineOrder, NoLayerNorm];
        foreach (var option in options)
            command.Options.Add(option);
        command.ValidateBy(r => Read(r));
    }

    /// <summary>The architecture the arguments describe (validated).</summary>
    public QuantumKanNetworkOptions Read(SymbolResult r)
    {
        // --grid-size and --spline-order apply to the semantic layers and the head wherever their basis has them.
        KanLayerOptions Layer(KanBasis basis) => KanLayerOptions.For(basis) switch
        {
            BSplineKanOptions spline => spline with { GridSize = r.GetValue(GridSize), SplineOrder = r.GetValue(SplineOrder) },
            KanGridOptions grid => grid with { GridSize = r.GetValue(GridSize) },
            var other => other,
        };
        var extractorBasis = r.GetValue(ExtractorBasis);
        var network = Defaults with
        {
            Encoder = Defaults.Encoder with
            {
                Kind = r.GetValue(Encoder),
                Channels = r.GetValue(EncoderChannels) is { Length: > 0 } channels ? channels : Defaults.Encoder.Channels,
                Pooling = r.GetValue(Pooling),
                CropFrames = r.GetValue(CropFrames),
                Inference = r.GetValue(Inference),
                SubtractClipMean = r.GetValue(SubtractClipMean),
            },
            Augmentation = new FrameAugmentationOptions
            {
                FrequencyMasks = r.GetValue(FrequencyMasks),
                FrequencyMaskWidth = r.GetValue(FrequencyMaskWidth),
                TimeMasks = r.GetValue(TimeMasks),
                TimeMaskWidth = r.GetValue(TimeMaskWidth),
                TimeShift = r.GetValue(TimeShift),
                FrequencyShift = r.GetValue(FrequencyShift),
                FrequencyWarp = r.GetValue(FrequencyWarp),
                TimeStretch = r.GetValue(TimeStretch),
                LowPassProbability = r.GetValue(LowPass),
                LowPassMinFraction = r.GetValue(LowPassMin),
                GainDb = r.GetValue(GainDb),
                MixupProbability = r.GetValue(Mixup),
                MixupAlpha = r.GetValue(MixupAlpha),
            },
            Embedding = Defaults.Embedding with
            {
                Modes = r.GetValue(Modes),
                ReferenceStates = r.GetValue(References),
                Extractor = extractorBasis == KanBasis.Chebyshev
                    ? new ChebyshevKanOptions { Degree = r.GetValue(ExtractorDegree) }
                    : KanLayerOptions.For(extractorBasis),
            },
            ClassifierHead = r.GetValue(ClassifierHead),
            HeadInput = r.GetValue(HeadInput),
            SkipDropout = r.GetValue(SkipDropout),
            ContrastiveTarget = r.GetValue(ContrastiveTarget),
            SemanticWidths = r.GetValue(SemanticWidths),
            Semantic = Layer(r.GetValue(SemanticBasis)),
            Head = Layer(r.GetValue(HeadBasis)),
            Decoder = KanLayerOptions.For(r.GetValue(DecoderBasis)),
            LayerNorm = !r.GetValue(NoLayerNorm),
        };
        network.Validate();
        return network;
    }
}
