"""``python -m benchmarks [--quick] [--ops add,exp]``: per-op µs of torchlike, torch and raw JAX.

For each op every implementation is warmed up (first calls compile), then the implementations
are timed in turn (A B C A B C ...) for several rounds; a round times a loop of N calls with
``time.perf_counter``. The table reports the median per-call µs. Each loop ends by waiting once
for the last result (JAX dispatches asynchronously; torch CPU ops are synchronous).
"""

from __future__ import annotations

import os

# One compute thread for XLA, set before jax is imported; torch gets set_num_threads(1) below.
XLA_THREAD_FLAGS = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
os.environ["XLA_FLAGS"] = f"{os.environ.get('XLA_FLAGS', '')} {XLA_THREAD_FLAGS}".strip()

import argparse  # noqa: E402
import datetime  # noqa: E402
import gc  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from benchmarks.ops import OPS, inputs, jax, jnp, tl, torch  # noqa: E402

if torch is not None:
    torch.set_num_threads(1)

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


def sync(result) -> None:
    if isinstance(result, tl.Tensor):
        result.detach().numpy()
    elif isinstance(result, jax.Array):
        result.block_until_ready()


def time_loop(fn, n: int) -> float:
    """Seconds per call over a loop of ``n`` calls."""
    t0 = time.perf_counter()
    for _ in range(n):
        r = fn()
    sync(r)
    return (time.perf_counter() - t0) / n


def measure(cands: dict, rounds: int, loop_seconds: float, errors: list, op: str) -> dict:
    """key -> median µs per call, or an error string for a callable that raised."""
    result, sizes = {}, {}
    for key, fn in cands.items():
        try:
            for _ in range(3):  # warm-up: the first calls trace and compile
                sync(fn())
            sizes[key] = max(5, int(loop_seconds / time_loop(fn, 20)))
        except Exception as e:
            result[key] = f"ERROR {type(e).__name__}"
            errors.append(f"{op} [{key}]: {type(e).__name__}: {e}")
    gc.freeze()  # keep the caches just built out of the timed loops' garbage collections
    samples = {key: [] for key in sizes}
    for _ in range(rounds):
        for key, n in sizes.items():  # alternate implementations within each round
            samples[key].append(time_loop(cands[key], n))
    result.update({key: statistics.median(s) * 1e6 for key, s in samples.items()})
    return result


def ratio(result: dict, key: tuple[str, str]) -> float | None:
    num, den = (result.get(k) for k in key)
    return num / den if isinstance(num, float) and isinstance(den, float) else None


def cell(result: dict, key) -> str:
    if isinstance(key, tuple):
        value = ratio(result, key)
        return f"{value:.2f}" if value is not None else "-"
    value = result.get(key, "-")
    return f"{value:.1f}" if isinstance(value, float) else value


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def header(rounds: int, loop_seconds: float) -> list[str]:
    torch_version = torch.__version__ if torch is not None else "not installed"
    torch_threads = torch.get_num_threads() if torch is not None else "-"
    return [
        f"# torchlike per-op benchmark, {datetime.datetime.now().isoformat(timespec='seconds')}",
        f"# Python {platform.python_version()}, jax {jax.__version__}, torch {torch_version}, "
        f"torchlike {tl.__version__}",
        f"# CPU {cpu_model()} ({os.cpu_count()} cores), jax backend {jax.default_backend()}",
        f"# threads: XLA_FLAGS='{os.environ['XLA_FLAGS']}' (set in benchmarks/__main__.py "
        f"before importing jax), torch.set_num_threads(1) -> {torch_threads}",
        f"# input: float32 vector of 4; jax_enable_x64={jax.config.jax_enable_x64} (set by "
        "torchlike at import)",
        f"# method: warm-up, then {rounds} rounds alternating implementations, each timing a "
        f"~{loop_seconds * 1e3:g} ms loop of N calls; median µs per call",
        "# fwd+bwd: x.grad = None; y = op(x); y.sum().backward() (y.backward() for scalar y); "
        "JAX: jax.grad(lambda a: op(a).sum())",
    ]


def table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in
                          enumerate(zip(r, widths))) + " |"
        for r in rows
    ]  # fmt: skip
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return lines


def geomean(values: list[float]) -> str:
    return f"{math.exp(sum(map(math.log, values)) / len(values)):.2f}" if values else "-"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer, shorter rounds (testing)")
    parser.add_argument("--ops", help=f"comma-separated subset of: {','.join(OPS)}")
    args = parser.parse_args(argv)
    names = args.ops.split(",") if args.ops else list(OPS)
    unknown = [n for n in names if n not in OPS]
    if unknown:
        parser.error(f"unknown op(s) {','.join(unknown)}; choose from {','.join(OPS)}")
    rounds, loop_seconds = (3, 0.005) if args.quick else (7, 0.08)

    errors: list[str] = []
    results = {}
    for name in names:
        print(f"measuring {name} ...", file=sys.stderr, flush=True)
        results[name] = measure(candidates(*OPS[name]), rounds, loop_seconds, errors, name)

    rows = [["op", *(title for title, _ in COLUMNS)]]
    rows += [[name, *(cell(results[name], key) for _, key in COLUMNS)] for name in names]
    print("\n".join([*header(rounds, loop_seconds), "", *table(rows)]))
    print()
    for title, key in COLUMNS:
        if isinstance(key, tuple):
            ratios = [r for r in (ratio(results[n], key) for n in names) if r is not None]
            print(f"geometric mean {title}: {geomean(ratios)} over {len(ratios)} ops")
    if errors:
        print("\nerrors:\n" + "\n".join(errors))


if __name__ == "__main__":
    main()
