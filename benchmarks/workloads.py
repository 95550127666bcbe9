"""Workloads W1-W7: torchlike eager and compiled against PyTorch eager, ``torch.compile`` and
hand-written JAX (eager and ``jax.jit``), from one process run on the same data.

- W1 dispatch: a chain of 1,000 elementwise ops on a 4-element tensor, forward (µs/op).
- W2 tape: the same chain with ``requires_grad``, forward + ``backward()`` (µs/op).
- W3 eager training step of an MLP 784-256-256-10, batch 64 (``zero_grad``, forward,
  cross-entropy, ``backward()``, SGD step) (ms/step).
- W4 the same step compiled (``torchlike.compile(train_step)``, ``torch.compile(train_step)``,
  ``jax.jit`` of a hand-written value_and_grad + SGD update).
- W5 a compute-bound step: MLP 4096-4096-4096, batch 512, eager and compiled.
- W6 ``backward()`` through a 20,000-node scalar chain: time per node, 10k vs 20k nodes, and the
  live XLA buffers before / after (saved arrays must be freed).
- W7 a Hessian-vector product of a small MLP loss (double backward / ``jax.jvp(jax.grad)``).

Everything here is a report: targets are printed next to the measured ratios, never asserted.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import gc
import importlib
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings

import jax
import jax.numpy as jnp
import numpy as np

import torchlike as tl
from benchmarks import _env
from benchmarks._env import threads_line
from benchmarks._timing import alternate, machine_line, sync, table

try:
    import torch
except ImportError:  # torch is optional: its columns print "-"
    torch = None

IMPLS = {
    "tl": "torchlike eager",
    "tl_c": "torchlike compiled",
    "torch": "torch eager",
    "torch_c": "torch.compile",
    "jax": "jax eager",
    "jax_jit": "jax.jit",
}
WORKLOADS = ("W1", "W2", "W3", "W4", "W5", "W6", "W7")
LR = 0.01


@dataclasses.dataclass
class Config:
    """Sizes and repetitions; ``quick()`` shrinks everything for a smoke run."""

    quick: bool = False
    rounds: int = 5
    loop_seconds: float = 0.2
    chain: int = 1000
    mlp: tuple = (784, 256, 256, 10)
    batch: int = 64
    big: tuple = (4096, 4096, 4096)
    big_batch: int = 512
    big_rounds: int = 5
    nodes: int = 20_000
    hvp_mlp: tuple = (32, 64, 64, 1)
    hvp_batch: int = 64
    torch_compile: bool = True
    cold_rounds: int = 3

    @classmethod
    def make(cls, quick: bool) -> Config:
        if not quick:
            return cls()
        return cls(quick=True, rounds=2, loop_seconds=0.01, chain=100, mlp=(64, 32, 32, 10),
                   batch=16, big=(64, 32, 32, 10), big_batch=16, big_rounds=2, nodes=300,
                   hvp_mlp=(8, 16, 16, 1), hvp_batch=8, torch_compile=False,
                   cold_rounds=1)  # fmt: skip


@dataclasses.dataclass
class Row:
    key: str
    title: str
    unit: str
    scale: float  # unit per second-per-call
    values: dict  # impl -> seconds per call, or a string for a cell that is not a number
    ratios: list  # (label, value or None, target text or "")
    notes: list = dataclasses.field(default_factory=list)


# -- shared building blocks ----------------------------------------------------------------------
def rng() -> np.random.Generator:
    return np.random.default_rng(0)


def mlp_weights(dims, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """float32 (W, b) per layer, W shaped (out, in), uniform(-1/sqrt(in), 1/sqrt(in)) as torch."""
    r = np.random.default_rng(seed)
    out = []
    for n_in, n_out in itertools.pairwise(dims):
        bound = 1.0 / np.sqrt(n_in)
        w = r.uniform(-bound, bound, (n_out, n_in)).astype(np.float32)
        b = r.uniform(-bound, bound, (n_out,)).astype(np.float32)
        out.append((w, b))
    return out


def classification_data(dims, batch: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    r = np.random.default_rng(seed)
    x = r.standard_normal((batch, dims[0])).astype(np.float32)
    y = r.integers(0, dims[-1], (batch,)).astype(np.int64)
    return x, y


_templates: dict = {}


def lib_model(lib, weights):
    """``nn.Sequential`` of Linear/ReLU in ``lib`` (torch or torchlike) holding ``weights``.

    Built once per library and shape, then deep-copied: the random init of a fresh ``Linear`` is
    not part of any workload (in torchlike it compiles a sampling kernel per shape)."""
    key = (lib.__name__, tuple(w.shape for w, _ in weights))
    if key not in _templates:
        layers = []
        for i, (w, _) in enumerate(weights):
            layers.append(lib.nn.Linear(w.shape[1], w.shape[0]))
            if i < len(weights) - 1:
                layers.append(lib.nn.ReLU())
        _templates[key] = lib.nn.Sequential(*layers)
    model = copy.deepcopy(_templates[key])
    linears = [m for m in model if isinstance(m, lib.nn.Linear)]
    with lib.no_grad():
        for lin, (w, b) in zip(linears, weights, strict=True):
            lin.weight.copy_(lib.from_numpy(w.copy()))
            lin.bias.copy_(lib.from_numpy(b.copy()))
    return model


def lib_train_step(lib, model):
    """The PyTorch user's training step, written once for torch and torchlike."""
    opt = lib.optim.SGD(model.parameters(), lr=LR)
    cross_entropy = lib.nn.functional.cross_entropy

    def train_step(x, y):
        opt.zero_grad()
        loss = cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

    return train_step


