"""``torch.dropout_`` and its three siblings against real torch: when they hand back the input
untouched (``train=False``, ``p == 0``, no elements) even for a leaf that requires grad, and
which error they raise otherwise (``p``'s range and a feature dropout's rank before the leaf
check)."""

from __future__ import annotations

import pytest

import torchlike

torch = pytest.importorskip("torch")

NAMES = ["dropout_", "feature_dropout_", "alpha_dropout_", "feature_alpha_dropout_"]
CALLS = [(p, train) for p in (0.0, 0.5, 1.0, 1.5, -0.1) for train in (True, False)]
SHAPES = [(2, 3), (0, 3), (3,)]


def _outcome(lib, name, shape, p, train, requires_grad, grad_enabled):
    x = lib.ones(shape, requires_grad=requires_grad)
    with lib.set_grad_enabled(grad_enabled):
        try:
            y = getattr(lib, name)(x, p, train)
        except RuntimeError as e:
            return "RuntimeError", str(e).splitlines()[0]
    return "self" if y is x else "other", tuple(y.shape)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("p", "train"), CALLS)
@pytest.mark.parametrize(("requires_grad", "grad_enabled"), [(True, True), (True, False),
                                                             (False, True)])  # fmt: skip
def test_returns_input_or_raises_as_torch(name, shape, p, train, requires_grad, grad_enabled):
    args = (shape, p, train, requires_grad, grad_enabled)
    assert _outcome(torchlike, name, *args) == _outcome(torch, name, *args)


@pytest.mark.parametrize("name", NAMES)
def test_writes_into_a_non_leaf(name):
    x = torchlike.ones(8, 4, 2, requires_grad=True)
    y = x * 1.0
    assert getattr(torchlike, name)(y, 0.5, True) is y
    assert (y.detach().numpy() != 1).any()
    assert y._version == 1
    y.sum().backward()
    assert x.grad.shape == x.shape


@pytest.mark.parametrize("name", NAMES)
def test_view_of_a_leaf(name):
    for lib in (torch, torchlike):
        v = lib.ones(3, 4, requires_grad=True)[0]
        assert getattr(lib, name)(v, 0.5, False) is v
        with pytest.raises(RuntimeError, match="a view of a leaf Variable"):
            getattr(lib, name)(v[None], 0.5, True)


def test_functional_dropout_inplace():
    for lib in (torch, torchlike):
        x = lib.ones(4, 3, requires_grad=True)
        assert lib.nn.functional.dropout(x, 0.5, training=False, inplace=True) is x
        with pytest.raises(RuntimeError, match="a leaf Variable"):
            lib.nn.functional.dropout(x, 0.5, training=True, inplace=True)
