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


# -- whole training steps -----------------------------------------------------------------------
def _run_twice(build, n_steps, batches):
    """Build the same model, optimizer and step twice from one seed; run ``n_steps`` steps eagerly
    and compiled; return both runs' (losses, state) and the compiled step."""
    runs = []
    for compiled in (False, True):
        torch.manual_seed(0)
        step, state = build()
        run = torch.compile(step) if compiled else step
        torch.manual_seed(1)  # the same random draws (dropout) in both runs
        losses = []
        for i in range(n_steps):
            out = run(*batches[i % len(batches)])
            losses.append(None if out is None else out.item())
        runs.append((losses, state(), run))
    return runs


def _assert_same(runs, rtol=1e-5, atol=1e-6):
    (le, se, _), (lc, sc, _) = runs
    np.testing.assert_allclose(lc, le, rtol=rtol, atol=atol)
    assert se.keys() == sc.keys()
    for k in se:
        np.testing.assert_allclose(_np(sc[k]), _np(se[k]), rtol=rtol, atol=atol, err_msg=k)


def _batches(n, shape, classes, seed=2):
    torch.manual_seed(seed)
    return [(torch.randn(*shape), torch.randint(0, classes, (shape[0],))) for _ in range(n)]


def _module_state(model, opt):
    """Parameters, buffers, .grad and optimizer state by name."""

    def state():
        out = dict(model.state_dict())
        for name, p in model.named_parameters():
            out[name + ".grad"] = p.grad
        for i, s in enumerate(opt.state.values()):
            out.update({f"opt.{i}.{k}": v for k, v in s.items() if isinstance(v, torch.Tensor)})
        return out

    return state


def test_linear_regression_from_scratch_step_train_01():
    """d2l's step: params as plain tensors, ``param -= lr * param.grad / batch_size`` and
    ``param.grad.zero_()`` under no_grad, nothing returned."""
    torch.manual_seed(3)
    X, y = torch.randn(10, 2), torch.randn(10, 1)
    lr, batch_size = 0.03, 10

    def build():
        w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True)
        b = torch.zeros(1, requires_grad=True)

        def step(X, y):
            l = ((torch.matmul(X, w) + b - y.reshape(-1, 1)) ** 2 / 2).sum()  # noqa: E741
            l.backward()
            with torch.no_grad():
                for param in (w, b):
                    param -= lr * param.grad / batch_size
                    param.grad.zero_()
            return l

        return step, lambda: {"w": w, "b": b, "w.grad": w.grad, "b.grad": b.grad}

    _compile.reset()
    runs = _run_twice(build, 4, [(X, y)])
    _assert_same(runs)
    # The first call has no .grad yet and the step reads it (accumulation): one retrace, then
    # every call reuses the program.
    assert _compile.stats["traces"] == 2


def test_mlp_dropout_sgd_step_train_02():
    def build():
        model = torch.nn.Sequential(torch.nn.Linear(20, 64), torch.nn.ReLU(),
                                    torch.nn.Dropout(0.2), torch.nn.Linear(64, 4))  # fmt: skip
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = torch.nn.CrossEntropyLoss()

        def step(X, y):
            opt.zero_grad()
            l = loss_fn(model(X), y)  # noqa: E741
            l.backward()
            opt.step()
            return l

        return step, _module_state(model, opt)

    # NOTE: eager dropout replays torch's stream and compiled dropout splits the generator's JAX
    # key, so their masks differ: the compiled step is checked against itself from the same seed.
    _compile.reset()
    batches = _batches(3, (16, 20), 4)
    first = _run_twice(build, 5, batches)[1]
    # zero_grad() resets .grad before anything reads it: one program for every call.
    assert _compile.stats["traces"] == 1
    _assert_same([first, _run_twice(build, 5, batches)[1]])


@pytest.mark.slow  # the CNN and GRU steps compile for long; train_01/02 run in CI
def test_cnn_batchnorm_adam_step_train_03():
    def build():
        model = torch.nn.Sequential(
            # NOTE: BatchNorm after the ReLU: right after the conv it would cancel the conv's bias,
            # whose gradient is then rounding noise that Adam scales up to a full step.
            torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.BatchNorm2d(4),
            torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Linear(4 * 4 * 4, 3),
        )  # fmt: skip
        opt = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = torch.nn.CrossEntropyLoss()

        def step(X, y):
            opt.zero_grad()
            loss = loss_fn(model(X), y)
            loss.backward()
            opt.step()
            return loss

        return step, _module_state(model, opt)

    _compile.reset()
    runs = _run_twice(build, 4, _batches(2, (8, 1, 8, 8), 3))
    _assert_same(runs, rtol=1e-4, atol=1e-5)
    # Adam creates its state on the first step: a second trace sees it, then no more.
    assert _compile.stats["traces"] == 2
    assert _compile.stats["graph_breaks"] == 0


