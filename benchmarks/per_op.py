"""Per-op µs of torchlike, torch and raw JAX on a 4-element float32 vector (``--ops``).

For each op every implementation is warmed up (first calls compile), then the implementations
are timed in turn (A B C A B C ...) for several rounds; a round times a loop of N calls with
``time.perf_counter``. The table reports the median per-call µs. Each loop ends by waiting once
for the last result (JAX dispatches asynchronously; torch CPU ops are synchronous).
"""

from __future__ import annotations

import datetime
import math
import sys

from benchmarks._env import threads_line
from benchmarks._timing import alternate, machine_line, table
from benchmarks.ops import OPS, inputs, jax, jnp, tl, torch

# (column header, key): a key names a timed callable, a (num, den) pair a ratio of two of them.
COLUMNS = [
    ("torchlike fwd µs", "tl"),
    ("torch fwd µs", "torch"),
    ("jnp fwd µs", "jnp"),
    ("tl/jnp", ("tl", "jnp")),
    ("tl/torch", ("tl", "torch")),
    ("torchlike fwd+bwd µs", "tl_bwd"),
    ("torch fwd+bwd µs", "torch_bwd"),
    ("jax.grad eager µs", "jax_grad"),
    ("jax.jit(grad) µs", "jax_jit"),
    ("tl/torch (fwd+bwd)", ("tl_bwd", "torch_bwd")),
]


def fwd_bwd(fn, x, b, scalar: bool):
    """One training-style step: fresh grad, forward, backward; returns the grad."""

    def step():
        x.grad = None
        y = fn(x, b)
        (y if scalar else y.sum()).backward()
        return x.grad

    return step


def candidates(tl_fn, torch_fn, jnp_fn) -> dict:
    """key -> zero-argument callable whose result is synced after each timed loop."""
    a, b = inputs()
    ja, jb = jnp.asarray(a), jnp.asarray(b)
    scalar = jnp_fn(ja, jb).ndim == 0
    grad = jax.grad(lambda x: jnp_fn(x, jb).sum())
    jit_grad = jax.jit(grad)
    ta, tb, tx = tl.tensor(a), tl.tensor(b), tl.tensor(a, requires_grad=True)
    cands = {
        "tl": lambda: tl_fn(ta, tb),
        "jnp": lambda: jnp_fn(ja, jb),
        "tl_bwd": fwd_bwd(tl_fn, tx, tb, scalar),
        "jax_grad": lambda: grad(ja),
        "jax_jit": lambda: jit_grad(ja),
    }
    if torch is not None:
        pa, pb = torch.from_numpy(a.copy()), torch.from_numpy(b.copy())
        px = torch.from_numpy(a.copy()).requires_grad_()
        cands["torch"] = lambda: torch_fn(pa, pb)
        cands["torch_bwd"] = fwd_bwd(torch_fn, px, pb, scalar)
    return cands


def ratio(result: dict, key: tuple[str, str]) -> float | None:
    num, den = (result.get(k) for k in key)
    return num / den if isinstance(num, float) and isinstance(den, float) else None


def cell(result: dict, key) -> str:
    if isinstance(key, tuple):
        value = ratio(result, key)
        return f"{value:.2f}" if value is not None else "-"
    value = result.get(key, "-")
    return f"{value:.1f}" if isinstance(value, float) else value


def geomean(values: list[float]) -> str:
    return f"{math.exp(sum(map(math.log, values)) / len(values)):.2f}" if values else "-"


def run(names: list[str], quick: bool) -> None:
    """Measure ``names`` (keys of ``OPS``) and print the per-op table."""
    rounds, loop_seconds = (3, 0.005) if quick else (7, 0.08)
    errors: list[str] = []
    results = {}
    for name in names:
        print(f"measuring {name} ...", file=sys.stderr, flush=True)
        medians = alternate(candidates(*OPS[name]), rounds, loop_seconds, 3, errors, name)
        results[name] = {k: v * 1e6 if isinstance(v, float) else v for k, v in medians.items()}

    torch_version = torch.__version__ if torch is not None else "not installed"
    rows = [["op", *(title for title, _ in COLUMNS)]]
    rows += [[name, *(cell(results[name], key) for _, key in COLUMNS)] for name in names]
    print("\n".join([
        f"# torchlike per-op benchmark, {datetime.datetime.now().isoformat(timespec='seconds')}",
        f"# jax {jax.__version__}, torch {torch_version}, torchlike {tl.__version__}",
        machine_line(),
        threads_line(torch),
        f"# input: float32 vector of 4; jax_enable_x64={jax.config.jax_enable_x64} (set by "
        "torchlike at import)",
        f"# method: warm-up, then {rounds} rounds alternating implementations, each timing a "
        f"~{loop_seconds * 1e3:g} ms loop of N calls; median µs per call",
        "# fwd+bwd: x.grad = None; y = op(x); y.sum().backward() (y.backward() for scalar y); "
        "JAX: jax.grad(lambda a: op(a).sum())",
        "",
        *table(rows),
        "",
    ]))  # fmt: skip
    for title, key in COLUMNS:
        if isinstance(key, tuple):
            ratios = [r for r in (ratio(results[n], key) for n in names) if r is not None]
            print(f"geometric mean {title}: {geomean(ratios)} over {len(ratios)} ops")
    if errors:
        print("\nerrors:\n" + "\n".join(errors))
