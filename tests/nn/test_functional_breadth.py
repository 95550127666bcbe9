"""nn.functional's activations, normalisations, losses and dropouts beyond the basics, against
torch: values, gradients, grad_fn names, reductions (and the legacy size_average/reduce flags)
and argument errors."""

from __future__ import annotations

import pytest

from tests._ci import ci_sample
from tests._parity import assert_same

SNIPPETS = {
    "activations": """
        F = torch.nn.functional
        # NOTE: 8 values: torch's vectorised loop (its scalar tail gives softshrink -0.0)
        x = torch.tensor([-4.0, -3.0, -1.5, 0.0, 0.5, 3.0, 4.0, -0.2], dtype=torch.float64,
                         requires_grad=True)
        for name in ("hardswish", "hardsigmoid", "mish", "logsigmoid", "softsign", "tanhshrink",
                     "softshrink", "selu", "celu", "silu"):
            y = getattr(F, name)(x)
            g, = torch.autograd.grad(y.sum(), x)
            print(name, y, g, y.grad_fn.name())
        y = F.threshold(x, 0.5, -2.0)
        print(y, torch.autograd.grad(y.sum(), x)[0], y.grad_fn.name())
        y = F.softshrink(x, 1.5)
        print(y, torch.autograd.grad(y.sum(), x)[0])
        y = F.celu(x, 2.0)
        print(y, torch.autograd.grad(y.sum(), x)[0])
    """,
    "activations_inplace": """
        F = torch.nn.functional
        # NOTE: torch names selu_/celu_'s nodes EluBackward1/CeluBackward1 (not matched yet)
        for name in ("hardswish", "hardsigmoid", "mish", "selu", "celu", "silu"):
            a = torch.tensor([-4.0, -1.0, 0.5, 4.0], dtype=torch.float64, requires_grad=True)
            b = a * 1
            out = getattr(F, name)(b, inplace=True)
            print(name, out is b, out.detach(), torch.autograd.grad(out.sum(), a)[0],
                  out.grad_fn.name() if name not in ("selu", "celu") else "")
        b = torch.tensor([-1.0, 2.0])
        print(F.threshold(b, 0.0, 5.0, inplace=True), b, F.threshold_(b, 3.0, 0.0))
        print(F.rrelu(torch.tensor([-1.0, 2.0]), inplace=True))
    """,
    "glu": """
        F = torch.nn.functional
        x = torch.arange(12, dtype=torch.float64).reshape(3, 4).sub(5).div(3).requires_grad_()
        for dim in (-1, 0):
            try:
                y = F.glu(x, dim)
                print(y, torch.autograd.grad(y.sum(), x)[0], y.grad_fn.name())
            except RuntimeError as e:
                print(e)
        for bad in (torch.tensor(1.0), torch.ones(3, 5)):
            try:
                F.glu(bad)
            except RuntimeError as e:
                print(e)
    """,
    "activation_errors": """
        F = torch.nn.functional
        for f in (lambda: F.softshrink(torch.ones(2), -1.0), lambda: F.glu(torch.arange(4)),
                  lambda: F.hardswish(torch.arange(3)), lambda: F.logsigmoid(torch.arange(3)),
                  lambda: F.mish(torch.arange(3)), lambda: F.rrelu(torch.ones(2), 0.5, 0.1),
                  lambda: F.rrelu(torch.arange(3)), lambda: F.rrelu(torch.arange(3), training=True),
                  lambda: F.softshrink(torch.arange(3))):
            try:
                f()
            except (RuntimeError, NotImplementedError) as e:
                print(type(e).__name__, e)
        print(F.softsign(torch.arange(3)), F.tanhshrink(torch.arange(3)))
        x = torch.arange(-3, 4)
        print(F.hardtanh(x, -1.5, 1.5), F.relu6(x * 3), F.hardtanh(x.to(torch.int8)))
        try:
            F.hardtanh(torch.arange(4, dtype=torch.uint8))
        except RuntimeError as e:
            print(e)
    """,
    "rrelu": """
        F = torch.nn.functional
        x = torch.tensor([-2.0, 0.0, 3.0], dtype=torch.float64, requires_grad=True)
        y = F.rrelu(x)
        print(y, torch.autograd.grad(y.sum(), x)[0], y.grad_fn.name())
        y = F.rrelu(x, 0.2, 0.4)
        print(y, y.grad_fn.name())
        torch.manual_seed(0)
        y = F.rrelu(torch.full((1000,), -1.0), training=True)
        print(y.shape, y.dtype, bool((y <= -1 / 8).all()), bool((y >= -1 / 3).all()),
              round(y.mean().item(), 1))
    """,
    "normalize_and_norms": """
        F = torch.nn.functional
        x = torch.tensor([[1.0, -2.0, 0.0], [0.0, 0.0, 0.0], [3.0, 4.0, -1.0]],
                         dtype=torch.float64, requires_grad=True)
        for kw in ({}, {"p": 1, "dim": 0}, {"p": float("inf"), "dim": -1}):
            y = F.normalize(x, **kw)
            print(y, torch.autograd.grad(y.sum(), x)[0], y.grad_fn.name())
        out = torch.empty(3, 3, dtype=torch.float64)
        print(F.normalize(x.detach(), out=out) is out, out)
        y = F.rms_norm(x, (3,), torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64), eps=1e-6)
        print(y, torch.autograd.grad(y.sum(), x)[0], y.grad_fn.name())
        for args in (((),), ((3,), torch.ones(2)), ((2, 3),)):
            try:
                F.rms_norm(torch.ones(2, 2, 3), *args)
            except RuntimeError as e:
                print(e)
    """,
    "instance_norm": """
        F = torch.nn.functional
        x = torch.arange(24, dtype=torch.float64).reshape(2, 3, 4).sin().requires_grad_()
        w = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64)
        b = torch.zeros(3, dtype=torch.float64)
        rm, rv = torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)
        y = F.instance_norm(x, rm, rv, w, b)
        ct = torch.arange(24, dtype=torch.float64).reshape(2, 3, 4).cos()
        print(y, torch.autograd.grad((y * ct).sum(), x)[0], y.grad_fn.name(), rm, rv)
        print(F.instance_norm(x, rm, rv, use_input_stats=False))
        for f in (lambda: F.instance_norm(torch.ones(2, 3)),
                  lambda: F.instance_norm(x, use_input_stats=False)):
            try:
                f()
            except (RuntimeError, ValueError) as e:
                print(type(e).__name__, e)
    """,
    "local_response_norm": """
        F = torch.nn.functional
        for shape in ((2, 5, 3), (1, 4, 2, 3)):
            x = torch.arange(30 if len(shape) == 3 else 24, dtype=torch.float64).reshape(shape)
            x = x.sub(7).div(4).requires_grad_()
            for size in (1, 2, 3):
                y = F.local_response_norm(x, size, alpha=0.5, beta=0.6, k=1.5)
                print(y, torch.autograd.grad(y.sum(), x)[0], y.grad_fn.name())
        print(F.local_response_norm(torch.arange(12).reshape(1, 4, 3), 3, alpha=0.1))
        try:
            F.local_response_norm(torch.ones(2, 3), 2)
        except ValueError as e:
            print(e)
    """,
    "pairwise_losses": """
        F = torch.nn.functional
        a = torch.tensor([[0.3, -1.2, 2.0], [0.1, 0.4, -0.5]], dtype=torch.float64,
                         requires_grad=True)
        b = torch.tensor([[1.3, 0.2, -2.0], [0.1, 0.5, -0.5]], dtype=torch.float64,
                         requires_grad=True)
        t = torch.tensor([1.0, -1.0], dtype=torch.float64)
        t2 = torch.tensor([[1.0, -1.0, 1.0], [-1.0, -1.0, 1.0]], dtype=torch.float64)
        for r in ("none", "mean", "sum"):
            for y in (F.cosine_embedding_loss(a, b, t, 0.1, reduction=r),
                      F.margin_ranking_loss(a, b, t2, 0.2, reduction=r),
                      F.hinge_embedding_loss(a, t2, 0.5, reduction=r),
                      F.soft_margin_loss(a, t2, reduction=r),
                      F.poisson_nll_loss(a, b.abs(), reduction=r),
                      F.poisson_nll_loss(a.abs(), b.abs() * 3, log_input=False, full=True,
                                         reduction=r),
                      F.multilabel_soft_margin_loss(a, t2.clamp_min(0), reduction=r),
                      F.multilabel_soft_margin_loss(a, t2.clamp_min(0),
                                                    weight=torch.tensor([1.0, 2.0, 0.5]),
                                                    reduction=r),
                      F.gaussian_nll_loss(a, b, b.abs() + 0.1, reduction=r),
                      F.gaussian_nll_loss(a, b, torch.ones(2, 1), full=True, reduction=r),
                      F.gaussian_nll_loss(a, b, 0.5, reduction=r)):
                # NOTE: rounded: a sum's last bit depends on the summation order
                print([round(v, 10) for v in y.reshape(-1).tolist()],
                      torch.autograd.grad(y.sum(), a)[0], y.grad_fn.name())
    """,
    "legacy_reduction_flags": """
        F = torch.nn.functional
        a = torch.tensor([[0.3, -1.2], [0.1, 0.4]])
        b = torch.tensor([[1.0, -1.0], [-1.0, 1.0]])
        for flags in ({"size_average": False}, {"reduce": False}, {"size_average": True,
                                                                  "reduce": True}):
            print(F.soft_margin_loss(a, b, **flags), F.hinge_embedding_loss(a, b, **flags),
                  F.margin_ranking_loss(a, a.flip(0), b, **flags),
                  F.cosine_embedding_loss(a, b, b[0], **flags),
                  F.poisson_nll_loss(a, b.abs(), **flags),
                  F.multilabel_soft_margin_loss(a, b.abs(), **flags),
                  F.multi_margin_loss(a, torch.tensor([0, 1]), **flags),
                  F.multilabel_margin_loss(a, torch.tensor([[1, -1], [0, 1]]), **flags),
                  F.triplet_margin_loss(a, b, a.flip(1), **flags))
    """,
    "margin_losses": """
        F = torch.nn.functional
        x = torch.tensor([[0.3, -1.2, 2.0, 0.5], [0.1, 0.4, -0.5, 0.4], [1.0, 1.0, 1.0, 0.0]],
                         dtype=torch.float64, requires_grad=True)
        y = torch.tensor([2, 1, 3])
        w = torch.tensor([1.0, 0.5, 2.0, 1.5], dtype=torch.float64)
        ml = torch.tensor([[2, 0, -1, 1], [1, -1, 3, 3], [0, 1, 2, 3]])
        for r in ("none", "mean", "sum"):
            for out in (F.multi_margin_loss(x, y, reduction=r),
                        F.multi_margin_loss(x, y, p=2, margin=0.7, weight=w, reduction=r),
                        F.multilabel_margin_loss(x, ml, reduction=r),
                        F.multi_margin_loss(x[0], y[0], reduction=r),
                        F.multi_margin_loss(x[0], y[:1], reduction=r),
                        F.multilabel_margin_loss(x[1], ml[1], reduction=r)):
                print(out, torch.autograd.grad(out.sum(), x)[0], out.grad_fn.name())
    """,
    "margin_loss_errors": """
        F = torch.nn.functional
        x, y = torch.randn(3, 5), torch.tensor([1, 2, 3])
        for f in (lambda: F.multi_margin_loss(x, y, p=3),
                  lambda: F.multi_margin_loss(x, y, weight=torch.ones(1, 5)),
                  lambda: F.multi_margin_loss(x, y, weight=torch.ones(4)),
                  lambda: F.multi_margin_loss(x, y, weight=torch.ones(5, dtype=torch.float64)),
                  lambda: F.multi_margin_loss(x, y[:2]),
                  lambda: F.multi_margin_loss(x, torch.tensor([1, 2, 7])),
                  lambda: F.multi_margin_loss(x, y.float()),
                  lambda: F.multi_margin_loss(torch.ones(3, 0), y),
                  lambda: F.multi_margin_loss(torch.ones(3, 5, 2), y),
                  lambda: F.multi_margin_loss(x, y, reduction="bad"),
                  lambda: F.multilabel_margin_loss(x, torch.zeros(3, 4, dtype=torch.long)),
                  lambda: F.multilabel_margin_loss(x, torch.full((3, 5), 7)),
                  lambda: F.multilabel_margin_loss(x, torch.zeros(3, 5)),
                  lambda: F.multilabel_margin_loss(torch.arange(3), torch.tensor([1, -1, 0])),
                  lambda: F.soft_margin_loss(x, torch.ones(3, 4)),
                  lambda: F.soft_margin_loss(torch.arange(3), torch.arange(3)),
                  lambda: F.margin_ranking_loss(x, x, torch.ones(3)),
                  lambda: F.gaussian_nll_loss(x, x, -1.0),
                  lambda: F.gaussian_nll_loss(x, x, -torch.ones(3, 5)),
                  lambda: F.gaussian_nll_loss(x, x, torch.ones(3, 4)),
                  lambda: F.gaussian_nll_loss(x, x, torch.ones(3, 5), reduction="abc"),
                  lambda: F.gaussian_nll_loss(x, torch.ones(3, 4), torch.ones(3, 5)),
                  lambda: F.multilabel_soft_margin_loss(x, x, reduction="abc"),
                  lambda: F.poisson_nll_loss(x, torch.ones(3, 4)),
                  lambda: F.poisson_nll_loss(x, x, reduction="abc")):
            try:
                f()
                print("no error")
            except (RuntimeError, ValueError, NotImplementedError) as e:
                print(type(e).__name__, str(e).splitlines()[0])
    """,
    "triplet_losses": """
        F = torch.nn.functional
        a = torch.tensor([[0.3, -1.2, 2.0], [0.1, 0.4, -0.5]], dtype=torch.float64,
                         requires_grad=True)
        p, n = a.detach().flip(1) * 0.7, a.detach() * -0.3 + 0.2
        for kw in ({}, {"swap": True, "margin": 0.5}, {"reduction": "none"},
                   {"reduction": "sum", "distance_function": lambda u, v: (u - v).abs().sum(-1)}):
            y = F.triplet_margin_with_distance_loss(a, p, n, **kw)
            print(y, torch.autograd.grad(y.sum(), a)[0], y.grad_fn.name())
        y = F.triplet_margin_loss(a, p, n, margin=0.5, p=1, swap=True, reduction="none")
        print(y, torch.autograd.grad(y.sum(), a)[0], y.grad_fn.name())
        for f in (lambda: F.triplet_margin_with_distance_loss(a, p, n, margin=0),
                  lambda: F.triplet_margin_with_distance_loss(a, p, n, reduction="x"),
                  lambda: F.triplet_margin_with_distance_loss(a[0], p, n),
                  lambda: F.triplet_margin_loss(a, p, n[0]),
                  lambda: F.triplet_margin_loss(a, p, n, margin=-1.0),
                  lambda: F.triplet_margin_loss(a, p[:, :2], n)):
            try:
                f()
            except (RuntimeError, ValueError) as e:
                print(type(e).__name__, e)
    """,
    "binary_cross_entropy_target_grad": """
        F = torch.nn.functional
        x = torch.tensor([[0.2, 0.7], [0.5, 0.9]], dtype=torch.float64, requires_grad=True)
        t = torch.tensor([[0.0, 1.0], [0.3, 0.6]], dtype=torch.float64, requires_grad=True)
        w = torch.tensor([1.0, 2.0], dtype=torch.float64)
        for r in ("none", "mean", "sum"):
            y = F.binary_cross_entropy(x, t, w, reduction=r)
            print(y, torch.autograd.grad(y.sum(), (x, t)), y.grad_fn.name())
        try:
            F.binary_cross_entropy(x, t, w.requires_grad_())
        except RuntimeError as e:
            print(e)
        with torch.no_grad():
            print(F.binary_cross_entropy(x, t, w))
    """,
    "dropouts": """
        F = torch.nn.functional
        x = torch.arange(48, dtype=torch.float64).reshape(2, 3, 2, 2, 2).sub(20).requires_grad_()
        for f in (F.dropout1d, F.dropout2d, F.dropout3d, F.feature_alpha_dropout,
                  F.alpha_dropout):
            for p in (0.0, 1.0):
                print(f.__name__, p, f(x[:, :, :, 0, 0] if f is F.dropout1d else x, p, True))
            y = f(x[0, :, :, 0, 0] if f is F.dropout1d else x[0], 0.5, False)
            print(f.__name__, y.shape, y.grad_fn.name() if y.grad_fn else None)
            try:
                f(x, 1.5)
            except (RuntimeError, ValueError) as e:
                print(e)
        print(F.dropout2d(torch.ones(2, 3), 0.0).shape)
        print(F.dropout3d(torch.ones(2, 3, 4), 1.0).shape)
        try:
            F.dropout1d(torch.ones(2, 3, 4, 5))
        except RuntimeError as e:
            print(e)
        y = F.feature_alpha_dropout(torch.ones(2, 3), 0.5, False)
        print(y)
    """,
    "activation_modules": """
        nn = torch.nn
        x = torch.tensor([[-4.0, -1.0, 0.0, 0.5], [3.0, 4.0, -0.3, 2.0]], dtype=torch.float64)
        for m in (nn.CELU(2.0), nn.SELU(), nn.GLU(), nn.GLU(0), nn.Hardshrink(0.4),
                  nn.Hardsigmoid(), nn.Hardswish(True), nn.LogSigmoid(), nn.Mish(),
                  nn.Softshrink(1.0), nn.Softsign(), nn.Tanhshrink(), nn.Threshold(0.1, 20.0),
                  nn.RReLU(0.1, 0.3).eval(), nn.PReLU(dtype=torch.float64),
                  nn.PReLU(4, 0.1, dtype=torch.float64)):
            print(m, m(x.clone()))
        print(nn.Softmax2d()(x.reshape(2, 2, 2)))
        print(list(nn.PReLU(3).state_dict()), nn.Threshold(1, 2, True), nn.RReLU(inplace=True))
        try:
            nn.Softmax2d()(x)
        except ValueError as e:
            print(e)
    """,
    "norm_and_dropout_modules": """
        nn = torch.nn
        x = torch.arange(48, dtype=torch.float64).reshape(2, 3, 8).sin()
        for m in (nn.InstanceNorm1d(3), nn.InstanceNorm1d(3, affine=True, track_running_stats=True,
                                                          dtype=torch.float64),
                  nn.RMSNorm(8, dtype=torch.float64), nn.RMSNorm([3, 8], 1e-3, False),
                  nn.LocalResponseNorm(3, 0.1)):
            print(m, list(m.state_dict()), m(x))
        m = nn.InstanceNorm1d(3, track_running_stats=True, dtype=torch.float64)
        m(x)
        print(m.running_mean, m.running_var, m.num_batches_tracked, m.eval()(x[0]))
        print(nn.InstanceNorm2d(3)(x.reshape(2, 3, 2, 4)),
              nn.InstanceNorm3d(2)(x.reshape(3, 2, 2, 2, 2)))
        for f in (lambda: nn.InstanceNorm1d(4, affine=True)(x), lambda: nn.InstanceNorm2d(3)(x),
                  lambda: nn.InstanceNorm1d(4)(x)):
            try:
                print(f().shape)
            except ValueError as e:
                print(e)
        for cls in (nn.Dropout1d, nn.Dropout2d, nn.Dropout3d, nn.AlphaDropout,
                    nn.FeatureAlphaDropout):
            m = cls(0.3, inplace=True)
            print(m, m.eval()(x.reshape(2, 3, 2, 4) if cls is nn.Dropout2d else
                              x.reshape(2, 3, 2, 2, 2) if cls is nn.Dropout3d else x) is not None)
            print(cls(1.0).train()(torch.ones(2, 3, 2, 2, 2) if cls is nn.Dropout3d else
                                   torch.ones(2, 3, 4)))
            try:
                cls(1.5)
            except ValueError as e:
                print(e)
    """,
    "loss_modules": """
        nn = torch.nn
        a = torch.tensor([[0.3, -1.2, 2.0], [0.1, 0.4, -0.5]], dtype=torch.float64)
        b = torch.tensor([[1.3, 0.2, -2.0], [0.1, 0.5, -0.5]], dtype=torch.float64)
        t = torch.tensor([1.0, -1.0], dtype=torch.float64)
        t2 = torch.tensor([[1.0, -1.0, 1.0], [-1.0, -1.0, 1.0]], dtype=torch.float64)
        cases = [(nn.CosineEmbeddingLoss(0.2), (a, b, t)),
                 (nn.MarginRankingLoss(0.1, reduction="sum"), (a, b, t2)),
                 (nn.HingeEmbeddingLoss(0.5, reduce=False), (a, t2)),
                 (nn.SoftMarginLoss(size_average=False), (a, t2)),
                 (nn.MultiLabelMarginLoss(), (a, torch.tensor([[2, -1, 0], [1, 0, -1]]))),
                 (nn.MultiLabelSoftMarginLoss(torch.tensor([1.0, 2.0, 3.0])), (a, t2.abs())),
                 (nn.MultiMarginLoss(2, 0.5, reduction="none"), (a, torch.tensor([0, 2]))),
                 (nn.PoissonNLLLoss(full=True), (a, b.abs())),
                 (nn.GaussianNLLLoss(full=True, eps=0.01), (a, b, b.abs())),
                 (nn.TripletMarginLoss(0.5, 1.0, swap=True), (a, b, b.flip(1))),
                 (nn.TripletMarginWithDistanceLoss(margin=0.5), (a, b, b.flip(1))),
                 (nn.TripletMarginWithDistanceLoss(distance_function=nn.CosineSimilarity()),
                  (a, b, b.flip(1)))]
        for m, args in cases:
            print(m, m.reduction, [round(v, 10) for v in m(*args).reshape(-1).tolist()])
        for f in (lambda: nn.MultiMarginLoss(3), lambda: nn.TripletMarginLoss(0),
                  lambda: nn.TripletMarginWithDistanceLoss(margin=-1),
                  lambda: nn.MultiMarginLoss(weight=torch.ones(2, 2))):
            try:
                f()
            except ValueError as e:
                print(e)
        print(nn.PairwiseDistance(1, keepdim=True)(a, b))
    """,
}


