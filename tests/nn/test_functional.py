"""nn.functional and the layer/loss modules against torch: values, input and parameter
gradients, grad_fn names, warnings and errors (printed parity), plus tight float64 numeric
comparisons with the same weights copied into both."""

from __future__ import annotations

import numpy as np
import pytest

from tests._ci import ci_sample
from tests._parity import assert_same

PRELUDE = """
nn = torch.nn
F = torch.nn.functional
def fill(m, scale=1.0):
    with torch.no_grad():
        for i, p in enumerate(m.parameters()):
            p.copy_(torch.linspace(-scale, scale * (1 + i / 7), p.numel()).reshape(p.shape))
    return m
def data(*shape, dtype=torch.float32, grad=True):
    n = 1
    for s in shape:
        n *= s
    return torch.sin(torch.arange(n, dtype=dtype) * 1.3 + 0.2).reshape(shape).requires_grad_(grad)
def show(y, *leaves):
    print(y.grad_fn.name() if y.grad_fn is not None else None, y.dtype, tuple(y.shape))
    print(y)
    (y * torch.cos(torch.arange(y.numel(), dtype=y.dtype)).reshape(y.shape)).sum().backward()
    for t in leaves:
        print(t.grad)
"""

SNIPPETS = {
    "linear_names": """
        w = data(5, 4); b = data(5)
        for shape in [(3, 4), (4,), (2, 3, 4)]:
            for bias in (b, None):
                print(shape, bias is None, F.linear(data(*shape), w, bias).grad_fn.name())
        x = data(3, 4)
        show(F.linear(x, w, b), x, w, b)
        F.linear(data(3, 4), data(5, 3))
    """,
    "linear_module": """
        for dt in (torch.float32, torch.float64):
            m = fill(nn.Linear(4, 3)).to(dt)
            x = data(2, 4, dtype=dt)
            show(m(x), x, m.weight, m.bias)
        m = fill(nn.Linear(4, 3, bias=False))
        x = data(2, 2, 4)
        show(m(x), x, m.weight)
        print(m.bias, m)
    """,
    "bilinear": """
        m = fill(nn.Bilinear(2, 3, 4), 0.5)
        a, c = data(5, 2), data(5, 3)
        show(m(a, c), a, c, m.weight, m.bias)
        print(m)
    """,
    "identity_flatten": """
        x = data(2, 3, 4)
        print(nn.Identity(3, k=2)(x) is x)
        show(nn.Flatten()(x), x)
        print(nn.Flatten(0, 1)(x).shape, nn.Flatten(-2)(x).shape)
        print(nn.Unflatten(1, (3, 1))(x).shape, nn.Unflatten(-1, (2, 2))(x).shape)
        print(nn.Flatten(0, -1), nn.Unflatten(1, (3, 1)))
    """,
    "activations": """
        # NOTE: no large negative inputs for gelu: torch's float32 erf loses digits there.
        x = torch.tensor([-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 25.0], requires_grad=True)
        for name, f in [("relu", F.relu), ("leaky", lambda t: F.leaky_relu(t, 0.2)),
                        ("gelu", F.gelu), ("gelu_tanh", lambda t: F.gelu(t, approximate="tanh")),
                        ("silu", F.silu), ("elu", lambda t: F.elu(t, 0.7)), ("tanh", F.tanh),
                        ("sigmoid", F.sigmoid), ("softplus", F.softplus),
                        ("softplus2", lambda t: F.softplus(t, 2.0, 10.0)),
                        ("hardtanh", F.hardtanh), ("relu6", F.relu6)]:
            x.grad = None
            print(name)
            show(f(x), x)
    """,
    "activation_modules": """
        x = data(2, 3)
        for m in [nn.ReLU(), nn.LeakyReLU(0.1), nn.GELU(), nn.SiLU(), nn.ELU(), nn.Tanh(),
                  nn.Sigmoid(), nn.Softmax(dim=1), nn.LogSoftmax(dim=0), nn.Softplus(beta=2)]:
            x.grad = None
            print(m)
            show(m(x), x)
        y = data(3, grad=False)
        nn.ReLU(inplace=True)(y)
        print(y)
        nn.LeakyReLU(0.5, inplace=True)(y)
        print(y)
    """,
    "softmax": """
        x = data(2, 3, 4)
        for d in (0, 1, -1):
            x.grad = None
            show(F.softmax(x, d), x)
            x.grad = None
            show(F.log_softmax(x, dim=d), x)
        print(F.softmax(x, 1, dtype=torch.float64).dtype)
        print(F.softmax(data(2, 3)).shape)
        print(nn.Softmax()(data(3)).shape)
        print(F.log_softmax(data(4, 2)).shape)
        F.softmax(torch.tensor([1, 2]), 0)
    """,
    "dropout_eval_edges": """
        x = data(4, 5)
        print(F.dropout(x, 0.5, training=False) is x, F.dropout(x, 0.0) is x)
        y = F.dropout(x, 1.0)
        print(y, y.grad_fn.name())
        d = nn.Dropout(0.3)
        d.eval()
        print(d(x) is x, d)
        print(F.dropout(x, 0.5).grad_fn.name())
        nn.Dropout(1.5)
    """,
    "embedding": """
        e = fill(nn.Embedding(6, 3, padding_idx=1))
        print(e.weight[1])
        e2 = nn.Embedding(6, 3, padding_idx=-1)
        print(e2.padding_idx, e2.weight[5], e2)
        idx = torch.tensor([[0, 1, 2], [1, 5, 0]])
        y = e(idx)
        show(y, e.weight)
        w = data(4, 2)
        show(F.embedding(torch.tensor([3, 3, 0]), w, padding_idx=0), w)
        p = nn.Embedding.from_pretrained(torch.ones(3, 2))
        print(p.weight.requires_grad, p)
        m = nn.Embedding(4, 2, max_norm=1.0)
        with torch.no_grad():
            m.weight.copy_(torch.tensor([[3.0, 4.0], [0.3, 0.4], [1.0, 1.0], [0.0, 2.0]]))
        print(m(torch.tensor([0, 2])), m.weight)
        F.embedding(torch.tensor([1.0]), w)
    """,
    "embedding_out_of_range": """
        nn.Embedding(3, 2)(torch.tensor([3]))
    """,
    "one_hot": """
        print(F.one_hot(torch.tensor([0, 2, 1])), F.one_hot(torch.tensor([[1], [0]]), 4))
        print(F.one_hot(torch.tensor([0, 2]), num_classes=5).dtype)
        F.one_hot(torch.tensor([0, 3]), 3)
    """,
    "regression_losses": """
        x, t = data(3, 4), torch.cos(torch.arange(12.0)).reshape(3, 4)
        for f, kw in [(F.mse_loss, {}), (F.l1_loss, {}), (F.smooth_l1_loss, {}),
                      (F.smooth_l1_loss, {"beta": 0.5}), (F.smooth_l1_loss, {"beta": 0.0}),
                      (F.huber_loss, {}), (F.huber_loss, {"delta": 0.3})]:
            for r in ("mean", "sum", "none"):
                x.grad = None
                print(f.__name__, kw, r)
                show(f(x, t, reduction=r, **kw), x)
        for m in (nn.MSELoss(), nn.L1Loss(reduction="sum"), nn.SmoothL1Loss(beta=2.0),
                  nn.HuberLoss(delta=0.5)):
            print(m, m(x, t))
        F.mse_loss(x, t, reduction="avg")
    """,
    "bce": """
        p = torch.sigmoid(data(3, 2)).detach().requires_grad_()
        t = torch.tensor([[0.0, 1.0], [1.0, 1.0], [0.2, 0.0]])
        w = torch.tensor([1.0, 2.0])
        for r in ("mean", "sum", "none"):
            p.grad = None
            show(F.binary_cross_entropy(p, t, reduction=r), p)
        p.grad = None
        show(F.binary_cross_entropy(p, t, weight=w), p)
        print(nn.BCELoss(weight=w)(p, t), nn.BCELoss(weight=w))
        print(F.binary_cross_entropy(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 0.0])))
        F.binary_cross_entropy(p, t[0])
    """,
    "bce_range": """
        F.binary_cross_entropy(torch.tensor([1.5]), torch.tensor([1.0]))
    """,
    "bce_logits": """
        x = data(3, 2)
        t = torch.tensor([[0.0, 1.0], [1.0, 1.0], [0.2, 0.0]])
        for kw in ({}, {"weight": torch.tensor([1.0, 2.0])},
                   {"pos_weight": torch.tensor([3.0, 0.5])}, {"reduction": "none"}):
            x.grad = None
            show(F.binary_cross_entropy_with_logits(x, t, **kw), x)
        m = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([2.0, 1.0]))
        print(m, m(x, t), list(m.state_dict()))
    """,
    "kl_div": """
        x = F.log_softmax(data(3, 4), 1).detach().requires_grad_()
        t = F.softmax(torch.cos(torch.arange(12.0)).reshape(3, 4), 1)
        t[0, 0] = 0.0
        for r in ("sum", "none", "batchmean", "mean"):
            x.grad = None
            show(F.kl_div(x, t, reduction=r), x)
            x.grad = None
            show(F.kl_div(x, t.log(), reduction=r, log_target=True), x)
        print(nn.KLDivLoss(reduction="batchmean")(x, t))
    """,
    "nll_loss": """
        x = F.log_softmax(data(4, 3), 1).detach().requires_grad_()
        y = torch.tensor([0, 2, 1, 2])
        w = torch.tensor([0.2, 1.0, 3.0])
        for kw in ({}, {"weight": w}, {"ignore_index": 2}, {"weight": w, "ignore_index": 1},
                   {"reduction": "sum"}, {"reduction": "none", "weight": w}):
            x.grad = None
            show(F.nll_loss(x, y, **kw), x)
        print(F.nll_loss(x, torch.tensor([1, 1, 1, 1]), ignore_index=1))
        x3 = data(2, 3, 4)
        show(F.nll_loss(x3, torch.tensor([[0, 1, 2, 1], [2, 2, 0, 0]])), x3)
        print(F.nll_loss(data(3), torch.tensor(1)))
        print(nn.NLLLoss(weight=w), list(nn.NLLLoss(weight=w).state_dict()))
        F.nll_loss(x, torch.tensor([0, 1]))
    """,
    "nll_out_of_bounds": """
        F.nll_loss(torch.zeros(2, 3), torch.tensor([0, 3]))
    """,
    "cross_entropy": """
        x = data(4, 3)
        y = torch.tensor([0, 2, 1, 2])
        w = torch.tensor([0.2, 1.0, 3.0])
        for kw in ({}, {"weight": w}, {"ignore_index": 2}, {"reduction": "sum"},
                   {"reduction": "none"}, {"label_smoothing": 0.1},
                   {"label_smoothing": 0.2, "weight": w, "ignore_index": 1},
                   {"label_smoothing": 0.3, "reduction": "none"},
                   {"label_smoothing": 0.3, "reduction": "sum", "weight": w}):
            x.grad = None
            print(kw)
            show(F.cross_entropy(x, y, **kw), x)
        loss = F.cross_entropy(x, y)
        print(loss.grad_fn.next_functions[0][0].name())
        print(nn.CrossEntropyLoss(label_smoothing=0.1)(x, y))
    """,
    "cross_entropy_probs": """
        x = data(4, 3)
        p = F.softmax(torch.cos(torch.arange(12.0)).reshape(4, 3), 1)
        for kw in ({}, {"reduction": "sum"}, {"reduction": "none"}, {"label_smoothing": 0.2},
                   {"weight": torch.tensor([0.2, 1.0, 3.0])}):
            x.grad = None
            print(kw)
            show(F.cross_entropy(x, p, **kw), x)
    """,
    "cross_entropy_kdim": """
        x = data(2, 3, 2, 2)
        y = torch.tensor([[[0, 1], [2, 1]], [[2, 2], [0, 1]]])
        for kw in ({}, {"reduction": "none"}, {"weight": torch.tensor([0.5, 1.0, 2.0])},
                   {"label_smoothing": 0.1}):
            x.grad = None
            show(F.cross_entropy(x, y, **kw), x)
        x1 = data(2, 3, 4)
        show(F.cross_entropy(x1, torch.tensor([[0, 1, 2, 0], [1, 1, 0, 2]]), reduction="none"), x1)
        x0 = data(3)
        show(F.cross_entropy(x0, torch.tensor(2)), x0)
        F.cross_entropy(x, y[:, 0])
    """,
    "dtype_float64_losses": """
        x = data(3, 4, dtype=torch.float64)
        y = torch.tensor([0, 3, 1])
        print(F.cross_entropy(x, y).dtype, F.mse_loss(x, x.detach() * 2).dtype)
        m = fill(nn.Linear(4, 2)).double()
        print(m(x).dtype, m.weight.dtype)
    """,
}


