"""Optimizers against torch: 20-step parameter trajectories, state and state_dict structure,
printed repr, hyper-parameter errors, param-group rules, closures, hooks."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike
from tests._parity import assert_same

# (optimizer name, options): each runs 20 steps of a small linear regression in both libraries.
CASES = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True, "maximize": True}),
    ("Adam", {"lr": 0.05}),
    ("Adam", {"lr": 0.05, "betas": (0.8, 0.9), "weight_decay": 0.1, "amsgrad": True}),
    ("Adam", {"lr": 0.05, "maximize": True, "eps": 1e-6}),
    ("AdamW", {"lr": 0.05}),
    ("AdamW", {"lr": 0.05, "weight_decay": 0.3, "amsgrad": True}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.5, "centered": True, "weight_decay": 0.1}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.05, "initial_accumulator_value": 0.2,
                 "weight_decay": 0.1}),
    ("Adadelta", {}),
    ("Adadelta", {"lr": 0.5, "rho": 0.7, "weight_decay": 0.1, "maximize": True}),
]  # fmt: skip


def _train(lib, name, opts, dtype, steps=20, lbfgs=False):
    dt = getattr(lib, dtype)
    w = lib.tensor(np.linspace(-1.0, 1.0, 6).reshape(3, 2), dtype=dt, requires_grad=True)
    b = lib.tensor([0.1, -0.2], dtype=dt, requires_grad=True)
    frozen = lib.tensor([1.0, 2.0], dtype=dt, requires_grad=True)  # never gets a grad
    x = lib.tensor(np.arange(12.0).reshape(4, 3) / 7.0, dtype=dt)
    y = lib.tensor(np.cos(np.arange(8.0)).reshape(4, 2), dtype=dt)
    opt = getattr(lib.optim, name)([w, b, frozen], **opts)

    def closure():
        opt.zero_grad()
        loss = ((x @ w + b - y) ** 2).mean()
        loss.backward()
        return loss

    trajectory, losses = [], []
    for _ in range(steps if not lbfgs else 3):
        losses.append(float(opt.step(closure).detach()))
        trajectory.append(np.concatenate([w.detach().numpy().ravel(), b.detach().numpy()]))
    assert frozen.grad is None and frozen.tolist() == [1.0, 2.0]
    return np.array(trajectory), np.array(losses), opt


def _structure(sd):
    """A state_dict with every tensor replaced by (dtype, shape), for comparison across libs."""
    def norm(v):
        if hasattr(v, "dtype") and hasattr(v, "shape"):
            return ("tensor", str(v.dtype), tuple(v.shape))
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return type(v)(norm(x) for x in v)
        return v

    return norm(sd)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("name", "opts"), CASES,
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])  # fmt: skip
def test_trajectory_and_state_match_torch(torch_ref, name, opts, dtype):
    ref_traj, ref_loss, ref_opt = _train(torch_ref, name, opts, dtype)
    got_traj, got_loss, got_opt = _train(torchlike, name, opts, dtype)
    rtol, atol = (2e-5, 1e-6) if dtype == "float32" else (1e-12, 1e-13)
    np.testing.assert_allclose(got_traj, ref_traj, rtol=rtol, atol=atol)
    np.testing.assert_allclose(got_loss, ref_loss, rtol=rtol, atol=atol)
    ref_sd, got_sd = ref_opt.state_dict(), got_opt.state_dict()
    assert _structure(got_sd) == _structure(ref_sd)
    for i, ref_state in ref_sd["state"].items():
        for key, value in ref_state.items():
            np.testing.assert_allclose(got_sd["state"][i][key].numpy(), value.numpy(),
                                       rtol=rtol, atol=atol)  # fmt: skip
    assert repr(got_opt) == repr(ref_opt)


@pytest.mark.parametrize("line_search", [None, "strong_wolfe"])
def test_lbfgs_matches_torch(torch_ref, line_search):
    opts = {"lr": 0.5, "max_iter": 6, "history_size": 4, "line_search_fn": line_search}
    for dtype, rtol in (("float64", 1e-9), ("float32", 1e-4)):
        ref_traj, ref_loss, ref_opt = _train(torch_ref, "LBFGS", opts, dtype, lbfgs=True)
        got_traj, got_loss, got_opt = _train(torchlike, "LBFGS", opts, dtype, lbfgs=True)
        np.testing.assert_allclose(got_traj, ref_traj, rtol=rtol, atol=rtol)
        np.testing.assert_allclose(got_loss, ref_loss, rtol=rtol, atol=rtol)
        ref_state = ref_opt.state_dict()["state"][0]
        got_state = got_opt.state_dict()["state"][0]
        if dtype == "float64":  # float32 stopping tests may flip on the last ulp
            assert got_state["func_evals"] == ref_state["func_evals"]
            assert got_state["n_iter"] == ref_state["n_iter"]
        assert sorted(got_state) == sorted(ref_state)
        assert repr(got_opt) == repr(ref_opt)


SNIPPETS = {
    "repr_and_defaults": """
        w = torch.zeros(2, requires_grad=True)
        O = torch.optim
        for o in (O.SGD([w], lr=0.1, momentum=0.9), O.Adam([w]), O.AdamW([w], amsgrad=True),
                  O.RMSprop([w]), O.Adagrad([w]), O.Adadelta([w]), O.LBFGS([w])):
            print(o)
            print(o.defaults)
    """,
    "param_groups_and_state_dict": """
        a = torch.ones(2, requires_grad=True)
        b = torch.ones(3, requires_grad=True)
        c = torch.ones(1, requires_grad=True)
        opt = torch.optim.SGD([{"params": [a, b]}, {"params": c, "lr": 0.5}], lr=0.1,
                              momentum=0.9)
        print(opt)
        (a.sum() + 2 * b.sum() + 3 * c.sum()).backward()
        opt.step()
        sd = opt.state_dict()
        print(sd)
        print(opt.state[a], a)
        d = torch.ones(2, requires_grad=True)
        opt.add_param_group({"params": [d], "momentum": 0.0})
        print(opt.param_groups[2])
        opt.add_param_group({"params": [a]})
    """,
    "adam_state_types": """
        w = torch.tensor([1.0, -2.0], requires_grad=True)
        opt = torch.optim.Adam([w], lr=0.1, amsgrad=True)
        (w ** 2).sum().backward()
        opt.step()
        s = opt.state[w]
        print(list(s), s["step"], s["step"].dtype, s["exp_avg"], s["max_exp_avg_sq"], w)
        opt.zero_grad(set_to_none=False)
        print(w.grad)
        opt.zero_grad()
        print(w.grad)
        w64 = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
        o2 = torch.optim.Adagrad([w64])
        print(o2.state[w64])
    """,
    "load_state_dict": """
        def make():
            w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
            return w, torch.optim.Adam([w], lr=0.1)
        w, opt = make()
        for _ in range(3):
            opt.zero_grad()
            (w ** 2).sum().backward()
            opt.step()
        w2, opt2 = make()
        opt2.load_state_dict(opt.state_dict())
        print(opt2.state_dict())
        with torch.no_grad():
            w2.copy_(w)
        for o, p in ((opt, w), (opt2, w2)):
            o.zero_grad()
            (p ** 2).sum().backward()
            o.step()
        print(w, w2)
        bad = opt.state_dict()
        bad["param_groups"][0]["params"] = [0, 1]
        opt2.load_state_dict(bad)
    """,
    "closure_and_hooks": """
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        opt = torch.optim.SGD([w], lr=0.1)
        def closure():
            opt.zero_grad()
            loss = (w * w).sum()
            loss.backward()
            return loss
        h1 = opt.register_step_pre_hook(lambda o, a, k: print("pre", type(o).__name__, a, k))
        h2 = opt.register_step_post_hook(lambda o, a, k: print("post", len(a)))
        print(opt.step(closure))
        h1.remove()
        h2.remove()
        print(opt.step(closure), w)
        print(opt.step())
    """,
    "nn_linear_training": """
        if hasattr(torch.nn, "Linear"):
            m = torch.nn.Linear(3, 2)
            with torch.no_grad():
                m.weight.copy_(torch.tensor([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]))
                m.bias.fill_(0.1)
            opt = torch.optim.AdamW(m.parameters(), lr=0.05)
            sched = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)
            x = torch.arange(12.0).reshape(4, 3) / 7
            y = torch.ones(4, 2)
            for _ in range(10):
                opt.zero_grad()
                loss = torch.nn.MSELoss()(m(x), y)
                loss.backward()
                opt.step()
                sched.step()
            print(loss, m.weight, m.bias, sched.get_last_lr())
            print(opt.state_dict()["param_groups"])
    """,
    "errors_bad_lr": "torch.optim.SGD([torch.ones(1, requires_grad=True)], lr=-1)",
    "errors_bad_momentum": "torch.optim.SGD([torch.ones(1, requires_grad=True)], momentum=-0.5)",
    "errors_nesterov": "torch.optim.SGD([torch.ones(1, requires_grad=True)], nesterov=True)",
    "errors_adam_eps": "torch.optim.Adam([torch.ones(1, requires_grad=True)], eps=-1e-3)",
    "errors_adam_beta0": "torch.optim.Adam([torch.ones(1, requires_grad=True)], betas=(1.0, 0.9))",
    "errors_adam_beta1": "torch.optim.AdamW([torch.ones(1, requires_grad=True)], betas=(0.5, -1.))",
    "errors_adam_wd": "torch.optim.Adam([torch.ones(1, requires_grad=True)], weight_decay=-1)",
    "errors_rmsprop_alpha": "torch.optim.RMSprop([torch.ones(1, requires_grad=True)], alpha=-1)",
    "errors_adagrad_decay": "torch.optim.Adagrad([torch.ones(1, requires_grad=True)], lr_decay=-1)",
    "errors_adagrad_init": """
        torch.optim.Adagrad([torch.ones(1, requires_grad=True)], initial_accumulator_value=-1)
    """,
    "errors_adadelta_rho": "torch.optim.Adadelta([torch.ones(1, requires_grad=True)], rho=1.5)",
    "errors_lbfgs_groups": """
        a, b = torch.ones(1, requires_grad=True), torch.ones(1, requires_grad=True)
        torch.optim.LBFGS([{"params": [a]}, {"params": [b]}])
    """,
    "errors_tensor_params": "torch.optim.SGD(torch.ones(2, requires_grad=True), lr=0.1)",
    "errors_empty": "torch.optim.Adam([])",
    "errors_non_leaf": """
        w = torch.ones(2, requires_grad=True)
        torch.optim.SGD([w * 2], lr=0.1)
    """,
    "errors_not_tensor": "torch.optim.SGD([3], lr=0.1)",
    "errors_set": "torch.optim.SGD({torch.ones(1, requires_grad=True)}, lr=0.1)",
    "errors_duplicate_warning": """
        w = torch.ones(1, requires_grad=True)
        opt = torch.optim.SGD([w, w], lr=0.1)
        print(len(opt.param_groups[0]["params"]))
    """,
    "errors_lbfgs_line_search": """
        w = torch.ones(2, requires_grad=True)
        opt = torch.optim.LBFGS([w], line_search_fn="armijo")
        def closure():
            opt.zero_grad()
            loss = (w * w).sum()
            loss.backward()
            return loss
        opt.step(closure)
    """,
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_snippet_matches_torch(name):
    assert_same(SNIPPETS[name])


def test_update_is_in_place_and_bumps_version():
    w = torchlike.tensor([1.0, 2.0], requires_grad=True)
    alias = w.data
    view = w.detach()
    opt = torchlike.optim.SGD([w], lr=0.5)
    (w * w).sum().backward()
    before = w._version
    opt.step()
    assert alias.tolist() == [0.0, 0.0] and view.tolist() == [0.0, 0.0]
    assert w._version == before + 1


def test_lr_change_does_not_recompile():
    from torchlike.optim import _functional

    w = torchlike.tensor([1.0, 2.0], requires_grad=True)
    opt = torchlike.optim.Adam([w], lr=0.1)
    for i in range(3):
        opt.param_groups[0]["lr"] = 0.1 / (i + 1)
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
        if i == 0:
            size = _functional.adam._cache_size()
    assert _functional.adam._cache_size() == size


def test_constructor_checks_and_setstate_defaults_match_torch():
    # Each optimizer's hyper-parameter checks fire in torch's order with torch's messages (SGD
    # lets NaN through, the others do not); __setstate__ fills the options a group lacks.
    assert_same("""
    O = torch.optim
    nan = float("nan")
    p = torch.nn.Parameter(torch.ones(2))
    t = torch.tensor
    cases = [
        (O.SGD, dict(lr=nan)), (O.SGD, dict(lr=-1, momentum=-1)),
        (O.SGD, dict(momentum=-1, weight_decay=-1)), (O.SGD, dict(lr=t([1.0, 2.0]))),
        (O.SGD, dict(fused=True, differentiable=True)), (O.SGD, dict(fused=True, foreach=True)),
        (O.SGD, dict(nesterov=True)), (O.SGD, dict(lr=None)),
        (O.Adam, dict(lr=nan)), (O.Adam, dict(eps=-1, betas=(2.0, 0.9))),
        (O.Adam, dict(betas=(0.9, 1.0), weight_decay=-1)),
        (O.Adam, dict(betas=(0.9, 0.99), weight_decay=-1)),
        (O.Adam, dict(lr=t(0.1), foreach=True)), (O.Adam, dict(betas=(t(0.9), t([0.9, 0.1])))),
        (O.Adam, dict(betas=(t(0.9), t(0.9)), foreach=True)), (O.Adam, dict(betas=(0.9, t(0.9)))),
        (O.AdamW, dict(fused=True, foreach=True)),
        (O.Adagrad, dict(lr_decay=-1, eps=-1)), (O.Adagrad, dict(eps=nan)),
        (O.Adagrad, dict(initial_accumulator_value=-1, eps=-1)),
        (O.Adagrad, dict(fused=True, differentiable=True)),
        (O.Adadelta, dict(rho=1.5, eps=-1)), (O.Adadelta, dict(lr=-1, rho=1.5)),
        (O.Adadelta, dict(eps=-1, weight_decay=-1)), (O.Adadelta, dict(weight_decay=-1)),
        (O.RMSprop, dict(eps=-1, momentum=-1)), (O.RMSprop, dict(momentum=-1, weight_decay=-1)),
        (O.RMSprop, dict(weight_decay=-1, alpha=-1)), (O.RMSprop, dict(alpha=-1)),
        (O.RMSprop, dict(lr=None)),
    ]
    for cls, kw in cases:
        try:
            cls([p], **kw)
            print(cls.__name__, "ok")
        except Exception as e:
            print(cls.__name__, type(e).__name__, e)
    options = ("foreach", "maximize", "fused", "nesterov", "amsgrad", "capturable",
               "differentiable", "decoupled_weight_decay", "centered", "momentum")
    for cls in (O.SGD, O.Adam, O.AdamW, O.Adagrad, O.Adadelta, O.RMSprop):
        o = cls([p], lr=0.1)
        state = o.__getstate__()
        for name in options:
            state["param_groups"][0].pop(name, None)
        o.__setstate__(state)
        print(cls.__name__, sorted(o.param_groups[0].items()))
    """)
