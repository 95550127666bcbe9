"""Timing helpers shared by the per-op table and the workloads: sync, alternating rounds, tables."""

from __future__ import annotations

import gc
import os
import platform
import statistics
import time

import jax

import torchlike as tl


def sync(result) -> None:
    """Wait for every array in ``result`` (tensors, jax arrays, nested lists/tuples/dicts)."""
    if isinstance(result, (list, tuple)):
        for r in result:
            sync(r)
    elif isinstance(result, dict):
        sync(list(result.values()))
    elif isinstance(result, tl.Tensor):
        jax.block_until_ready(result.detach()._array)
    elif isinstance(result, jax.Array):
        result.block_until_ready()


def time_loop(fn, n: int) -> float:
    """Seconds per call over a loop of ``n`` calls, synced once at the end."""
    t0 = time.perf_counter()
    for _ in range(n):
        r = fn()
    sync(r)
    return (time.perf_counter() - t0) / n


def alternate(cands: dict, rounds: int, loop_seconds: float, warmup: int = 3,
              errors: list | None = None, label: str = "") -> dict:  # fmt: skip
    """key -> median seconds per call, or ``"ERROR <type>"`` for a callable that raised.

    Each callable is warmed up (first calls trace and compile), then timed in turn (A B C A B C)
    for ``rounds`` rounds, a round timing a loop of N calls with N chosen so the loop takes about
    ``loop_seconds`` (at least one call)."""
    result, sizes = {}, {}
    for key, fn in cands.items():
        try:
            for _ in range(warmup):
                sync(fn())
            once = time_loop(fn, 1)
            if once < loop_seconds / 20:  # a fast call: estimate it over a short loop instead
                once = time_loop(fn, 20)
            sizes[key] = max(1, round(loop_seconds / once)) if once < loop_seconds else 1
        except Exception as e:
            result[key] = f"ERROR {type(e).__name__}"
            if errors is not None:
                errors.append(f"{label} [{key}]: {type(e).__name__}: {e}")
    gc.collect()
    gc.freeze()  # keep the caches just built out of the timed loops' garbage collections
    samples = {key: [] for key in sizes}
    for _ in range(rounds):
        for key, n in sizes.items():
            samples[key].append(time_loop(cands[key], n))
    gc.unfreeze()
    result.update({key: statistics.median(s) for key, s in samples.items()})
    return result


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_line() -> str:
    return (
        f"# CPU {cpu_model()} ({os.cpu_count()} cores), jax backend {jax.default_backend()}, "
        f"Python {platform.python_version()}"
    )


def table(rows: list[list[str]]) -> list[str]:
    """A Markdown table, the first column left-aligned and the others right-aligned."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in
                          enumerate(zip(r, widths, strict=True))) + " |"
        for r in rows
    ]  # fmt: skip
    lines.insert(1, "|" + "|".join("-" * (w + 2) if i == 0 else "-" * (w + 1) + ":"
                                   for i, w in enumerate(widths)) + "|")  # fmt: skip
    return lines