@pytest.mark.parametrize("name", ci_sample(sorted(SNIPPETS), 2))  # CI: half; slow: all
def test_functional_matches_torch(name):
    assert_same(PRELUDE + SNIPPETS[name].replace("\n        ", "\n"))


# -- float64 numeric comparisons: same weights, same inputs, tight tolerance --------------------
def _pair(build, seed=0):
    torch = pytest.importorskip("torch")
    import torchlike

    rng = np.random.default_rng(seed)
    ref, got = build(torch), build(torchlike)
    for (name, p), (name2, q) in zip(ref.named_parameters(), got.named_parameters(), strict=True):
        assert name == name2
        v = rng.standard_normal(tuple(p.shape))
        with torch.no_grad():
            p.copy_(torch.tensor(v))
        with torchlike.no_grad():
            q.copy_(torchlike.tensor(v))
    return torch, torchlike, ref, got, rng


LAYERS = {
    "linear": (lambda t: t.nn.Linear(4, 3).double(), [(5, 4)]),
    "linear3d_nobias": (lambda t: t.nn.Linear(4, 3, bias=False).double(), [(2, 5, 4)]),
    "bilinear": (lambda t: t.nn.Bilinear(3, 2, 4).double(), [(5, 3), (5, 2)]),
    "mlp": (lambda t: t.nn.Sequential(t.nn.Linear(4, 8), t.nn.GELU(), t.nn.Linear(8, 8),
                                      t.nn.SiLU(), t.nn.Linear(8, 2), t.nn.LogSoftmax(1)
                                      ).double(), [(6, 4)]),
}


