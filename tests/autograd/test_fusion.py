"""Eager backward fusion: a graph whose structure was seen before runs as one cached program, with
the gradients, errors and ``.grad`` semantics of the node-by-node engine (and of real torch)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import torchlike
from torchlike.autograd import engine, fusion


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    fusion.clear()
    monkeypatch.setattr(fusion, "stats", {"fused": 0, "compiled": 0})
    yield
    fusion.clear()


@pytest.fixture
def node_calls(monkeypatch):
    """How many times the engine ran one node's backward (0 for a fused backward)."""
    calls = [0]
    apply = engine._apply_node

    def counted(*args, **kw):
        calls[0] += 1
        return apply(*args, **kw)

    monkeypatch.setattr(engine, "_apply_node", counted)
    return calls


def _diamond(lib, x, w):
    a = x * w
    b = a.sin() + a * a  # NOTE: shared subexpression: two paths from a
    return (b * x).sum() + (b / 3).mean()


def _multi_out(lib, x, w):
    r0, r1, _ = (x * w).unbind(0)  # NOTE: output 2 unused: its cotangent is zeros
    s0, s1 = x.split([1, 2], 1)
    values, _ = (x + w).max(1)
    return (r0 * r1).sum() + (s1.exp() * 2).sum() + s0.sum() + values.pow(2).sum()


def _ints(lib, x, w):
    # int scalars and int tensors as saved arguments; x used twice by one op (x * x)
    idx = lib.tensor([[2], [0], [1]])
    g = (x * x * 2 - 1).gather(1, idx)
    return (g.squeeze(1) ** 3).sum() + (w * 3).clamp(min=0.5).sum()


CASES = {"diamond": _diamond, "multi_out": _multi_out, "ints": _ints}


def _inputs(lib, seed):
    rng = np.random.default_rng(seed)
    x = lib.tensor(rng.standard_normal((3, 3)).astype(np.float32), requires_grad=True)
    w = lib.tensor(rng.standard_normal((3, 3)).astype(np.float32), requires_grad=True)
    return x, w


def _grads(lib, case, seed):
    x, w = _inputs(lib, seed)
    CASES[case](lib, x, w).backward()
    return x.grad.numpy(), w.grad.numpy()


