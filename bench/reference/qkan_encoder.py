"""PyTorch 1.13 port of QuantumKanNetwork's frame-encoder path with the Temporal encoder's defaults, op for op where it
matters (see the C# files named below); the quantum embedding, KAN layers and loss pieces come from qkan_network.py.

  frames (B, T, M) -> per-band standardization (buffers, training statistics)                 (QuantumKanNetwork.StandardizeFrames)
  -> TemporalConvEncoder: stem conv k3 (M -> 64) + BN + ReLU; 3 residual blocks (64 -> 64 -> 96 -> 128), each
     ReLU(BN(conv k9 (BN/ReLU(conv k9 s2 (x)))) + BN(conv k1 s2 (x))), time T -> ceil(T/2); mean | max over time (256)
                                                                                        (Encoders/TemporalConvEncoder.cs)
  -> LayerNorm(256) -> QuantumFieldEmbedding(256) -> [alpha, beta, cos, sin, F(ref)] (144) -> B-spline KAN 144 -> 64
     -> LayerNorm -> B-spline KAN 64 -> C;  decoder: piecewise-linear KAN 144 -> 2M rebuilding the standardized
     frames' per-band mean and std over time                                            (Network/QuantumKanNetwork.cs)
Loss (QuantumKanModel.Forward, encoder path): BCE + 0.3 MSE(band statistics) + 0.3 per-mode fidelity contrastive
+ 0.1 normalization penalty from |psi|^2 of the first 4 samples (Wavefunction.Density).

Convolutions: nn.Conv1d (bias-free); QuantumKan also runs libtorch's conv1d (Encoders/EncoderConvolution.cs), with
weights stored (Cout, Cin*K), the same parameter count. `gemm=True` builds the reference with unfold + GEMM
convolutions, the algorithm QuantumKan used before 2026-12-07 (table E1's GEMM row), to separate the convolution
algorithm from everything else when profiling.
"""
import torch
import torch.nn.functional as F
from torch import nn

import qkan_network as qn

CHANNELS, KERNEL, CROP_FRAMES, PATCH_HOP = (64, 64, 96, 128), 9, 100, 50


class GemmConv1d(nn.Module):
    """The im2col algorithm QuantumKan used before 2026-12-07: pad -> unfold (B, Cin, T', K) -> (B, T', Cin*K) @ W^T -> (B, Cout, T'), W (Cout, Cin*K)."""

    def __init__(self, cin, cout, kernel, stride=1, padding=0):
        super().__init__()
        self.kernel, self.stride, self.padding = kernel, stride, padding
        bound = 1 / (cin * kernel) ** 0.5
        self.weight = nn.Parameter(torch.empty(cout, cin * kernel).uniform_(-bound, bound))

    def forward(self, x):
        padded = F.pad(x, (self.padding, self.padding)) if self.padding > 0 else x
        windows = padded.unfold(2, self.kernel, self.stride)                          # (B, Cin, T', K)
        rows = windows.permute(0, 2, 1, 3).reshape(x.shape[0], windows.shape[2], -1)  # (B, T', Cin*K)
        return rows.matmul(self.weight.t()).transpose(1, 2)


def conv1d(cin, cout, kernel, stride=1, padding=0, gemm=False):
    if gemm:
        return GemmConv1d(cin, cout, kernel, stride, padding)
    return nn.Conv1d(cin, cout, kernel, stride=stride, padding=padding, bias=False)