@pytest.mark.parametrize("name", ci_sample(sorted(LAYERS), 2))
def test_layer_float64_values_and_grads(name):
    build, shapes = LAYERS[name]
    torch, tl, ref, got, rng = _pair(build)
    xs = [rng.standard_normal(s) for s in shapes]
    ct = None
    outs = []
    for lib, m in ((torch, ref), (tl, got)):
        ins = [lib.tensor(x, requires_grad=True) for x in xs]
        y = m(*ins)
        if ct is None:
            ct = rng.standard_normal(tuple(y.shape))
        (y * lib.tensor(ct)).sum().backward()
        outs.append([y.detach().numpy(), *[i.grad.numpy() for i in ins],
                     *[p.grad.numpy() for p in m.parameters()]])  # fmt: skip
    for a, b in zip(*outs, strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-12)


LOSSES = {
    "ce": ("cross_entropy", (5, 4), "class", {"label_smoothing": 0.1}),
    "ce_w": ("cross_entropy", (5, 4), "class", {"weight": "w", "ignore_index": 1}),
    "ce_prob": ("cross_entropy", (5, 4), "prob", {}),
    "nll_2d": ("nll_loss", (2, 4, 3, 2), "class", {}),
    "bce": ("binary_cross_entropy", (5, 4), "prob01", {"weight": "w"}),
    "bcel": ("binary_cross_entropy_with_logits", (5, 4), "prob01", {"pos_weight": "w"}),
    "kl": ("kl_div", (5, 4), "prob", {"reduction": "batchmean"}),
    "huber": ("huber_loss", (5, 4), "real", {"delta": 0.7}),
    "smooth_l1": ("smooth_l1_loss", (5, 4), "real", {"beta": 0.4, "reduction": "sum"}),
}


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_float64_values_and_grads(name):
    torch = pytest.importorskip("torch")
    import torchlike

    fname, shape, kind, kw = LOSSES[name]
    rng = np.random.default_rng(1)
    x = rng.standard_normal(shape)
    c = shape[1]
    tshape = (shape[0], *shape[2:])
    t = {"class": rng.integers(0, c, tshape), "real": rng.standard_normal(shape),
         "prob": np.exp(x[::-1].copy()) / np.exp(x[::-1]).sum(1, keepdims=True),
         "prob01": rng.uniform(size=shape)}[kind]  # fmt: skip
    if fname == "binary_cross_entropy":
        x = 1 / (1 + np.exp(-x))
    w = rng.uniform(0.5, 2.0, size=(c,) if fname != "binary_cross_entropy" else shape)
    res = []
    for lib in (torch, torchlike):
        xi = lib.tensor(x, requires_grad=True)
        opts = {k: (lib.tensor(w) if v == "w" else v) for k, v in kw.items()}
        y = getattr(lib.nn.functional, fname)(xi, lib.tensor(t), **opts)
        y.sum().backward()
        res.append((y.detach().numpy(), xi.grad.numpy()))
    for a, b in zip(*res, strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-10, atol=1e-12)