@pytest.mark.parametrize("case", sorted(CASES))
def test_repeat_runs_fused_with_the_same_gradients(case, node_calls, monkeypatch, torch_ref):
    seen = []
    for seed in range(3):
        before, fused = node_calls[0], fusion.stats["fused"]
        seen.append(_grads(torchlike, case, seed))
        ran = node_calls[0] - before
        if seed == 0:
            assert ran > 0 and fusion.stats["fused"] == fused  # first sighting: node by node
        else:
            assert ran == 0 and fusion.stats["fused"] == fused + 1  # repeat: one program
    monkeypatch.setattr(fusion, "MAX_NODES", -1)  # NOTE: fusion off: the node-by-node engine
    for seed, (gx, gw) in enumerate(seen):
        ux, uw = _grads(torchlike, case, seed)
        tx, tw = _grads(torch_ref, case, seed)
        np.testing.assert_allclose(gx, ux, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(gw, uw, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(gx, tx, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(gw, tw, rtol=1e-5, atol=1e-5)


def test_accumulates_into_grad_in_place():
    x = torchlike.tensor([0.5, -1.0, 2.0], requires_grad=True)
    for _ in range(2):
        (x.sin() * x).sum().backward()
    g, version = x.grad, x.grad._version
    (x.sin() * x).sum().backward()
    assert fusion.stats["fused"] == 2
    assert x.grad is g and g._version == version + 1
    xs = np.array([0.5, -1.0, 2.0], np.float32)
    np.testing.assert_allclose(g.numpy(), 3 * (np.cos(xs) * xs + np.sin(xs)), rtol=1e-6)


def test_python_scalars_are_inputs_not_constants():
    # A scalar that changes every step keeps one program (and its new value is used).
    x = torchlike.tensor([1.0, 2.0], requires_grad=True)
    for c in (2.0, 3.0, 5.0):
        x.grad = None
        (x * x * c).sum().backward()
        np.testing.assert_allclose(x.grad.numpy(), [2 * c, 4 * c])
    assert fusion.stats == {"fused": 2, "compiled": 1}


def _second_backward(lib):
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    s = (x.exp() * x).sum()
    s.backward()
    try:
        s.backward()
    except RuntimeError as e:
        return x.grad.numpy(), str(e)
    return x.grad.numpy(), None


def test_freed_graph_raises_after_fused_backward(torch_ref):
    for _ in range(3):
        fused = fusion.stats["fused"]
        grad, err = _second_backward(torchlike)
    assert fusion.stats["fused"] == fused + 1
    tgrad, terr = _second_backward(torch_ref)
    assert err == terr and terr is not None
    np.testing.assert_allclose(grad, tgrad, rtol=1e-6)


def _stale_saved(lib, modify):
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    z = (y * y).sum()
    if modify:
        with lib.no_grad():
            y.add_(1)
    try:
        z.backward()
    except RuntimeError as e:
        return str(e)
    return None


def test_version_error_on_a_fusable_graph(torch_ref):
    assert _stale_saved(torchlike, False) is None
    assert _stale_saved(torchlike, False) is None
    assert fusion.stats["fused"] == 1
    err = _stale_saved(torchlike, True)
    assert err == _stale_saved(torch_ref, True) and err is not None


def test_retain_graph_backward_twice_on_one_graph(node_calls):
    x = torchlike.tensor([1.0, -2.0], requires_grad=True)
    s = (x.tanh() * x).sum()
    s.backward(retain_graph=True)
    calls = node_calls[0]
    s.backward(retain_graph=True)  # same graph, seen before: fused, saved arrays kept
    s.backward()
    assert node_calls[0] == calls and fusion.stats["fused"] == 2
    xs = np.array([1.0, -2.0], np.float32)
    want = 3 * (np.tanh(xs) + xs * (1 - np.tanh(xs) ** 2))
    np.testing.assert_allclose(x.grad.numpy(), want, rtol=1e-6)
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        s.backward()


def test_hooks_and_create_graph_run_node_by_node(node_calls):
    def step(mode):
        x = torchlike.tensor([1.0, 2.0], requires_grad=True)
        y = x * x
        seen = []
        if mode == "tensor_hook":
            y.register_hook(lambda g: g * 10)
        elif mode == "leaf_hook":
            x.register_hook(lambda g: seen.append(g) or g * 10)
        elif mode == "node_hook":
            y.grad_fn.register_hook(lambda gi, go: seen.append(gi))
        elif mode == "retain_grad":
            y.retain_grad()
        if mode == "create_graph":
            with warnings.catch_warnings():  # torch's once-per-process cycle warning
                warnings.simplefilter("ignore")
                y.sum().backward(create_graph=True)
        else:
            y.sum().backward()
        return x, y

    for mode in ("tensor_hook", "leaf_hook", "node_hook", "retain_grad", "create_graph"):
        for _ in range(3):
            calls = node_calls[0]
            x, y = step(mode)
            assert node_calls[0] > calls
        scale = 10 if mode in ("tensor_hook", "leaf_hook") else 1
        np.testing.assert_allclose(x.grad.detach().numpy(), [2.0 * scale, 4.0 * scale])
        if mode == "retain_grad":
            np.testing.assert_allclose(y.grad.numpy(), [1.0, 1.0])
        if mode == "create_graph":
            assert x.grad.requires_grad
    assert fusion.stats["fused"] == 0


def test_custom_function_runs_node_by_node():
    class Double(torchlike.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            return t * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    for _ in range(3):
        x = torchlike.tensor([1.0, 2.0], requires_grad=True)
        Double.apply(x * x).sum().backward()
        np.testing.assert_allclose(x.grad.numpy(), [4.0, 8.0])
    assert fusion.stats["fused"] == 0


def test_autograd_grad_and_backward_inputs(node_calls, torch_ref):
    def step(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        w = lib.tensor([3.0, 4.0], requires_grad=True)
        (gx,) = lib.autograd.grad((x.sin() * w).sum(), [x])  # w is not a target: no .grad
        (x * w.exp()).sum().backward(inputs=[w])  # x is not an input: no .grad
        return gx.numpy(), w.grad.numpy(), x.grad

    for i in range(3):
        calls = node_calls[0]
        gx, gw, x_grad = step(torchlike)
        assert x_grad is None and (node_calls[0] == calls) == (i > 0)
    assert fusion.stats["fused"] == 4
    tx, tw, _ = step(torch_ref)
    np.testing.assert_allclose(gx, tx, rtol=1e-6)
    np.testing.assert_allclose(gw, tw, rtol=1e-6)


def test_grad_of_a_non_leaf_runs_node_by_node(node_calls):
    for _ in range(3):
        x = torchlike.tensor([1.0, 2.0], requires_grad=True)
        h = x * x
        calls = node_calls[0]
        (gh,) = torchlike.autograd.grad((h * 3).sum(), [h])
        assert node_calls[0] > calls
        np.testing.assert_allclose(gh.numpy(), [3.0, 3.0])
    assert fusion.stats["fused"] == 0


def test_new_shape_is_a_new_structure():
    for n in (2, 3, 2, 3):
        x = torchlike.ones(n, requires_grad=True)
        (x * x).sum().backward()
        np.testing.assert_allclose(x.grad.numpy(), np.full(n, 2.0))
    assert fusion.stats == {"fused": 2, "compiled": 2}


def test_long_chain_runs_without_recursion():
    # Beyond MAX_NODES a graph always runs node by node (compile time), iteratively.
    x = torchlike.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(20_000):
        y = y * 1.0
    y.backward()
    assert x.grad.item() == 1.0 and fusion.stats["fused"] == 0
