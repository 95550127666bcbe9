"""The ``torch.*`` spellings of the nn ops (``_functions/nn_ops.py``) against real torch: value,
dtype and the gradient of every float input, one case per line; random ops by their moments."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike
from tests._ci import ci_marks

torch = pytest.importorskip("torch")

_rng = np.random.default_rng(0)


def r(*shape, lo=-2.0, hi=2.0):
    return _rng.uniform(lo, hi, shape)


def pos(*shape):
    return r(*shape, lo=0.2, hi=2.0)


def ints(*shape, n=5):
    return _rng.integers(0, n, shape)


def signs(*shape):
    return _rng.choice([-1.0, 1.0], shape)


# (name, args, kwargs); numpy float arrays are inputs whose gradient is compared.
CASES = [
    ("conv1d", (r(2, 4, 9), r(6, 2, 3), r(6)), dict(stride=2, padding=1, groups=2)),
    ("conv2d", (r(2, 3, 7, 6), r(4, 3, 3, 2)), dict(padding="same", dilation=(1, 2))),
    ("conv3d", (r(1, 2, 5, 4, 4), r(3, 2, 2, 3, 2), r(3)), dict(stride=(1, 2, 1))),
    ("conv_transpose1d", (r(2, 4, 5), r(4, 3, 3), r(3)), dict(stride=2, output_padding=1)),
    ("conv_transpose2d", (r(1, 2, 4, 3), r(2, 3, 3, 3)), dict(padding=1, dilation=2)),
    ("conv_transpose3d", (r(1, 2, 3, 3, 2), r(2, 2, 2, 2, 2), r(2)), dict(stride=2)),
    ("convolution", (r(2, 2, 6), r(3, 2, 3), r(3), [1], [1], [1], False, [0], 1), {}),
    ("convolution", (r(2, 4, 5), r(4, 1, 2), None, [2], [0], [1], True, [1], 2), {}),
    ("conv_tbc", (r(7, 2, 3), r(3, 3, 4), r(4), 1), {}),
    ("max_pool1d", (r(2, 3, 9), 3), dict(stride=2, padding=1)),
    ("max_pool2d", (r(2, 2, 6, 5), (2, 3)), dict(stride=1, padding=(1, 0))),
    ("max_pool3d", (r(2, 4, 5, 5), (2, 3, 2)), dict(dilation=(1, 1, 2), ceil_mode=True)),
    ("max_pool1d_with_indices", (r(2, 3, 7), 2), {}),
    ("avg_pool1d", (r(2, 3, 8), 3), dict(stride=2, padding=1, count_include_pad=False)),
    ("adaptive_avg_pool1d", (r(2, 3, 10), 4), {}),
    ("adaptive_max_pool1d", (r(2, 3, 10), 3), {}),
    ("batch_norm", (r(4, 3, 5), r(3), r(3), None, None, True, 0.1, 1e-5, False), {}),
    ("batch_norm", (r(4, 3), r(3), None, r(3), pos(3), False, 0.1, 1e-3, False), {}),
    ("instance_norm", (r(2, 3, 6), r(3), r(3), None, None, True, 0.1, 1e-5, False), {}),
    ("layer_norm", (r(2, 3, 4), [3, 4], r(3, 4), r(3, 4)), {}),
    ("group_norm", (r(2, 6, 5), 3, r(6), r(6)), {}),
    ("rms_norm", (r(3, 4), [4], r(4)), {}),
    ("selu", (r(3, 5),), {}),
    ("selu", (np.array([-1.0, 0.0, 1.0]),), {}),
    ("celu", (r(3, 5), 0.7), {}),
    ("celu", (np.array([-1.0, 0.0, 1.0]),), {}),
    ("threshold", (np.array([-1.0, 0.1, 0.5, 2.0]), 0.1, 20.0), {}),
    ("threshold", (ints(6), 2, -1), {}),
    ("hardshrink", (np.array([-1.0, -0.5, 0.0, 0.3, 0.5, 0.7]),), {}),
    ("hardshrink", (r(4, 3), 1.0), {}),
    ("prelu", (r(2, 3, 4), np.array([0.1, 0.2, 0.3])), {}),
    ("prelu", (r(5), np.array([0.25])), {}),
    ("rrelu", (r(4, 5),), {}),
    ("rrelu", (r(4, 5), 0.1, 0.2), {}),
    ("bilinear", (r(3, 2), r(3, 4), r(5, 2, 4), r(5)), {}),
    ("embedding", (r(6, 3), ints(2, 4, n=6)), {}),
    ("embedding", (r(6, 3), ints(8, n=6), 2), {}),
    ("embedding_bag", (r(6, 3), np.array([0, 2, 1, 5, 4, 2, 3]), np.array([0, 3, 3, 5])), {}),
    (
        "embedding_bag",
        (
            r(6, 3),
            np.array([0, 2, 1, 5, 4, 2]),
            np.array([0, 3, 3, 6]),
            False,
            1,
            False,
            None,
            True,
        ),
        {},
    ),
    (
        "embedding_bag",
        (r(6, 3), np.array([0, 2, 1, 5, 4, 2, 3]), np.array([0, 3, 3, 5]), False, 2),
        {},
    ),
    (
        "embedding_bag",
        (
            r(6, 3),
            np.array([0, 2, 1, 5, 4, 2, 3]),
            np.array([0, 3, 3, 5]),
            False,
            0,
            False,
            r(7),
            False,
            2,
        ),
        {},
    ),
    ("pixel_shuffle", (r(2, 8, 3, 2), 2), {}),
    ("pixel_unshuffle", (r(1, 2, 4, 6), 2), {}),
    ("channel_shuffle", (r(2, 6, 2, 2), 3), {}),
    ("native_channel_shuffle", (r(1, 4, 3), 2), {}),
    ("cosine_similarity", (r(2, 3, 4), r(1, 3, 4)), dict(dim=-1, eps=1e-6)),
    ("pairwise_distance", (r(3, 4), r(4)), dict(p=1.0, keepdim=True)),
    ("pdist", (r(5, 3),), {}),
    ("pdist", (r(4, 2), 1.0), {}),
    ("norm_except_dim", (r(3, 4, 2), 2, 2), {}),
    (
        "binary_cross_entropy_with_logits",
        (r(3, 4), _rng.uniform(0, 1, (3, 4)), None, pos(4), 2),
        {},
    ),
    ("kl_div", (r(3, 4), _rng.uniform(0.1, 1, (3, 4))), {}),
    ("kl_div", (r(3, 4), r(3, 4), 0), dict(log_target=True)),
    ("hinge_embedding_loss", (r(6), signs(6), 0.5, 0), {}),
    ("margin_ranking_loss", (r(6), r(6), signs(6), 0.3, 2), {}),
    ("cosine_embedding_loss", (r(4, 3), r(4, 3), signs(4), 0.2, 0), {}),
    ("triplet_margin_loss", (r(4, 3), r(4, 3), r(4, 3)), {}),
    ("triplet_margin_loss", (r(4, 3), r(4, 3), r(4, 3), 0.5, 1.0, 1e-6, True, 0), {}),
    ("poisson_nll_loss", (r(3, 4), pos(3, 4) * 2, True, False, 1e-8, 1), {}),
    ("poisson_nll_loss", (pos(3, 4), pos(3, 4) * 2, False, True, 1e-8, 2), {}),
    ("rnn_tanh_cell", (r(3, 4), r(3, 5), r(5, 4), r(5, 5), r(5), r(5)), {}),
    ("rnn_relu_cell", (r(3, 4), r(3, 5), r(5, 4), r(5, 5)), {}),
    ("lstm_cell", (r(3, 4), [r(3, 5), r(3, 5)], r(20, 4), r(20, 5), r(20), r(20)), {}),
    (
        "rnn_tanh",
        (r(5, 2, 3), r(1, 2, 4), [r(4, 3), r(4, 4), r(4), r(4)], True, 1, 0.0, False, False, False),
        {},
    ),
    (
        "rnn_relu",
        (
            r(2, 5, 3),
            r(2, 2, 4),
            [r(4, 3), r(4, 4), r(4, 3), r(4, 4)],
            False,
            1,
            0.0,
            False,
            True,
            True,
        ),
        {},
    ),
    (
        "gru",
        (
            r(4, 2, 3),
            r(2, 2, 4),
            [r(12, 3), r(12, 4), r(12), r(12), r(12, 4), r(12, 4), r(12), r(12)],
            True,
            2,
            0.0,
            False,
            False,
            False,
        ),
        {},
    ),
    (
        "lstm",
        (
            r(4, 2, 3),
            [r(2, 2, 4), r(2, 2, 4)],
            [r(16, 3), r(16, 4), r(16), r(16), r(16, 3), r(16, 4), r(16), r(16)],
            True,
            1,
            0.0,
            False,
            True,
            False,
        ),
        {},
    ),
    ("affine_grid_generator", (r(2, 2, 3), [2, 1, 3, 4], False), {}),
    ("affine_grid_generator", (r(2, 3, 4), [2, 1, 2, 3, 2], True), {}),
    ("grid_sampler", (r(1, 2, 4, 5), r(1, 3, 2, 2, lo=-1.1, hi=1.1), 0, 0, False), {}),
    ("grid_sampler", (r(1, 1, 3, 4, 3), r(1, 2, 2, 2, 3, lo=-1, hi=1), 1, 1, True), {}),
    ("gru_cell", (r(3, 4), r(3, 5), r(15, 4), r(15, 5), r(15), r(15)), {}),
]

# Inputs that are targets or fixed statistics, not compared for gradients (torch rejects some).
_NO_GRAD = {"binary_cross_entropy_with_logits": (1, 3), "batch_norm": (3, 4),
            "instance_norm": (3, 4), "kl_div": (), "hinge_embedding_loss": (1,),
            "margin_ranking_loss": (2,), "cosine_embedding_loss": (2,),
            "poisson_nll_loss": (1,), "native_channel_shuffle": (0,)}  # fmt: skip


def _convert(lib, a, grad):
    if isinstance(a, list) and a and isinstance(a[0], np.ndarray):
        return [_convert(lib, x, grad) for x in a]
    if not isinstance(a, np.ndarray):
        return a
    t = lib.tensor(a)
    if grad and t.is_floating_point():
        t.requires_grad_(True)
    return t


def _leaves(args):
    for a in args:
        if isinstance(a, list):
            yield from _leaves(a)
        elif hasattr(a, "requires_grad") and a.requires_grad:
            yield a


def _run(lib, name, args, kwargs):
    skip = _NO_GRAD.get(name, ())
    targs = [_convert(lib, a, i not in skip) for i, a in enumerate(args)]
    out = getattr(lib, name)(*targs, **kwargs)
    outs = out if isinstance(out, tuple) else (out,)
    leaves = list(_leaves(targs))
    grads = []
    diff = [o for o in outs if o.is_floating_point() and o.requires_grad]
    if leaves and diff:
        loss = sum((o * lib.tensor(np.linspace(0.5, 1.5, o.numel()).reshape(o.shape))).sum()
                   for o in diff)  # fmt: skip
        grads = lib.autograd.grad(loss, leaves, allow_unused=True)
    return outs, grads


# the plain RNN/GRU cases repeat LSTM's path and compile slowly: nox -s slow runs them
_SLOW = {"gru", "rnn_relu", "rnn_tanh"}


@pytest.mark.parametrize(
    "name,args,kwargs",
    [pytest.param(*c, id=c[0], marks=[pytest.mark.slow] if c[0] in _SLOW else ci_marks(c[0], 2))
     for c in CASES],  # CI: half of the ops (crc32 of the name); nox -s slow: all
)
def test_against_torch(name, args, kwargs):
    assert "out" not in kwargs
    t_out, t_grads = _run(torch, name, args, kwargs)
    l_out, l_grads = _run(torchlike, name, args, kwargs)
    assert len(t_out) == len(l_out)
    for t, o in zip(t_out, l_out, strict=True):
        assert str(o.dtype) == str(t.dtype)
        assert tuple(o.shape) == tuple(t.shape)
        np.testing.assert_allclose(o.detach().numpy(), t.detach().numpy(), rtol=1e-6, atol=1e-7)
    assert len(t_grads) == len(l_grads)
    for t, g in zip(t_grads, l_grads, strict=True):
        if t is None:
            assert g is None or not g.numpy().any()
            continue
        np.testing.assert_allclose(g.numpy(), t.numpy(), rtol=1e-6, atol=1e-7)


def test_grad_fn_names():
    x = torchlike.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    assert torchlike.selu(x).grad_fn.name() == "EluBackward0"
    assert torchlike.celu(x).grad_fn.name() == "CeluBackward0"
    assert torchlike.threshold(x, 0.0, 1.0).grad_fn.name() == "ThresholdBackward0"
    assert torchlike.hardshrink(x).grad_fn.name() == "HardshrinkBackward0"
    assert torchlike.prelu(x, torchlike.tensor([0.2])).grad_fn.name() == "PreluKernelBackward0"
    assert torchlike.pdist(x.view(3, 1)).grad_fn.name() == "PdistBackward0"
    assert torchlike.rrelu(x, training=True).grad_fn.name() == "RreluWithNoiseBackward0"


def test_methods_and_inplace():
    a = np.array([-1.5, -0.2, 0.0, 0.4, 2.0])
    for name, args in (("selu", ()), ("celu", (0.5,)), ("threshold", (0.1, -3.0))):
        t, x = torch.tensor(a), torchlike.tensor(a)
        assert getattr(torchlike, name + "_")(x, *args) is x
        getattr(torch, name + "_")(t, *args)
        np.testing.assert_allclose(x.numpy(), t.numpy(), rtol=1e-6)
    x = torchlike.tensor(a)
    assert torchlike.relu_(x) is x and x.min().item() == 0.0
    np.testing.assert_allclose(torchlike.tensor(a).hardshrink(0.3).numpy(),
                               torch.tensor(a).hardshrink(0.3).numpy())  # fmt: skip
    w = np.array([0.3])
    np.testing.assert_allclose(torchlike.tensor(a).prelu(torchlike.tensor(w)).numpy(),
                               torch.tensor(a).prelu(torch.tensor(w)).numpy())  # fmt: skip


def test_batch_norm_running_stats():
    x, rm, rv = r(5, 3, 2), r(3), pos(3)
    outs = []
    for lib in (torch, torchlike):
        m, v = lib.tensor(rm), lib.tensor(rv)
        y = lib.batch_norm(lib.tensor(x), None, None, m, v, True, 0.2, 1e-5, False)
        outs.append((y.numpy(), m.numpy(), v.numpy()))
    for t, o in zip(*outs, strict=True):
        np.testing.assert_allclose(o, t, rtol=1e-6)


def test_instance_norm_running_stats():
    x, rm, rv = r(4, 3, 5), r(3), pos(3)
    outs = []
    for lib in (torch, torchlike):
        m, v = lib.tensor(rm), lib.tensor(rv)
        y = lib.instance_norm(lib.tensor(x), None, None, m, v, True, 0.3, 1e-5, False)
        outs.append((y.numpy(), m.numpy(), v.numpy()))
    for t, o in zip(*outs, strict=True):
        np.testing.assert_allclose(o, t, rtol=1e-6)


def test_embedding_renorm_():
    w, idx = r(5, 4) * 3, np.array([0, 2, 2, 4])
    outs = []
    for lib in (torch, torchlike):
        t = lib.tensor(w)
        assert lib.embedding_renorm_(t, lib.tensor(idx), 1.5, 2.0) is t
        outs.append(t.numpy())
    np.testing.assert_allclose(outs[1], outs[0], rtol=1e-6)


@pytest.mark.parametrize("name", ["dropout", "feature_dropout", "alpha_dropout",
                                  "feature_alpha_dropout"])  # fmt: skip
def test_dropout_family(name):
    x = torchlike.ones(64, 32, 4)
    assert getattr(torchlike, name)(x, 0.3, False) is x
    assert getattr(torchlike, name)(x, 0.0, True) is x
    y = getattr(torchlike, name)(x, 0.3, True).numpy()
    t = getattr(torch, name)(torch.ones(64, 32, 4), 0.3, True).numpy()
    # the same set of values (kept, dropped) in about the same proportion as torch's
    np.testing.assert_allclose(np.unique(y), np.unique(t), rtol=1e-6)
    assert abs((y == y.max()).mean() - 0.7) < 0.05
    if name.startswith("feature"):
        assert (y == y[..., :1]).all()  # one draw per (sample, channel)
    assert (
        getattr(torchlike, name)(x, 1.0, True).numpy().tolist()
        == getattr(torch, name)(torch.ones(64, 32, 4), 1.0, True).numpy().tolist()
    )
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        getattr(torchlike, name)(x, 1.5, True)
    z = torchlike.ones(8, 4, 2)
    assert getattr(torchlike, name + "_")(z, 0.5, True) is z
    assert (z.numpy() != 1).any()


def test_dropout_grad():
    x = torchlike.ones(200, requires_grad=True)
    y = torchlike.dropout(x, 0.25, True)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), y.detach().numpy())


def test_native_dropout():
    out, mask = torchlike.native_dropout(torchlike.ones(1000), 0.4, True)
    assert mask.dtype == torchlike.bool
    np.testing.assert_allclose(out.numpy(), mask.numpy() / 0.6, rtol=1e-6)
    out, mask = torchlike.native_dropout(torchlike.ones(3), 0.4, False)
    assert mask.numpy().all() and out.numpy().tolist() == [1.0, 1.0, 1.0]


def test_rrelu_training():
    x = torchlike.tensor(-np.ones(1000))
    y = torchlike.rrelu(x, 0.1, 0.3, True).numpy()
    assert ((-y >= 0.1) & (-y <= 0.3)).all() and np.unique(y).size > 100


def test_errors_match_torch():
    cases = [
        ("pixel_shuffle", (r(1, 3, 2, 2), 2)),
        ("pixel_unshuffle", (r(1, 3, 3, 2), 2)),
        ("channel_shuffle", (r(1, 3, 2), 2)),
        ("pdist", (r(2, 3, 4),)),
        ("prelu", (r(2, 3, 4), np.array([0.1, 0.2]))),
        ("layer_norm", (r(2, 3), [4])),
    ]
    for name, args in cases:
        with pytest.raises(RuntimeError) as t:
            getattr(torch, name)(*[torch.tensor(a) if isinstance(a, np.ndarray) else a
                                   for a in args])  # fmt: skip
        with pytest.raises(RuntimeError) as o:
            getattr(torchlike, name)(*[torchlike.tensor(a) if isinstance(a, np.ndarray) else a
                                       for a in args])  # fmt: skip
        assert str(o.value) == str(t.value), name


@pytest.mark.parametrize("reduction", [0, 1, 2])
@pytest.mark.parametrize("flat", [False, True])
def test_ctc_loss(reduction, flat):
    x = np.random.default_rng(1).normal(size=(7, 4, 5))
    padded = np.array([[1, 2, 2], [3, 1, 0], [4, 4, 4], [2, 0, 0]])
    targets = np.array([1, 2, 2, 3, 1, 4, 4, 4]) if flat else padded
    # sample 2 cannot be aligned in 2 frames (loss inf, zeroed by zero_infinity); sample 3 has
    # an empty target; sample 0 repeats a label (needs a blank between the two 2s)
    lengths, target_lengths = [7, 6, 2, 5], [3, 2, 3, 0]
    outs = []
    for lib in (torch, torchlike):
        a = lib.tensor(x).requires_grad_()
        loss = lib.ctc_loss(a.log_softmax(2), lib.tensor(targets), lib.tensor(lengths),
                            lib.tensor(target_lengths), 0, reduction, True)  # fmt: skip
        (g,) = lib.autograd.grad(loss.sum(), a)
        outs.append((loss.detach().numpy(), g.numpy(), loss.grad_fn.name(), str(loss.dtype)))
    (tv, tg, tn, td), (v, g, n, d) = outs
    np.testing.assert_allclose(v, tv, rtol=1e-6)
    np.testing.assert_allclose(g, tg, rtol=1e-6, atol=1e-9)
    assert (n, d) == (tn, td)


def test_empty_inputs_normalise_to_empty():
    for lib in (torch, torchlike):
        x = lib.zeros(0, 4, 3, requires_grad=True)
        w, b = lib.ones(4), lib.zeros(4)
        assert lib.group_norm(x, 2, w, b).shape == (0, 4, 3)
        y = lib.batch_norm(x, w, b, None, None, True, 0.1, 1e-5, False)
        assert y.shape == (0, 4, 3) and y.requires_grad