# -- random behaviour: statistics, not draws (torchlike's RNG is not torch's) -------------------
def test_dropout_mask_statistics():
    import torchlike as tl

    x = tl.ones(200, 500)
    y = tl.nn.functional.dropout(x, 0.3).numpy()
    vals = np.unique(y)
    assert len(vals) == 2 and vals[0] == 0 and np.isclose(vals[1], 1 / 0.7, rtol=1e-6)
    assert abs((y == 0).mean() - 0.3) < 0.01
    assert abs(y.mean() - 1.0) < 0.02
    d = tl.nn.Dropout(0.5)
    xi = tl.ones(1000, requires_grad=True)
    out = d(xi)
    out.sum().backward()
    np.testing.assert_array_equal(xi.grad.numpy(), out.detach().numpy())
    d.eval()
    assert d(xi) is xi


def test_default_init_distributions():
    import torchlike as tl

    tl.manual_seed(0)
    m = tl.nn.Linear(400, 300)
    w, b = m.weight.detach().numpy(), m.bias.detach().numpy()
    bound = 1 / np.sqrt(400)  # kaiming_uniform(a=sqrt(5)): gain*sqrt(3/fan_in) = 1/sqrt(fan_in)
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.99 * bound
    assert abs(w.std() - bound / np.sqrt(3)) < 0.01 * bound
    assert np.abs(b).max() <= bound and abs(b.mean()) < 0.1 * bound
    e = tl.nn.Embedding(500, 200, padding_idx=3).weight.detach().numpy()
    assert abs(e.std() - 1) < 0.01 and abs(e.mean()) < 0.01 and not e[3].any()
    bl = tl.nn.Bilinear(20, 30, 40).weight.detach().numpy()
    assert np.abs(bl).max() <= 1 / np.sqrt(20)