def jax_loss(params, x, y):
    h = x
    for i, (w, b) in enumerate(params):
        h = h @ w.T + b
        if i < len(params) - 1:
            h = jax.nn.relu(h)
    logp = jax.nn.log_softmax(h)
    return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=1))


def jax_sgd_step(params, x, y):
    """The hand-written JAX step: value_and_grad of the loss, then the SGD update."""
    loss, grads = jax.value_and_grad(jax_loss)(params, x, y)
    params = jax.tree.map(lambda p, g: p - LR * g, params, grads)
    return params, loss


def step_candidates(dims, batch: int, which: tuple, notes: list) -> dict:
    """impl -> zero-argument callable running one training step on its own copy of the MLP."""
    weights = mlp_weights(dims)
    x, y = classification_data(dims, batch)
    cands = {}
    libs = [(tl, ("tl", "tl_c"))] + ([(torch, ("torch", "torch_c"))] if torch is not None else [])
    for lib, impls in libs:
        for impl in impls:
            if impl not in which:
                continue
            model = lib_model(lib, weights)
            step = lib_train_step(lib, model)
            if impl.endswith("_c"):
                step = lib.compile(step)
            cands[impl] = _with_params(step, lib.from_numpy(x), lib.from_numpy(y), model)
    jx, jy = jnp.asarray(x), jnp.asarray(y)
    # NOTE: the jitted step donates the old parameters (donate_argnums=0), as JAX training loops
    # do, so XLA updates them in place; torchlike.compile donates its state as well.
    jit_step = jax.jit(jax_sgd_step, donate_argnums=0)
    for impl, fn in (("jax", jax_sgd_step), ("jax_jit", jit_step)):
        if impl in which:
            state = {"params": [(jnp.asarray(w), jnp.asarray(b)) for w, b in weights]}
            cands[impl] = _jax_stepper(fn, state, jx, jy)
    return cands


def _with_params(step, x, y, model):
    params = list(model.parameters())
    return lambda: (step(x, y), params)  # the sync waits for the updated parameters too


def _jax_stepper(fn, state, x, y):
    def run():
        state["params"], loss = fn(state["params"], x, y)
        return state["params"], loss

    return run


def first_call(cands: dict, keys, notes: list) -> dict:
    """Make the first (tracing/compiling) call of each of ``keys``, noting warnings it raised;
    returns key -> seconds of that call."""
    seconds = {}
    for key in keys:
        if key not in cands:
            continue
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            t0 = time.perf_counter()
            try:
                sync(cands[key]())
            except Exception:
                continue  # alternate() reports it
            seconds[key] = time.perf_counter() - t0
        for w in caught:
            msg = " ".join(str(w.message).split())
            if key.startswith("tl"):
                notes.append(f"{IMPLS[key]} warned: {msg[:200]}")
    return seconds


