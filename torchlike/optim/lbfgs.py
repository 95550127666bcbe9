"""L-BFGS with an optional strong-Wolfe line search.

Vectors are flat jax arrays in the parameters' dtype. torch keeps the algorithm's scalars
(``y·s``, ``H_diag``, step sizes) as 0-d tensors, so Python floats combined with them round to
the tensor dtype; NumPy scalars of that dtype behave the same way (NEP 50), so they stand in
for those 0-d tensors here.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from .._dispatch import wrap
from .._tensor import Tensor
from ..autograd import grad_mode
from .optimizer import Optimizer, _to_scalar, _write

__all__ = ["LBFGS"]


def _cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None):
    """Minimiser of the cubic through two points with slopes, clamped to ``bounds``."""
    lo, hi = bounds if bounds is not None else ((x1, x2) if x1 <= x2 else (x2, x1))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1**2 - g1 * g2
    if d2_square < 0:
        return (lo + hi) / 2.0
    d2 = np.sqrt(d2_square)
    if x1 <= x2:
        pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(pos, lo), hi)


def _dot(a, b):
    return np.asarray(jnp.vdot(a, b))[()]


def _strong_wolfe(obj, x, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9, max_ls=25):
    """Line search along ``d`` from step ``t`` satisfying the strong Wolfe conditions; returns
    ``(loss, flat_grad, t, evaluations)``."""
    d_norm = np.asarray(jnp.max(jnp.abs(d)))[()]
    f_new, g_new = obj(x, t, d)
    evals = 1
    gtd_new = _dot(g_new, d)
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done = False
    it = 0
    # bracketing phase
    while it < max_ls:
        if f_new > (f + c1 * t * gtd) or (it > 1 and f_new >= f_prev):
            bracket, bf, bg, bgtd = [t_prev, t], [f_prev, f_new], [g_prev, g_new], [gtd_prev,
                                                                                     gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bf, bg = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket, bf, bg, bgtd = [t_prev, t], [f_prev, f_new], [g_prev, g_new], [gtd_prev,
                                                                                     gtd_new]
            break
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10
        previous = t
        t = _cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new,
                               bounds=(min_step, max_step))  # fmt: skip
        t_prev, f_prev, g_prev, gtd_prev = previous, f_new, g_new, gtd_new
        f_new, g_new = obj(x, t, d)
        evals += 1
        gtd_new = _dot(g_new, d)
        it += 1
    if it == max_ls:
        bracket, bf, bg = [0, t], [f, f_new], [g, g_new]
    # zoom phase
    insuf_progress = False
    low, high = (0, 1) if bf[0] <= bf[-1] else (1, 0)
    while not done and it < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(bracket[0], bf[0], bgtd[0], bracket[1], bf[1], bgtd[1])
        top, bottom = max(bracket), min(bracket)
        eps = 0.1 * (top - bottom)
        if min(top - t, t - bottom) < eps:
            if insuf_progress or t >= top or t <= bottom:
                t = top - eps if abs(t - top) < abs(t - bottom) else bottom + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False
        f_new, g_new = obj(x, t, d)
        evals += 1
        gtd_new = _dot(g_new, d)
        it += 1
        if f_new > (f + c1 * t * gtd) or f_new >= bf[low]:
            bracket[high], bf[high], bg[high], bgtd[high] = t, f_new, g_new, gtd_new
            low, high = (0, 1) if bf[0] <= bf[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high] - bracket[low]) >= 0:
                bracket[high], bf[high], bg[high], bgtd[high] = (bracket[low], bf[low], bg[low],
                                                                 bgtd[low])  # fmt: skip
            bracket[low], bf[low], bg[low], bgtd[low] = t, f_new, g_new, gtd_new
    return bf[low], bg[low], bracket[low], evals


def _as_state(v):
    """Scalars as 0-d tensors and vectors as tensors, as torch keeps them in ``state``."""
    if isinstance(v, np.generic):
        return wrap(jnp.asarray(v))
    if isinstance(v, jnp.ndarray):
        return wrap(v)
    if isinstance(v, list):
        return [_as_state(x) for x in v]
    return v


def _from_state(v):
    if isinstance(v, Tensor):
        a = v._storage.array
        return np.asarray(a)[()] if a.ndim == 0 else a
    if isinstance(v, list):
        return [_from_state(x) for x in v]
    return v


class LBFGS(Optimizer):
    """``torch.optim.LBFGS``: ``step(closure)`` runs up to ``max_iter`` quasi-Newton iterations,
    re-evaluating ``closure`` (which must recompute the loss and its gradients)."""

    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7,
                 tolerance_change=1e-9, history_size=100, line_search_fn=None):  # fmt: skip
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = {"lr": lr, "max_iter": max_iter, "max_eval": max_eval,
                    "tolerance_grad": tolerance_grad, "tolerance_change": tolerance_change,
                    "history_size": history_size, "line_search_fn": line_search_fn}  # fmt: skip
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    def _flat_grad(self):
        return jnp.concatenate([
            jnp.zeros(p.numel(), p._storage.array.dtype) if p._grad is None
            else p._grad._storage.array.reshape(-1) for p in self._params
        ])  # fmt: skip

    def _add_grad(self, step_size, update) -> None:
        offset = 0
        for p in self._params:
            a = p._storage.array
            n = a.size
            alpha = jnp.asarray(float(step_size), a.dtype)
            _write(p, a + alpha * update[offset:offset + n].reshape(a.shape))
            offset += n

    def _set_param(self, arrays) -> None:
        for p, a in zip(self._params, arrays, strict=True):
            _write(p, a)

    def _evaluate(self, closure):
        with grad_mode.enable_grad():
            return closure()

    def step(self, closure):
        """Run L-BFGS iterations; returns the loss of the first ``closure()`` evaluation."""
        group = self.param_groups[0]
        lr = _to_scalar(group["lr"])
        max_iter, max_eval = group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        line_search_fn, history_size = group["line_search_fn"], group["history_size"]

        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        with grad_mode.no_grad():
            orig_loss = self._evaluate(closure)
            loss = float(orig_loss)
            evals = 1
            state["func_evals"] += 1
            flat_grad = self._flat_grad()
            if np.asarray(jnp.max(jnp.abs(flat_grad))) <= tolerance_grad:
                return orig_loss

            d, t = _from_state(state.get("d")), _from_state(state.get("t"))
            old_dirs = _from_state(state.get("old_dirs"))
            old_stps = _from_state(state.get("old_stps"))
            ro, h_diag = _from_state(state.get("ro")), _from_state(state.get("H_diag"))
            prev_flat_grad = _from_state(state.get("prev_flat_grad"))
            prev_loss = state.get("prev_loss")
            al = _from_state(state.get("al"))

            opt_cond = False
            n_iter = 0
            while n_iter < max_iter:
                n_iter += 1
                state["n_iter"] += 1
                if state["n_iter"] == 1:
                    d = -flat_grad
                    old_dirs, old_stps, ro = [], [], []
                    h_diag = 1
                else:
                    y = flat_grad - prev_flat_grad
                    s = d * jnp.asarray(float(t), d.dtype)
                    ys = _dot(y, s)
                    if ys > 1e-10:
                        if len(old_dirs) == history_size:
                            old_dirs.pop(0)
                            old_stps.pop(0)
                            ro.pop(0)
                        old_dirs.append(y)
                        old_stps.append(s)
                        ro.append(1.0 / ys)
                        h_diag = ys / _dot(y, y)
                    if al is None:
                        al = [None] * history_size
                    q = -flat_grad
                    for i in range(len(old_dirs) - 1, -1, -1):
                        al[i] = _dot(old_stps[i], q) * ro[i]
                        q = q + jnp.asarray(float(-al[i]), q.dtype) * old_dirs[i]
                    r = q * jnp.asarray(h_diag, q.dtype)
                    for i in range(len(old_dirs)):
                        be_i = _dot(old_dirs[i], r) * ro[i]
                        r = r + jnp.asarray(float(al[i] - be_i), r.dtype) * old_stps[i]
                    d = r
                prev_flat_grad = flat_grad
                prev_loss = loss
                if state["n_iter"] == 1:
                    total = np.asarray(jnp.sum(jnp.abs(flat_grad)))[()]
                    t = min(1.0, 1.0 / total) * lr
                else:
                    t = lr
                gtd = _dot(flat_grad, d)
                if gtd > -tolerance_change:
                    break
                ls_evals = 0
                if line_search_fn is not None:
                    if line_search_fn != "strong_wolfe":
                        raise RuntimeError("only 'strong_wolfe' is supported")
                    x_init = [p._storage.array for p in self._params]

                    def obj(x, step, direction):
                        self._add_grad(step, direction)
                        value = float(self._evaluate(closure))
                        g = self._flat_grad()
                        self._set_param(x)
                        return value, g

                    loss, flat_grad, t, ls_evals = _strong_wolfe(
                        obj, x_init, t, d, loss, flat_grad, gtd, max_ls=max_eval - evals
                    )
                    self._add_grad(t, d)
                    opt_cond = np.asarray(jnp.max(jnp.abs(flat_grad))) <= tolerance_grad
                else:
                    self._add_grad(t, d)
                    if n_iter != max_iter:
                        loss = float(self._evaluate(closure))
                        flat_grad = self._flat_grad()
                        opt_cond = np.asarray(jnp.max(jnp.abs(flat_grad))) <= tolerance_grad
                        ls_evals = 1
                evals += ls_evals
                state["func_evals"] += ls_evals
                if n_iter == max_iter or evals >= max_eval or opt_cond:
                    break
                step_max = jnp.max(jnp.abs(d * jnp.asarray(float(t), d.dtype)))
                if np.asarray(step_max) <= tolerance_change:
                    break
                if abs(loss - prev_loss) < tolerance_change:
                    break

            state["d"] = _as_state(d)
            state["t"] = _as_state(t)
            state["old_dirs"] = _as_state(old_dirs)
            state["old_stps"] = _as_state(old_stps)
            state["ro"] = _as_state(ro)
            state["H_diag"] = _as_state(h_diag)
            state["prev_flat_grad"] = _as_state(prev_flat_grad)
            state["prev_loss"] = prev_loss
            if al is not None:
                state["al"] = _as_state(al)
        return orig_loss