def test_init_functions():
    import torchlike as tl

    init = tl.nn.init
    t = tl.empty(300, 200)
    a = np.sqrt(6 / 500)
    w = init.xavier_uniform_(t).numpy()
    assert np.abs(w).max() <= a and abs(w.std() - a / np.sqrt(3)) < 0.02 * a
    w = init.xavier_normal_(t, gain=2.0).numpy()
    assert abs(w.std() - 2 * np.sqrt(2 / 500)) < 0.02 * 2 * np.sqrt(2 / 500)
    w = init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu").numpy()
    assert abs(w.std() - np.sqrt(2 / 300)) < 0.02 * np.sqrt(2 / 300)
    w = init.kaiming_uniform_(t, a=0.1).numpy()
    bound = np.sqrt(2 / (1 + 0.01)) * np.sqrt(3 / 200)
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.99 * bound
    w = init.trunc_normal_(t, mean=1.0, std=2.0, a=-1.0, b=2.0).numpy()
    assert w.min() >= -1.0 and w.max() <= 2.0
    w = init.normal_(t, 3.0, 0.5).numpy()
    assert abs(w.mean() - 3) < 0.01 and abs(w.std() - 0.5) < 0.01
    w = init.uniform_(t, -2.0, -1.0).numpy()
    assert w.min() >= -2 and w.max() < -1
    q = init.orthogonal_(tl.empty(3, 5), gain=2.0).numpy()
    np.testing.assert_allclose(q @ q.T, 4 * np.eye(3), atol=1e-5)
    assert init.eye_(tl.empty(2, 3)).tolist() == [[1, 0, 0], [0, 1, 0]]
    assert init.constant_(tl.empty(2), 0.5).tolist() == [0.5, 0.5]
    assert init.zeros_(tl.ones(2)).tolist() == [0, 0] and init.ones_(tl.zeros(1)).tolist() == [1]
    p = tl.nn.Parameter(tl.zeros(2, 2))
    init.ones_(p)
    assert p.requires_grad and p.grad_fn is None