def fmt(value: float) -> str:
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def ratio(values: dict, num: str, den: str) -> float | None:
    a, b = values.get(num), values.get(den)
    return a / b if isinstance(a, float) and isinstance(b, float) else None


# -- W1, W2: dispatch and tape on a 4-element tensor ---------------------------------------------
def chain(x, b, sin, n: int):
    """``n`` elementwise ops: multiply by a tensor, add a tensor, sin, subtract a scalar."""
    for _ in range(n // 4):
        x = x * b
        x = x + b
        x = sin(x)
        x = x - 0.5
    return x


def _chain_inputs():
    r = rng()
    return r.uniform(0.5, 1.0, 4).astype(np.float32), r.uniform(0.5, 1.0, 4).astype(np.float32)


def w1(cfg: Config, errors: list) -> Row:
    a, b = _chain_inputs()
    n = cfg.chain
    tx, tb = tl.from_numpy(a), tl.from_numpy(b)
    jx, jb = jnp.asarray(a), jnp.asarray(b)
    tsin = tl.sin
    cands = {
        "tl": lambda: chain(tx, tb, tsin, n),
        "tl_c": (lambda c: lambda: c(tx, tb))(tl.compile(lambda x, b: chain(x, b, tsin, n))),
        "jax": lambda: chain(jx, jb, jnp.sin, n),
        "jax_jit": (lambda c: lambda: c(jx, jb))(jax.jit(lambda x, b: chain(x, b, jnp.sin, n))),
    }
    if torch is not None:
        px, pb = torch.from_numpy(a), torch.from_numpy(b)
        cands["torch"] = lambda: chain(px, pb, torch.sin, n)
    notes: list = []
    first_call(cands, ("tl_c", "jax_jit"), notes)
    values = alternate(cands, cfg.rounds, cfg.loop_seconds, 2, errors, "W1")
    return Row("W1", f"dispatch: {n} elementwise ops, 4 floats, fwd", "µs/op", 1e6 / n, values,
               [("tl/torch", ratio(values, "tl", "torch"), "")], notes)  # fmt: skip


def w2(cfg: Config, errors: list) -> Row:
    a, b = _chain_inputs()
    n = cfg.chain
    tb, jb = tl.from_numpy(b), jnp.asarray(b)
    jx = jnp.asarray(a)

    def fwd_bwd(lib, x, b):
        def run():
            x.grad = None
            chain(x, b, lib.sin, n).sum().backward()
            return x.grad

        return run

    tx, tx_c = tl.tensor(a, requires_grad=True), tl.tensor(a, requires_grad=True)
    compiled = tl.compile(lambda x, b: fwd_bwd(tl, x, b)())
    jgrad = jax.grad(lambda x, b: chain(x, b, jnp.sin, n).sum())
    jit_grad = jax.jit(jgrad)
    cands = {
        "tl": fwd_bwd(tl, tx, tb),
        "tl_c": lambda: compiled(tx_c, tb),
        "jax": lambda: jgrad(jx, jb),
        "jax_jit": lambda: jit_grad(jx, jb),
    }
    if torch is not None:
        cands["torch"] = fwd_bwd(torch, torch.tensor(a, requires_grad=True), torch.from_numpy(b))
    notes: list = []
    first_call(cands, ("tl_c", "jax_jit"), notes)
    values = alternate(cands, cfg.rounds, cfg.loop_seconds, 3, errors, "W2")
    notes += _fusion_note(cands["tl"])
    tl_us = values["tl"] * 1e6 / n if isinstance(values.get("tl"), float) else None
    return Row("W2", "tape: the same chain, requires_grad, fwd+bwd", "µs/op", 1e6 / n, values,
               [("tl/torch", ratio(values, "tl", "torch"), ""),
                ("tl eager µs/op", tl_us, "<= 20")], notes)  # fmt: skip


def _fusion_note(run) -> list[str]:
    """Dispatch counts of one eager backward, if ``torchlike.autograd.fusion`` keeps stats."""
    try:
        fusion = importlib.import_module("torchlike.autograd.fusion")
    except ImportError:
        return ["torchlike.autograd.fusion not present: backward dispatch count not reported"]
    stats = getattr(fusion, "stats", None)
    if not isinstance(stats, dict):
        return ["torchlike.autograd.fusion has no `stats` dict: dispatch count not reported"]
    before = dict(stats)
    sync(run())
    diff = {k: v - before.get(k, 0) for k, v in stats.items() if v != before.get(k, 0)}
    return [
        f"one steady-state torchlike eager fwd+bwd changed torchlike.autograd.fusion.stats by "
        f"{diff} (fused 1 = the whole backward ran as one cached program)"
    ]


# -- W3, W4, W5: MLP training steps ---------------------------------------------------------------
def w3(cfg: Config, errors: list) -> Row:
    notes: list = []
    cands = step_candidates(cfg.mlp, cfg.batch, ("tl", "torch", "jax"), notes)
    values = alternate(cands, cfg.rounds, cfg.loop_seconds, 3, errors, "W3")
    dims = "-".join(map(str, cfg.mlp))
    return Row("W3", f"MLP {dims}, batch {cfg.batch}: eager step", "ms/step", 1e3, values,
               [("tl/torch", ratio(values, "tl", "torch"), "<= 1.5")], notes)  # fmt: skip


def w4(cfg: Config, errors: list) -> Row:
    notes: list = []
    which = ("tl_c", "jax_jit") + (("torch_c",) if cfg.torch_compile else ())
    cands = step_candidates(cfg.mlp, cfg.batch, which, notes)
    first = first_call(cands, which, notes)
    notes.append(
        "first call in this process (not cold: eager kernels and jax already warm): "
        + ", ".join(f"{IMPLS[k]} {v:.3f} s" for k, v in first.items())
    )
    values = alternate(cands, cfg.rounds, cfg.loop_seconds, 3, errors, "W4")
    if all(isinstance(values.get(k), float) for k in ("tl_c", "jax_jit")):
        gap = (values["tl_c"] - values["jax_jit"]) * 1e6
        notes.append(f"torchlike compiled - jax.jit = {gap:.0f} µs per step")
    if not cfg.torch_compile:
        values["torch_c"] = "not run (--quick)"
    dims = "-".join(map(str, cfg.mlp))
    return Row("W4", f"MLP {dims}, batch {cfg.batch}: compiled step", "ms/step", 1e3, values,
               [("tl_c/jax.jit", ratio(values, "tl_c", "jax_jit"), "<= 1.05")], notes)  # fmt: skip


def w5(cfg: Config, errors: list) -> Row:
    notes: list = []
    which = ("tl", "tl_c", "torch", "jax", "jax_jit") + (("torch_c",) if cfg.torch_compile else ())
    cands = step_candidates(cfg.big, cfg.big_batch, which, notes)
    first_call(cands, which, notes)
    values = alternate(cands, cfg.big_rounds, 0.0, 1, errors, "W5")
    if not cfg.torch_compile:
        values["torch_c"] = "not run (--quick)"
    d, b = cfg.big, cfg.big_batch
    flops = 2 * b * sum(i * o for i, o in itertools.pairwise(d)) * 3
    best = min((v for v in values.values() if isinstance(v, float)), default=None)
    if best:
        notes.append(f"~{flops / 1e9:.3g} GFLOP/step (fwd+bwd matmuls); fastest "
                     f"{flops / best / 1e9:.0f} GFLOP/s")  # fmt: skip
    return Row("W5", f"MLP {'-'.join(map(str, d))}, batch {b}: step", "ms/step", 1e3, values,
               [("tl_c/jax.jit", ratio(values, "tl_c", "jax_jit"), "<= 1.02"),
                ("tl/torch", ratio(values, "tl", "torch"), "")], notes)  # fmt: skip


# -- W6: backward through a long scalar chain -----------------------------------------------------
def _scalar_chain(lib_sin, x, n: int):
    y = x
    for _ in range(n):
        y = lib_sin(y)
    return y


def _w6_backward(impl: str, n: int):
    """Build an ``n``-node graph (untimed) and return the zero-argument backward to time."""
    if impl == "tl":
        x = tl.tensor(1.0, requires_grad=True)
        y = _scalar_chain(tl.sin, x, n)
        return lambda: (y.backward(), x.grad)[1]
    if impl == "torch":
        x = torch.tensor(1.0, requires_grad=True)
        y = _scalar_chain(torch.sin, x, n)
        return lambda: (y.backward(), x.grad)[1]
    out, vjp = jax.vjp(lambda x: _scalar_chain(jnp.sin, x, n), jnp.float32(1.0))
    return lambda: vjp(jnp.ones_like(out))


def _live() -> tuple[int, int]:
    gc.collect()
    arrays = jax.live_arrays()
    return len(arrays), sum(a.nbytes for a in arrays)


def w6(cfg: Config, errors: list) -> Row:
    impls = ["tl", "jax"] + (["torch"] if torch is not None else [])
    sizes = (cfg.nodes // 2, cfg.nodes)
    samples = {(impl, n): [] for impl in impls for n in sizes}
    values: dict = {}
    for impl in impls:  # warm-up: compile the per-node VJPs
        try:
            sync(_w6_backward(impl, 50)())
        except Exception as e:
            values[impl] = f"ERROR {type(e).__name__}"
            errors.append(f"W6 [{impl}]: {type(e).__name__}: {e}")
    impls = [i for i in impls if i not in values]
    for _ in range(1 if cfg.quick else 3):
        for n in sizes:
            for impl in impls:
                run = _w6_backward(impl, n)
                gc.collect()
                t0 = time.perf_counter()
                sync(run())
                samples[impl, n].append(time.perf_counter() - t0)
                del run
    med = {k: statistics.median(v) for k, v in samples.items()}
    values.update({impl: med[impl, cfg.nodes] for impl in impls})
    values.setdefault("tl_c", "-")
    notes = [f"time(backward, {sizes[1]} nodes) / time({sizes[0]} nodes): "
             + ", ".join(f"{IMPLS[i]} {med[i, sizes[1]] / med[i, sizes[0]]:.2f}" for i in impls)
             + " (2.00 = linear)",
             "jax eager: jax.vjp of the chain built untimed, the vjp function timed; "
             "jax.jit of a 20,000-op program not run (compile time, not backward)"]  # fmt: skip
    notes.append(_w6_memory(cfg.nodes))
    per_node = values["tl"] * 1e6 / cfg.nodes if isinstance(values.get("tl"), float) else None
    return Row("W6", f"backward of a {cfg.nodes}-node scalar sin chain", "µs/node",
               1e6 / cfg.nodes, values,
               [("tl/torch", ratio(values, "tl", "torch"), ""),
                ("tl µs/node", per_node, "<= 20")], notes)  # fmt: skip


def _w6_memory(n: int) -> str:
    """Live XLA buffers (count, bytes) before the forward, after it, and after backward."""
    x = tl.tensor(1.0, requires_grad=True)
    c0, b0 = _live()
    y = _scalar_chain(tl.sin, x, n)
    c1, b1 = _live()
    tracemalloc.start()
    try:
        y.backward()
        py_peak = tracemalloc.get_traced_memory()[1]
    except RecursionError as e:
        return f"torchlike backward RecursionError: {e}"
    finally:
        tracemalloc.stop()
    c2, b2 = _live()
    stats = jax.devices()[0].memory_stats()
    return (f"torchlike live XLA arrays: +{c1 - c0} ({b1 - b0} B) after the forward, "
            f"+{c2 - c0} ({b2 - b0} B) after backward (y and x.grad remain); no RecursionError "
            f"(sys.getrecursionlimit() = {sys.getrecursionlimit()}); Python heap peak during "
            f"backward (tracemalloc) {py_peak / 2**20:.1f} MiB; "
            f"jax memory_stats() on {jax.default_backend()}: {stats}")  # fmt: skip


# -- W7: Hessian-vector product -------------------------------------------------------------------
def _hvp_problem(cfg: Config):
    dims, batch = cfg.hvp_mlp, cfg.hvp_batch
    weights = [a for wb in mlp_weights(dims, seed=2) for a in wb]
    r = np.random.default_rng(3)
    x = r.standard_normal((batch, dims[0])).astype(np.float32)
    y = r.standard_normal((batch, dims[-1])).astype(np.float32)
    v = [r.standard_normal(w.shape).astype(np.float32) for w in weights]
    return weights, x, y, v


def _mlp_mse(params, x, y, tanh):
    h = x
    for i in range(0, len(params), 2):
        h = h @ params[i].T + params[i + 1]
        if i < len(params) - 2:
            h = tanh(h)
    return ((h - y) ** 2).mean()


def _lib_hvp(lib, weights, x, y, v):
    params = [lib.tensor(w, requires_grad=True) for w in weights]
    x, y = lib.from_numpy(x), lib.from_numpy(y)
    v = [lib.from_numpy(t) for t in v]

    def hvp(params, v):
        loss = _mlp_mse(params, x, y, lib.tanh)
        grads = lib.autograd.grad(loss, params, create_graph=True)
        dot = sum((g * t).sum() for g, t in zip(grads, v, strict=True))
        return lib.autograd.grad(dot, params)

    return hvp, params, v


def w7(cfg: Config, errors: list) -> Row:
    weights, x, y, v = _hvp_problem(cfg)
    hvp, tparams, tv = _lib_hvp(tl, weights, x, y, v)
    compiled = tl.compile(hvp)
    jparams = [jnp.asarray(w) for w in weights]
    jv = [jnp.asarray(t) for t in v]
    jx, jy = jnp.asarray(x), jnp.asarray(y)

    def jax_hvp(params, v):
        return jax.jvp(jax.grad(lambda p: _mlp_mse(p, jx, jy, jnp.tanh)), (params,), (v,))[1]

    jit_hvp = jax.jit(jax_hvp)
    cands = {
        "tl": lambda: hvp(tparams, tv),
        "tl_c": lambda: compiled(tparams, tv),
        "jax": lambda: jax_hvp(jparams, jv),
        "jax_jit": lambda: jit_hvp(jparams, jv),
    }
    if torch is not None:
        phvp, pparams, pv = _lib_hvp(torch, weights, x, y, v)
        cands["torch"] = lambda: phvp(pparams, pv)
    notes: list = []
    first_call(cands, ("tl_c", "jax_jit"), notes)
    ref = np.concatenate([np.ravel(a) for a in jit_hvp(jparams, jv)])
    got = np.concatenate([t.detach().numpy().ravel() for t in hvp(tparams, tv)])
    err = float(np.max(np.abs(got - ref)) / (np.max(np.abs(ref)) + 1e-30))
    notes.append(f"torchlike HVP vs jax.jit HVP: max relative difference {err:.1e}")
    values = alternate(cands, cfg.rounds, cfg.loop_seconds, 3, errors, "W7")
    dims = "-".join(map(str, cfg.hvp_mlp))
    return Row("W7", f"HVP of an MLP {dims} MSE loss, batch {cfg.hvp_batch}", "ms/hvp", 1e3,
               values,
               [("tl/torch", ratio(values, "tl", "torch"), ""),
                ("tl_c/jax.jit", ratio(values, "tl_c", "jax_jit"), "")], notes)  # fmt: skip


# -- cold first calls in fresh processes ----------------------------------------------------------
def cold_first_calls(cfg: Config, errors: list) -> list[str]:
    """First call (trace + compile + run) of the W4 step, each in a fresh subprocess, A B A B."""
    impls = ["tl_c", "jax_jit"] + (["torch_c"] if cfg.torch_compile and torch else [])
    samples: dict = {i: [] for i in impls}
    spec = json.dumps({"dims": list(cfg.mlp), "batch": cfg.batch})
    for _ in range(cfg.cold_rounds):
        for impl in impls:
            proc = subprocess.run(
                [sys.executable, "-m", "benchmarks.cold", impl, spec],
                capture_output=True, text=True, cwd=os.path.dirname(os.path.dirname(__file__)),
            )  # fmt: skip
            try:
                samples[impl].append(json.loads(proc.stdout.strip().splitlines()[-1])["first"])
            except (IndexError, ValueError, KeyError):
                errors.append(f"cold [{impl}]: {proc.stderr.strip()[-500:]}")
    med = {i: statistics.median(s) for i, s in samples.items() if s}
    row = ["first call, fresh process (s)", *(fmt(med[i]) if i in med else "-" for i in impls)]
    r = med["tl_c"] / med["jax_jit"] if "tl_c" in med and "jax_jit" in med else None
    row.append(f"{r:.2f} (target <= 1.3)" if r is not None else "-")
    head = ["W4 step, cold", *(IMPLS[i] for i in impls), "tl_c/jax.jit"]
    return [
        f"First call of the W4 step (trace + compile + run, synced), each in a fresh "
        f"`python -m benchmarks.cold` process, {cfg.cold_rounds} round(s) alternating, median:",
        "",
        *table([head, row]),
    ]


# -- the report -----------------------------------------------------------------------------------
FUNCS = {"W1": w1, "W2": w2, "W3": w3, "W4": w4, "W5": w5, "W6": w6, "W7": w7}


def cell(row: Row, impl: str) -> str:
    value = row.values.get(impl, "-")
    if isinstance(value, float):
        return fmt(value * row.scale)
    if value.startswith("ERROR"):
        return "n/a (" + value.removeprefix("ERROR ") + ")"
    return value


def ratio_text(row: Row) -> str:
    parts = []
    for label, value, target in row.ratios:
        if value is None:
            continue
        parts.append(f"{label} {fmt(value)}" + (f" (target {target})" if target else ""))
    return "; ".join(parts) or "-"


def run(names: list[str], quick: bool) -> None:
    """Measure the workloads ``names`` and print the table, notes and the cold first calls."""
    cfg = Config.make(quick)
    errors: list[str] = []
    rows: list[Row] = []
    started = time.perf_counter()
    cpu0 = time.process_time()
    for name in names:
        print(f"measuring {name} ...", file=sys.stderr, end="", flush=True)
        t0 = time.perf_counter()
        rows.append(FUNCS[name](cfg, errors))
        gc.collect()
        print(f" {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu0
    one_cpu = _env._pinned.get("mode") == "process" and _env._pinned["threads"] == 1
    shared = one_cpu and cpu / wall < 0.95
    cold = cold_first_calls(cfg, errors) if "W4" in names and not quick else []

    head = ["workload", "unit", *IMPLS.values(), "ratios (targets are reported, not asserted)"]
    body = [[f"{r.key} {r.title}", r.unit, *(cell(r, i) for i in IMPLS), ratio_text(r)]
            for r in rows]  # fmt: skip
    torch_version = torch.__version__ if torch is not None else "not installed"
    lines = [
        f"# torchlike workloads W1-W7{' (--quick sizes)' if quick else ''}, "
        f"{datetime.datetime.now().isoformat(timespec='seconds')}",
        f"# jax {jax.__version__}, torch {torch_version}, torchlike {tl.__version__}",
        machine_line(),
        threads_line(torch),
        f"# method: warm-up, then {cfg.rounds} rounds (W5: {cfg.big_rounds}) alternating the "
        f"implementations, each timing a ~{cfg.loop_seconds * 1e3:g} ms loop synced at its end "
        "(block_until_ready on results and updated parameters); median per call",
        f"# measuring took {wall:.0f} s wall at cpu/wall {cpu / wall:.2f}"
        + (" (< 1 thread: other processes shared the CPU)" if shared else ""),
        "",
        *table([head, *body]),
        "",
    ]
    for r in rows:
        lines += [f"- {r.key}: {note}" for note in r.notes]
    if cold:
        lines += ["", *cold]
    if errors:
        lines += ["", "errors:", *errors]
    print("\n".join(lines))
