"""PyTorch 1.13 port of QuantumKanNetwork with its default options, op for op (see the C# files named below).

  features (B, D) -> standardize -> three Chebyshev KAN extractors (32 modes each, degree 2 on tanh(x)) -> tanh bounds:
      alpha = 4.5 tanh(u_a), beta = 2 tanh(u_b), gamma = pi tanh(u_g)                 (QuantumFieldEmbedding.cs)
  representation [alpha/4.5, beta/2, cos gamma, sin gamma, F(state, K=16 learned reference states)] (4*32 + 16 = 144 wide)  (QuantumKanNetwork.cs)
  -> B-spline KAN 144 -> 64 (G=5, k=3, SiLU base branch, spline scaler) -> LayerNorm(64) -> B-spline KAN 64 -> C
  decoder: piecewise-linear KAN 144 -> D (G=5, SiLU base branch) rebuilding the standardized input.
Loss (QuantumKanModel.cs + MultiTaskLoss.cs, classifier defaults): BCE + 0.3 MSE(recon) + 0.3 fidelity contrastive
(margin 0.1, on the per-mode fidelity F^(1/M)) + 0.1 normalization penalty on the first 4 samples' sampled wavefunctions (N = 1024 grid points).

Every basis is laid out (B, K, in) and contracted with (out, K, in) coefficients in one GEMM, as the C# layers do, so
both sides run the same algorithm. Initialization follows KanInitialization.cs (variance-preserving, smooth lines).
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

# --------------------------------------------------------------------------------------------- initialization

_NODES, _SPAN = 4001, 8.0


def second_moment(basis_of_column):
    """E_{x~N(0,1)}[sum_k phi_k(x)^2] for a basis (N, 1) float64 -> (N, K, 1) (KanInitialization.BasisSecondMoment)."""
    with torch.no_grad():
        x = torch.linspace(-_SPAN, _SPAN, _NODES, dtype=torch.float64).unsqueeze(1)
        w = (x.squeeze(1).square() * -0.5).exp()
        w = w / w.sum()
        return float((basis_of_column(x).square().sum((1, 2)) * w).sum())


def fill_unit_variance(t, fan_in, moment, share):
    with torch.no_grad():
        nn.init.normal_(t, 0.0, math.sqrt(share / (fan_in * max(moment, 1e-12))))


def fill_smooth_lines(coefficients, nodes, basis_of_column, share):
    """c[o,k,i] = w[o,i] * nu_k + eps[o,k,i] (KanInitialization.FillSmoothLines)."""
    noise_share = 0.1
    node_column = nodes.view(-1, 1)
    line_moment = second_moment(lambda c: (basis_of_column(c) * node_column).sum(1, keepdim=True))
    noise_moment = second_moment(basis_of_column)
    out_features, _, in_features = coefficients.shape
    slopes = torch.empty(out_features, 1, in_features)
    fill_unit_variance(slopes, in_features, line_moment, share * (1 - noise_share))
    fill_unit_variance(coefficients, in_features, noise_moment, share * noise_share)
    with torch.no_grad():
        coefficients.add_(slopes * node_column.to(coefficients.dtype))


def silu_moment():
    return second_moment(lambda x: F.silu(x).unsqueeze(-1))

# --------------------------------------------------------------------------------------------- KAN layers


def contract(basis, coefficients, addend=None):
    """(B, K, in) with (out, K, in) -> (B, out) in one GEMM (KanLayer.Contract)."""
    flat = basis.reshape(basis.shape[0], -1)
    weights = coefficients.reshape(coefficients.shape[0], -1)
    return F.linear(flat, weights) if addend is None else torch.addmm(addend, flat, weights.t())


def chebyshev_basis(x, degree):
    """T_0..T_degree of tanh(x): (B, in) -> (B, degree + 1, in) by the recurrence (ChebyshevKanLayer.Evaluate)."""
    t = x.tanh()
    two_t = t * 2
    terms = [torch.ones_like(t), t]
    for k in range(1, degree):
        terms.append(two_t * terms[k] - terms[k - 1])
    return torch.stack(terms, 1)


class ChebyshevKan(nn.Module):
    def __init__(self, in_features, out_features, degree=8):
        super().__init__()
        self.degree = degree
        self.coefficients = nn.Parameter(torch.empty(out_features, degree + 1, in_features))
        fill_unit_variance(self.coefficients, in_features, second_moment(lambda c: chebyshev_basis(c, degree)), 1.0)

    def forward(self, x):
        return contract(chebyshev_basis(x, self.degree), self.coefficients)


def bspline_tables(knots, order):
    """Per-level slopes and offsets of the Cox-de Boor weights, (k, M - 1, in) each (BSplineBasis.RecursionTables)."""
    m, in_features = knots.shape
    slopes = torch.zeros(order, m - 1, in_features, dtype=knots.dtype)
    offsets = torch.zeros(order, m - 1, in_features, dtype=knots.dtype)
    for p in range(1, order + 1):
        lower = knots[: m - p]
        span = knots[p:] - lower
        slope = torch.where(span > 0, span.reciprocal(), torch.zeros_like(span))
        slopes[p - 1, : m - p] = slope
        offsets[p - 1, : m - p] = -lower * slope
    return slopes, offsets


def bspline_basis(x, knots, slopes, offsets, order):
    """All K = M - 1 - k B-spline bases: (B, in) -> (B, K, in) (BSplineBasis.Evaluate)."""
    m = knots.shape[0]
    x3 = x.unsqueeze(1)
    step = (x3 >= knots).to(x.dtype)
    bases = step[:, : m - 1] - step[:, 1:]
    for p in range(1, order + 1):
        n = m - p
        w = torch.addcmul(offsets[p - 1, :n], x3, slopes[p - 1, :n])
        wb = w * bases
        bases = (bases[:, 1:] - wb[:, 1:]).add_(wb[:, : n - 1])
    return bases


def greville(knots, order):
    k = knots.shape[0] - 1 - order
    total = knots[1: 1 + k].clone()
    for p in range(2, order + 1):
        total += knots[p: p + k]
    return total / order


class BSplineKan(nn.Module):
    """efficient-kan: W_base silu(x) + sum_k (c * s)[o, k, i] B_k(x_i) (BSplineKanLayer)."""

    def __init__(self, in_features, out_features, grid_size=5, order=3, grid_min=-1.0, grid_max=1.0):
        super().__init__()
        self.order = order
        step = (grid_max - grid_min) / grid_size
        column = torch.arange(-order, grid_size + order + 1, dtype=torch.float64) * step + grid_min
        knots = column.float().unsqueeze(1).expand(-1, in_features).contiguous()
        slopes, offsets = bspline_tables(knots, order)
        self.register_buffer("grid", knots)
        self.register_buffer("level_slopes", slopes)
        self.register_buffer("level_offsets", offsets)
        self.coefficients = nn.Parameter(torch.empty(out_features, grid_size + order, in_features))
        self.base_weight = nn.Parameter(torch.empty(out_features, in_features))
        self.spline_scaler = nn.Parameter(torch.ones(out_features, in_features))
        knots64 = knots[:, :1].double()
        s64, o64 = bspline_tables(knots64, order)
        fill_smooth_lines(self.coefficients, greville(knots64, order).squeeze(1),
                          lambda c: bspline_basis(c, knots64, s64, o64, order), 0.5)
        fill_unit_variance(self.base_weight, in_features, silu_moment(), 0.5)

    def forward(self, x):
        base = F.linear(F.silu(x), self.base_weight)
        basis = bspline_basis(x, self.grid, self.level_slopes, self.level_offsets, self.order)
        return contract(basis, self.coefficients * self.spline_scaler.unsqueeze(1), base)


def hat_basis(x, knot_positions, grid_min, inverse_step):
    grid_size = knot_positions.shape[0] - 1
    u = ((x - grid_min) * inverse_step).clamp(0, grid_size)
    distance = (u.unsqueeze(1) - knot_positions).abs()
    return distance.neg_().add_(1).relu_()


class PiecewiseLinearKan(nn.Module):
    """Hat functions on G + 1 knots plus a SiLU base branch (PiecewiseLinearKanLayer)."""

    def __init__(self, in_features, out_features, grid_size=5, grid_min=-1.0, grid_max=1.0):
        super().__init__()
        self.grid_min, self.inverse = grid_min, grid_size / (grid_max - grid_min)
        knots = torch.arange(grid_size + 1, dtype=torch.float32).unsqueeze(1)
        self.register_buffer("knot_positions", knots)
        self.coefficients = nn.Parameter(torch.empty(out_features, grid_size + 1, in_features))
        self.base_weight = nn.Parameter(torch.empty(out_features, in_features))
        knots64 = knots.double()
        fill_smooth_lines(self.coefficients, (knots64 / self.inverse + grid_min).squeeze(1),
                          lambda c: hat_basis(c, knots64, grid_min, self.inverse), 0.5)
        fill_unit_variance(self.base_weight, in_features, silu_moment(), 0.5)

    def forward(self, x):
        base = F.linear(F.silu(x), self.base_weight)
        return contract(hat_basis(x, self.knot_positions, self.grid_min, self.inverse), self.coefficients, base)

# --------------------------------------------------------------------------------------------- quantum embedding


class QuantumFieldEmbedding(nn.Module):
    def __init__(self, in_features, modes=32, references=16, sigma=1.5, half_width=12.0, points=1024, edge_margin=5.0,
                 beta_max=2.0, degree=2, initial_spread=1.0, fused=False):
        super().__init__()
        self.modes, self.sigma, self.beta_max, self.fused = modes, sigma, beta_max, fused
        self.max_center = half_width - edge_margin * sigma
        self.spacing = 2.0 * half_width / points
        positions = (torch.arange(points, dtype=torch.float64) * self.spacing - half_width).float()
        self.register_buffer("positions", positions, persistent=False)
        if fused:
            # One extractor with 3M outputs: the Chebyshev basis of the input is expanded once instead of three times.
            self.extractor = ChebyshevKan(in_features, 3 * modes, degree)
        else:
            self.alpha_extractor = ChebyshevKan(in_features, modes, degree)
            self.beta_extractor = ChebyshevKan(in_features, modes, degree)
            self.gamma_extractor = ChebyshevKan(in_features, modes, degree)
        self.register_buffer("input_mean", torch.zeros(in_features))
        self.register_buffer("input_scale", torch.ones(in_features))
        a, b, s2 = self.max_center, beta_max, sigma * sigma
        spread = math.sqrt(initial_spread / (modes * (a * a / (2 * s2) + 2 * s2 * b * b)))
        self.reference_alpha = nn.Parameter(torch.randn(references, modes) * spread)
        self.reference_beta = nn.Parameter(torch.randn(references, modes) * spread)
        with torch.no_grad():
            for p in self._extractor_parameters():
                p.mul_(spread)

    def _extractor_parameters(self):
        if self.fused:
            return list(self.extractor.parameters())
        return [p for e in (self.alpha_extractor, self.beta_extractor, self.gamma_extractor) for p in e.parameters()]

    def set_standardization(self, mean, std):
        with torch.no_grad():
            self.input_mean.copy_(mean)
            self.input_scale.copy_(torch.where(std > 1e-8, std.reciprocal(), torch.ones_like(std)))

    def standardize(self, x):
        return (x - self.input_mean) * self.input_scale

    def encode(self, x):
        x = self.standardize(x)
        if self.fused:
            u = self.extractor(x).tanh()
            alpha, beta, gamma = u[:, : self.modes], u[:, self.modes: 2 * self.modes], u[:, 2 * self.modes:]
            return alpha * self.max_center, beta * self.beta_max, gamma * math.pi
        return (self.alpha_extractor(x).tanh() * self.max_center,
                self.beta_extractor(x).tanh() * self.beta_max,
                self.gamma_extractor(x).tanh() * math.pi)

    def reference_fidelity(self, alpha, beta):
        ra = self.reference_alpha.tanh() * self.max_center
        rb = self.reference_beta.tanh() * self.beta_max
        s2 = self.sigma * self.sigma
        alpha_term = (alpha.unsqueeze(1) - ra.unsqueeze(0)).square().div(4 * s2)
        beta_term = (beta.unsqueeze(1) - rb.unsqueeze(0)).square().mul(s2)
        return (alpha_term + beta_term).sum(-1).neg().exp()

    def pairwise_log_fidelity(self, alpha, beta):
        z = torch.cat([alpha / (2 * self.sigma), beta * self.sigma], -1)
        difference = z.unsqueeze(1) - z.unsqueeze(0)
        return difference.square().sum(-1).neg()

    def pairwise_fidelity(self, alpha, beta):
        return self.pairwise_log_fidelity(alpha, beta).exp()

    def per_mode_pairwise_fidelity(self, alpha, beta):
        """F^(1/M) = exp(mean_m log F_m): what the contrastive task compares (ContrastiveFidelity.PerMode, the default)."""
        return (self.pairwise_log_fidelity(alpha, beta) / self.modes).exp()

    def density(self, alpha):
        """|psi|^2 on the grid from alpha alone (the phase has modulus 1): Wavefunction.Density."""
        s2 = self.sigma * self.sigma
        return (self.positions - alpha.unsqueeze(-1)).square().div(-2 * s2).exp().mul((2 * math.pi * s2) ** -0.5)

    def sample(self, alpha, beta, gamma):
        s2 = self.sigma * self.sigma
        prefactor = (2 * math.pi * s2) ** -0.25
        x = self.positions
        amplitude = (x - alpha.unsqueeze(-1)).square().div(-4 * s2).exp().mul(prefactor)
        phase = beta.unsqueeze(-1) * x + gamma.unsqueeze(-1)
        return amplitude * phase.cos(), amplitude * phase.sin()

# --------------------------------------------------------------------------------------------- network and loss


class QuantumKanNetwork(nn.Module):
    def __init__(self, in_features, classes, semantic_width=64, fused=False):
        super().__init__()
        self.embedding = QuantumFieldEmbedding(in_features, fused=fused)
        m, k = self.embedding.modes, self.embedding.reference_alpha.shape[0]
        self.representation_size = 4 * m + k
        self.semantic = BSplineKan(self.representation_size, semantic_width)
        self.head_norm = nn.LayerNorm(semantic_width)
        self.head = BSplineKan(semantic_width, classes)
        self.decoder = PiecewiseLinearKan(self.representation_size, in_features)

    def represent(self, alpha, beta, gamma):
        e = self.embedding
        return torch.cat([alpha / e.max_center, beta / e.beta_max, gamma.cos(), gamma.sin(),
                          e.reference_fidelity(alpha, beta)], 1)

    def classify(self, representation):
        return self.head(self.head_norm(self.semantic(representation)))

    def forward(self, features):
        return self.classify(self.represent(*self.embedding.encode(features)))

    def forward_all(self, features):
        alpha, beta, gamma = self.embedding.encode(features)
        representation = self.represent(alpha, beta, gamma)
        return (self.classify(representation), (alpha, beta, gamma), self.decoder(representation),
                self.embedding.standardize(features))


def contrastive_loss(fidelity, labels, margin=0.1):
    """FidelityContrastiveLoss with ContrastiveTarget.LabelOverlap (the library's default): a pair sharing a label is
    pulled to the Jaccard overlap J of the two label sets, |F - J|; pairs sharing none pay max(0, F - margin)."""
    hot = labels.ne(0).double()
    shared = hot.matmul(hot.t())
    sizes = hot.sum(1)
    overlap = shared / (sizes[:, None] + sizes[None, :] - shared).clamp_min(1)
    shares = shared.gt(0)
    off_diagonal = torch.eye(labels.shape[0], dtype=torch.bool, device=labels.device).logical_not()
    positive = shares.logical_and(off_diagonal).to(fidelity.dtype)
    negative = shares.logical_not().logical_and(off_diagonal).to(fidelity.dtype)
    positive_term = ((fidelity - overlap.to(fidelity.dtype)).abs() * positive).sum() / positive.sum().clamp_min(1)
    negative_term = (fidelity - margin).relu().mul(negative).sum() / negative.sum().clamp_min(1)
    return positive_term + negative_term


def normalization_penalty(real, imag, spacing):
    norm = (real.square() + imag.square()).sum(-1).mul(spacing)
    return (norm - 1).square().mean()


LOSS_WEIGHTS = {"classification": 1.0, "audio_reconstruction": 0.3, "quantum_fidelity": 0.3, "normalization": 0.1}


def multitask_loss(net, features, labels, normalization_samples=4, density_penalty=False):
    """Total loss and its unweighted components for one batch (QuantumKanModel.Forward + MultiTaskLoss.Compute).
    density_penalty: the normalization penalty from |psi|^2 = amplitude^2 (as QuantumKan now does) instead of sampling
    the real and imaginary parts (the original definition); the same value to float rounding."""
    logits, (alpha, beta, gamma), reconstruction, standardized = net.forward_all(features)
    e = net.embedding
    n = min(normalization_samples, features.shape[0])
    if density_penalty:
        norm = e.density(alpha[:n]).sum(-1).mul(e.spacing)
        penalty = (norm - 1).square().mean()
    else:
        penalty = normalization_penalty(*e.sample(alpha[:n], beta[:n], gamma[:n]), e.spacing)
    components = {
        "classification": F.binary_cross_entropy_with_logits(logits, labels),
        "audio_reconstruction": F.mse_loss(reconstruction, standardized),
        "quantum_fidelity": contrastive_loss(e.per_mode_pairwise_fidelity(alpha, beta), labels),
        "normalization": penalty,
    }
    total = sum(components[name] * LOSS_WEIGHTS[name] for name in components)
    return total, components


def parameter_count(module):
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def expected_parameter_count(in_features, classes, modes=32, references=16, degree=2, semantic=64, grid=5, order=3):
    """The C# network's count from its layer formulas, asserted against both sides."""
    r = 4 * modes + references
    extractors = 3 * modes * (degree + 1) * in_features + 2 * references * modes
    bspline = lambda i, o: o * (grid + order) * i + 2 * o * i
    decoder = in_features * (grid + 1) * r + in_features * r
    return extractors + bspline(r, semantic) + 2 * semantic + bspline(semantic, classes) + decoder


def adamw_for(net, lr=3e-3, weight_decay=1e-2):
    """AdamW with decayed (rank >= 2) and undecayed groups, decayed first (AdamWFactory.Create)."""
    trainable = [p for p in net.parameters() if p.requires_grad]
    groups = [{"params": [p for p in trainable if p.ndim >= 2], "weight_decay": weight_decay},
              {"params": [p for p in trainable if p.ndim < 2], "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.999), eps=1e-8)


def warmup_cosine(total_steps, warmup_fraction=0.05, final_factor=0.0):
    """WarmupCosineSchedule.Factor as a LambdaLR function of the global step."""
    warmup = round(warmup_fraction * total_steps)

    def factor(step):
        if step < warmup:
            return (step + 1.0) / warmup
        decay = max(1, total_steps - warmup)
        progress = min(max((step - warmup) / decay, 0.0), 1.0)
        return final_factor + (1 - final_factor) * 0.5 * (1 + math.cos(math.pi * progress))
    return factor