@pytest.mark.slow
def test_char_rnn_gru_clip_grad_step_train_04():
    def build():
        class CharModel(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.embed = torch.nn.Embedding(11, 6)
                self.rnn = torch.nn.GRU(6, 16, batch_first=True)
                self.head = torch.nn.Linear(16, 11)

            def forward(self, x):
                out, _ = self.rnn(self.embed(x))
                return self.head(out)

        model = CharModel()
        opt = torch.optim.Adam(model.parameters(), lr=5e-3)
        loss_fn = torch.nn.CrossEntropyLoss()

        def step(x, y):
            loss = loss_fn(model(x).reshape(-1, 11), y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            return loss

        return step, _module_state(model, opt)

    torch.manual_seed(4)
    batches = [(torch.randint(0, 11, (4, 7)), torch.randint(0, 11, (4, 7))) for _ in range(2)]
    _compile.reset()
    runs = _run_twice(build, 4, batches)
    _assert_same(runs, rtol=1e-4, atol=1e-5)
    assert _compile.stats["graph_breaks"] == 0


def test_step_state_is_seen_by_eager_code_and_lr_changes_do_not_retrace():
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 2)
    opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    x, y = torch.randn(5, 3), torch.randn(5, 2)

    @torch.compile
    def step():
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        return loss

    _compile.reset()
    w_before = model.weight.detach().clone()
    version = model.weight._version
    step()
    # Eager code after the call sees the new parameters, their .grad, the momentum buffer.
    grad = model.weight.grad
    assert grad is not None and grad.shape == (2, 3) and grad.grad_fn is None
    buf = opt.state[model.weight]["momentum_buffer"]
    np.testing.assert_allclose(_np(buf), _np(grad), rtol=1e-6)  # first step: buffer = grad
    np.testing.assert_allclose(_np(model.weight), _np(w_before - 0.5 * grad), rtol=1e-5, atol=1e-7)
    assert model.weight._version == version + 1
    for _ in range(3):
        sched.step()
        before = model.weight.detach().clone()
        buf_before = opt.state[model.weight]["momentum_buffer"].detach().clone()
        step()
        g = model.weight.grad
        expect = before - opt.param_groups[0]["lr"] * (0.9 * buf_before + g)
        np.testing.assert_allclose(_np(model.weight), _np(expect), rtol=1e-5, atol=1e-6)
    # One trace without the momentum buffers, one with them; the learning rate is an argument.
    assert _compile.stats["traces"] == 2


def test_training_step_value_dependent_branch_names_the_line():
    model = torch.nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)

    def step(x, y):
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        if loss > 1.0:  # a branch on a value
            opt.step()
        return loss

    _compile.reset()
    cstep = torch.compile(step)
    x, y = torch.randn(8, 3), torch.randn(8, 1) + 5
    w = model.weight.detach().clone()
    with pytest.warns(UserWarning) as rec:
        cstep(x, y)
    msg = str(rec[0].message)
    assert "runs eagerly: a tensor's value is needed while tracing, at " in msg
    assert "test_compile.py:" in msg and "`if loss > 1.0:  # a branch on a value`" in msg
    assert "torch.where" in msg
    assert not np.allclose(_np(model.weight), _np(w))  # the eager fallback stepped
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cstep(x, y)  # the same guard stays eager: no new trace, no second warning
    assert _compile.stats["traces"] == 1 and _compile.stats["graph_breaks"] == 2
    with pytest.raises(RuntimeError, match=r"fullgraph=True.*tensor's value is needed"):
        torch.compile(step, fullgraph=True)(x, y)


def test_retrace_reasons_are_logged(caplog):
    import logging

    model = torch.nn.Linear(3, 1)

    @torch.compile
    def f(x):
        return model(x)

    with caplog.at_level(logging.INFO, logger="torchlike.compile"):
        with torch.no_grad():
            f(torch.randn(2, 3))
            f(torch.randn(2, 3))
            f(torch.randn(4, 3))
            model.eval()
            f(torch.randn(4, 3))
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "tracing test_retrace_reasons_are_logged.<locals>.f: first call",
        "tracing test_retrace_reasons_are_logged.<locals>.f: an argument's shape, dtype or "
        "requires_grad changed",
        "tracing test_retrace_reasons_are_logged.<locals>.f: a module's training flag changed",
    ]


def test_set_logs_and_environment_switch_print_retraces(tmp_path):
    import subprocess
    import sys

    script = tmp_path / "s.py"
    script.write_text(
        "import torchlike as torch\n"
        "f = torch.compile(lambda x: x + 1)\n"
        "f(torch.ones(2)); f(torch.ones(3))\n"
    )
    env = {**__import__("os").environ, "TORCHLIKE_LOGS": "recompiles"}
    err = subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                         text=True, check=True).stderr  # fmt: skip
    assert "[torchlike.compile] tracing <lambda>: first call" in err
    assert (
        "[torchlike.compile] tracing <lambda>: an argument's shape, dtype or requires_grad" in err
    )
    env.pop("TORCHLIKE_LOGS")
    script.write_text("import torchlike as torch\ntorch._logging.set_logs(recompiles=True)\n"
                      + script.read_text().split("\n", 1)[1])  # fmt: skip
    err = subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                         text=True, check=True).stderr  # fmt: skip
    assert err.count("[torchlike.compile] tracing <lambda>") == 2