class TemporalResidualBlock(nn.Module):
    def __init__(self, cin, cout, kernel, gemm=False):
        super().__init__()
        self.conv1 = conv1d(cin, cout, kernel, 2, kernel // 2, gemm)
        self.norm1 = nn.BatchNorm1d(cout)
        self.conv2 = conv1d(cout, cout, kernel, 1, kernel // 2, gemm)
        self.norm2 = nn.BatchNorm1d(cout)
        self.shortcut = conv1d(cin, cout, 1, 2, 0, gemm)
        self.shortcut_norm = nn.BatchNorm1d(cout)

    def forward(self, x):
        h = F.relu(self.norm1(self.conv1(x)))
        return F.relu(self.norm2(self.conv2(h)) + self.shortcut_norm(self.shortcut(x)))


class TemporalConvEncoder(nn.Module):
    def __init__(self, mels, channels=CHANNELS, kernel=KERNEL, gemm=False):
        super().__init__()
        self.stem = conv1d(mels, channels[0], 3, 1, 1, gemm)
        self.stem_norm = nn.BatchNorm1d(channels[0])
        self.blocks = nn.ModuleList(TemporalResidualBlock(channels[i - 1], channels[i], kernel, gemm) for i in range(1, len(channels)))
        self.output_size = 2 * channels[-1]

    def forward(self, frames):                      # (B, T, M), unpadded
        x = F.relu(self.stem_norm(self.stem(frames.transpose(1, 2))))
        for block in self.blocks:
            x = block(x)
        return torch.cat([x.mean(2), x.amax(2)], 1)  # MeanMax pooling: (B, 2C)


class EncoderQuantumKanNetwork(nn.Module):
    def __init__(self, mels, classes, semantic_width=64, gemm=False):
        super().__init__()
        self.mels = mels
        self.encoder = TemporalConvEncoder(mels, gemm=gemm)
        width = self.encoder.output_size
        self.encoder_norm = nn.LayerNorm(width)
        self.register_buffer("frame_mean", torch.zeros(mels))
        self.register_buffer("frame_scale", torch.ones(mels))
        self.embedding = qn.QuantumFieldEmbedding(width)   # its own standardization stays the identity on this path
        m, k = self.embedding.modes, self.embedding.reference_alpha.shape[0]
        self.representation_size = 4 * m + k
        self.semantic = qn.BSplineKan(self.representation_size, semantic_width)
        self.head_norm = nn.LayerNorm(semantic_width)
        self.head = qn.BSplineKan(semantic_width, classes)
        self.decoder = qn.PiecewiseLinearKan(self.representation_size, 2 * mels)

    represent = qn.QuantumKanNetwork.represent
    classify = qn.QuantumKanNetwork.classify

    def set_standardization(self, mean, std):
        with torch.no_grad():
            self.frame_mean.copy_(mean)
            self.frame_scale.copy_(torch.where(std > 1e-8, std.reciprocal(), torch.ones_like(std)))

    def clip_vector(self, frames):
        x = (frames - self.frame_mean) * self.frame_scale                       # (B, T, M)
        mean = x.mean(1)
        std = ((x - mean.unsqueeze(1)).square().mean(1) + 1e-8).sqrt()
        return self.encoder_norm(self.encoder(x)), torch.cat([mean, std], 1)    # (B, 256), target (B, 2M)

    def forward(self, frames):
        clip, _ = self.clip_vector(frames)
        return self.classify(self.represent(*self.embedding.encode(clip)))

    def forward_all(self, frames):
        clip, target = self.clip_vector(frames)
        alpha, beta, gamma = self.embedding.encode(clip)
        representation = self.represent(alpha, beta, gamma)
        return self.classify(representation), (alpha, beta, gamma), self.decoder(representation), target


def multitask_loss(net, frames, labels, normalization_samples=4):
    """Total loss and its unweighted components (QuantumKanModel.Forward on the encoder path + MultiTaskLoss)."""
    logits, (alpha, beta, gamma), reconstruction, target = net.forward_all(frames)
    e = net.embedding
    n = min(normalization_samples, frames.shape[0])
    norm = e.density(alpha[:n]).sum(-1).mul(e.spacing)
    components = {
        "classification": F.binary_cross_entropy_with_logits(logits, labels),
        "audio_reconstruction": F.mse_loss(reconstruction, target),
        "quantum_fidelity": qn.contrastive_loss(e.per_mode_pairwise_fidelity(alpha, beta), labels),
        "normalization": (norm - 1).square().mean(),
    }
    total = sum(components[name] * qn.LOSS_WEIGHTS[name] for name in components)
    return total, components


def expected_parameter_count(mels, classes, channels=CHANNELS, kernel=KERNEL, modes=32, references=16, degree=2, semantic=64,
                             grid=5, order=3):
    """The C# network's count from its layer formulas (bias-free convolutions, BatchNorm weight + bias)."""
    encoder = mels * 3 * channels[0] + 2 * channels[0]
    for cin, cout in zip(channels[:-1], channels[1:]):
        encoder += cout * cin * kernel + cout * cout * kernel + cout * cin + 3 * 2 * cout
    width = 2 * channels[-1]
    r = 4 * modes + references
    extractors = 3 * modes * (degree + 1) * width + 2 * references * modes
    bspline = lambda i, o: o * (grid + order) * i + 2 * o * i
    decoder = 2 * mels * (grid + 1) * r + 2 * mels * r
    return encoder + 2 * width + extractors + bspline(r, semantic) + 2 * semantic + bspline(semantic, classes) + decoder


def tiled(frames, start, length):
    """FrameClips.ReadTiled: `length` frames from `start`, continuing from frame 0 when the clip ends first."""
    count = frames.shape[0]
    if start + length <= count:
        return frames[start:start + length]
    index = (torch.arange(length) + start) % count
    return frames[index]


def patches(frames, patch=CROP_FRAMES, hop=PATCH_HOP):
    """FramePatchSource: patches `hop` apart, the last aligned with the clip's end; one tiled patch when shorter."""
    count = frames.shape[0]
    n = 1 if count <= patch else 1 + (count - patch + hop - 1) // hop
    return torch.stack([tiled(frames, max(0, min(p * hop, count - patch)), patch) for p in range(n)])