@pytest.mark.parametrize("name", ci_sample(sorted(SNIPPETS), 2))  # CI: half; slow: all
def test_functional_breadth_matches_torch(name):
    assert_same(SNIPPETS[name])


def test_channel_dropout_statistics():
    """Training-mode channel dropout: whole channels are zeroed (about ``p`` of them) and the
    rest scaled by ``1 / (1 - p)``; feature alpha dropout keeps the mean near 0 and the variance
    near 1 on a standard normal input. torch's draws are not reproduced bit for bit, so the
    check is on the statistics torch's own output shows."""
    torch = pytest.importorskip("torch")
    import numpy as np

    import torchlike

    for lib in (torch, torchlike):
        lib.manual_seed(0)
        x = lib.ones(40, 50, 4, 4, 4)
        y = lib.nn.functional.dropout3d(x, 0.3, True).numpy().reshape(2000, -1)
        assert set(np.unique(y)) <= {0.0, np.float32(1 / 0.7)}
        assert (y == y[:, :1]).all()
        assert abs((y[:, 0] == 0).mean() - 0.3) < 0.05
        z = lib.nn.functional.feature_alpha_dropout(lib.randn(400, 500, 8), 0.3, True).numpy()
        assert abs(z.mean()) < 0.05 and abs(z.var() - 1) < 0.05


def test_hardtanh_inplace():
    assert_same("""
        x = torch.tensor([-2., 0.5, 3.], requires_grad=True)
        y = x * 1
        z = torch.nn.functional.hardtanh_(y, -1., 2.)
        print(z, z is y, z.grad_fn.name())
        z.sum().backward()
        print(x.grad)
    """)
