"""torchlike.compile: compiled calls equal eager calls (values, gradients, in-place state), guards
retrace, random draws are fresh on every call, and code that needs values runs eagerly."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import torchlike as torch
from torchlike import _compile


def _np(t):
    return np.asarray(t.detach())


def _mlp():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8), torch.nn.ReLU(),
                               torch.nn.Linear(8, 3))  # fmt: skip


def test_function_values_and_gradients_equal_eager():
    w = torch.randn(3, 4, requires_grad=True)

    def f(x, scale=2.0):
        return ((x @ w).tanh() * scale).sum(1)

    cf = torch.compile(f)
    x = torch.randn(5, 3, requires_grad=True)
    y = cf(x, scale=3.0)
    assert y.grad_fn.name() == "CompiledFunctionBackward"  # torch 2.13 prints the same name
    y.sum().backward()
    gx, gw = _np(x.grad), _np(w.grad)
    x.grad = w.grad = None
    f(x, scale=3.0).sum().backward()
    np.testing.assert_allclose(_np(y), _np(f(x, scale=3.0)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(gx, _np(x.grad), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(gw, _np(w.grad), rtol=1e-5, atol=1e-6)


def test_module_training_steps_equal_eager():
    eager, compiled = _mlp(), _mlp()
    cm = torch.compile(compiled)
    opt_e = torch.optim.SGD(eager.parameters(), lr=0.1, momentum=0.9)
    opt_c = torch.optim.SGD(compiled.parameters(), lr=0.1, momentum=0.9)
    torch.manual_seed(1)
    data = [(torch.randn(6, 4), torch.randint(0, 3, (6,))) for _ in range(4)]
    loss_fn = torch.nn.CrossEntropyLoss()
    for x, y in data:
        for model, opt in ((eager, opt_e), (cm, opt_c)):
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
    for (name, a), b in zip(eager.state_dict().items(), compiled.state_dict().values()):
        np.testing.assert_allclose(_np(a), _np(b), rtol=1e-5, atol=1e-6, err_msg=name)
    eager.eval()
    compiled.eval()
    np.testing.assert_allclose(_np(cm(data[0][0])), _np(eager(data[0][0])), rtol=1e-5, atol=1e-6)


def test_guards_retrace_and_cache():
    _compile.reset()
    cf = torch.compile(lambda x: x * 2 + 1)
    cf(torch.ones(3))
    cf(torch.zeros(3))
    assert _compile.stats["traces"] == 1
    cf(torch.ones(4))
    cf(torch.ones(3, dtype=torch.float64))
    cf(torch.ones(3, requires_grad=True))
    with torch.no_grad():
        cf(torch.ones(3))
    assert _compile.stats["traces"] == 5
    np.testing.assert_array_equal(_np(cf(torch.arange(3.0))), [1.0, 3.0, 5.0])


def test_global_scalar_and_state_changes_are_seen():
    state = {"k": 2.0}
    bias = torch.zeros(2)

    def f(x):
        return x * state["k"] + bias

    cf = torch.compile(f)
    x = torch.ones(2)
    assert _np(cf(x)).tolist() == [2.0, 2.0]
    bias.add_(1.0)  # changed in place: read as an argument, never baked in
    assert _np(cf(x)).tolist() == [3.0, 3.0]


def test_inplace_state_written_back():
    counter = torch.zeros(())

    def f(x):
        counter.add_(1)
        return x + counter

    cf = torch.compile(f)
    assert _np(cf(torch.zeros(2))).tolist() == [1.0, 1.0]
    assert _np(cf(torch.zeros(2))).tolist() == [2.0, 2.0]
    assert counter.item() == 2.0 and counter._version == 2


def test_random_draws_are_fresh_each_call():
    drop = torch.nn.Dropout(0.5)
    cd = torch.compile(drop)
    x = torch.ones(1000)
    a, b = _np(cd(x)), _np(cd(x))
    assert not np.array_equal(a, b)
    assert set(np.unique(a)) <= {0.0, 2.0} and 350 < (a == 0).sum() < 650


def test_value_dependent_code_runs_eagerly_with_a_warning():
    _compile.reset()

    def f(x):
        if x.sum() > 0:
            return x * 2
        return x - 1

    cf = torch.compile(f)
    with pytest.warns(UserWarning, match="runs eagerly: a tensor's value is needed"):
        assert _np(cf(torch.ones(2))).tolist() == [2.0, 2.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the same reason warns once
        assert _np(cf(-torch.ones(2))).tolist() == [-2.0, -2.0]
    assert _compile.stats["graph_breaks"] == 2


def test_training_step_with_backward_runs_eagerly():
    model = torch.nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)

    @torch.compile
    def step(x, y):
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
        return loss

    x, y = torch.randn(8, 3), torch.randn(8, 1)
    with pytest.warns(UserWarning, match="runs eagerly"):
        first = step(x, y).item()
    assert step(x, y).item() < first


def test_decorator_forms_and_repr():
    @torch.compile(mode="reduce-overhead")
    def f(x):
        return x.sin()

    assert f.__name__ == "f"
    np.testing.assert_allclose(_np(f(torch.zeros(2))), [0.0, 0.0])
    cm = torch.compile(torch.nn.Linear(2, 2))
    assert repr(cm).startswith("OptimizedModule(\n  (_orig_mod): Linear(in_features=2")
    assert torch.compile(f, disable=True) is f


def test_scalars_made_inside_a_trace_do_not_leak_into_later_traces():
    import jax
    import jax.numpy as jnp

    from torchlike._dispatch import wrap

    # 7919 and 104729 are fresh scalars: first seen inside the trace below.
    first = jax.jit(lambda a: ((wrap(a) * 7919 + 104729)._array,))
    second = jax.jit(lambda a: (wrap(a) * 7919 + 104729)._array)
    assert first(jnp.ones(2))[0].tolist() == [112648.0, 112648.0]
    assert second(jnp.ones(2)).tolist() == [112648.0, 112648.0]
    assert second(jnp.zeros(2)).tolist() == [104729.0, 104729.0]