INIT_SNIPPETS = {
    "gain_fans_errors": """
        init = torch.nn.init
        print([init.calculate_gain(n) for n in ("linear", "conv2d", "sigmoid", "tanh", "relu",
                                                 "leaky_relu", "selu")])
        print(init.calculate_gain("leaky_relu", 0.2))
        print(init._calculate_fan_in_and_fan_out(torch.empty(3, 4, 5, 2)))
        for f, a in ((init._calculate_fan_in_and_fan_out, torch.empty(3)),
                     (init.eye_, torch.empty(2, 2, 2)),
                     (init.orthogonal_, torch.empty(3)),
                     (init.calculate_gain, "foo")):
            try:
                f(a)
            except ValueError as e:
                print(e)
        init.kaiming_uniform_(torch.empty(3, 2), mode="fan_avg")
    """,
    "clip_grad": """
        nn = torch.nn
        a = nn.Parameter(torch.tensor([3.0, 4.0]))
        b = nn.Parameter(torch.tensor([[1.0, -2.0]]))
        c = nn.Parameter(torch.tensor([1.0]))
        a.grad, b.grad = torch.tensor([3.0, 4.0]), torch.tensor([[12.0, 0.0]])
        n = nn.utils.clip_grad_norm_([a, b, c], max_norm=6.5)
        print(n, a.grad, b.grad, c.grad)
        print(nn.utils.clip_grad_norm_([a, b], 1.0, norm_type="inf", foreach=True), a.grad)
        print(nn.utils.clip_grad_norm_(a, 100.0, norm_type=1), a.grad)
        nn.utils.clip_grad_value_([a, b], 0.05)
        print(a.grad, b.grad)
        v = nn.utils.parameters_to_vector([a, b])
        print(v)
        nn.utils.vector_to_parameters(torch.arange(4.0), [a, b])
        print(a, b)
        b.grad = torch.tensor([[float("nan"), 1.0]])
        print(nn.utils.clip_grad_norm_([b], 1.0))
        nn.utils.clip_grad_norm_([b], 1.0, error_if_nonfinite=True)
    """,
}


@pytest.mark.parametrize("name", sorted(INIT_SNIPPETS))
def test_init_utils_match_torch(name):
    assert_same(INIT_SNIPPETS[name].replace("\n        ", "\n"))