def test_state_buffers_are_donated_unless_held_elsewhere():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x = torch.randn(6, 3)

    @torch.compile
    def step():
        opt.zero_grad()
        loss = model(x).pow(2).mean()
        loss.backward()
        opt.step()
        return loss

    _compile.reset()
    for _ in range(3):
        step()
    assert _compile.stats["calls_without_donation"] == 0
    # An array held outside its tensor (here: directly) must survive the call: that call does
    # not donate, and the held array keeps its value.
    held = model[0].weight._storage.array
    before = np.asarray(held).copy()
    step()
    assert _compile.stats["calls_without_donation"] == 1
    np.testing.assert_array_equal(np.asarray(held), before)
    assert not np.array_equal(_np(model[0].weight), before)
    del held
    step()
    assert _compile.stats["calls_without_donation"] == 1
    assert _compile.stats["traces"] == 2  # without, then with the momentum buffers


def test_state_reached_through_objects_dicts_and_self_is_guarded():
    class Config:
        scale = None

    cfg = Config()
    cfg.scale = 2.0
    table = {"shift": 1.0, "bias": torch.zeros(2)}

    class Trainer:
        def __init__(self):
            self.model = torch.nn.Linear(2, 2)
            self.k = 3.0

        @torch.compile
        def run(self, x):
            with torch.no_grad():
                return self.model(x) * self.k * cfg.scale + table["shift"] + table["bias"]

    trainer = Trainer()
    x = torch.ones(1, 2)
    _compile.reset()

    def expect():
        with torch.no_grad():
            return _np(trainer.model(x) * trainer.k * cfg.scale + table["shift"] + table["bias"])

    for change in (None, lambda: setattr(cfg, "scale", 5.0), lambda: table.update(shift=-1.0),
                   lambda: setattr(trainer, "k", 0.5),
                   lambda: setattr(trainer, "model", torch.nn.Linear(2, 2)),
                   lambda: table.update(bias=torch.ones(2))):  # fmt: skip
        if change is not None:
            change()
        np.testing.assert_allclose(_np(trainer.run(x)), expect(), rtol=1e-6)
    assert _compile.stats["traces"] == 6


def test_module_compile_in_place():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh())
    x = torch.randn(2, 3)
    expected = _np(model(x))
    seen = []
    model.register_forward_hook(lambda m, args, out: seen.append(out.shape))
    assert model.compile() is None
    out = model(x)
    assert out.grad_fn.name() == "CompiledFunctionBackward"
    np.testing.assert_allclose(_np(out), expected, rtol=1e-6)
    assert seen == [(2, 4)]


def test_hessian_vector_product_with_autograd_grad_compiles():
    torch.manual_seed(0)
    params = [torch.randn(4, 3, requires_grad=True), torch.randn(4, requires_grad=True)]
    x, y = torch.randn(5, 3), torch.randn(5, 4)
    v = [torch.randn(4, 3), torch.randn(4)]

    def hvp(params, v):
        loss = (((x @ params[0].T + params[1]).tanh() - y) ** 2).mean()
        grads = torch.autograd.grad(loss, params, create_graph=True)
        dot = sum((g * t).sum() for g, t in zip(grads, v, strict=True))
        return torch.autograd.grad(dot, params)

    _compile.reset()
    compiled = torch.compile(hvp)
    for got, want in zip(compiled(params, v), hvp(params, v), strict=True):
        np.testing.assert_allclose(_np(got), _np(want), rtol=1e-5, atol=1e-6)
    assert _compile.stats["traces"] == 1 and _compile.stats["graph_breaks"] == 0
    assert all(p.grad is None for p in params)  # autograd.grad accumulates nothing


def test_optimizer_step_alone_compiles_as_a_step():
    torch.manual_seed(0)
    eager, compiled = torch.nn.Linear(3, 2), torch.nn.Linear(3, 2)
    compiled.load_state_dict(eager.state_dict())
    opts = [torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9) for m in (eager, compiled)]
    x = torch.randn(4, 3)
    for m in (eager, compiled):
        m(x).sum().backward()
    step = torch.compile(lambda: opts[1].step())
    for _ in range(2):
        opts[0].step()
        step()
    for a, b in zip(eager.parameters(), compiled.parameters(), strict=True):
        np.testing.assert_allclose(_np(b), _np(a), rtol=1e-6, atol=1e-7)
    buf = opts[1].state[compiled.weight]["momentum_buffer"]
    np.testing.assert_allclose(_np(buf), _np(opts[0].state[eager.weight]["momentum_buffer"]))
