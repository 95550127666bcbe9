"""Thread pinning shared by every benchmark; ``pin_threads`` must run before jax (or torch) is
imported, ``release_python_thread`` right after.

XLA's CPU client ignores ``--xla_cpu_multi_thread_eigen=false`` and
``intra_op_parallelism_threads`` in jax 0.10 (measured: a jitted 2048x2048 matmul kept
cpu/wall ~1.95 on 2 cores with those flags), but it sizes its thread pool from the CPUs the
process may run on, and its threads keep the affinity they were created with. Two settings:

- ``compute`` (the default when a CPU is left over): every framework computes on ``threads``
  threads. XLA's pool is created on the first ``threads`` CPUs; the Python thread then moves to
  the next CPU, where torch (``torch.set_num_threads(threads)``, intra-op work on the calling
  thread) also computes with one thread. JAX's asynchronous dispatch can overlap Python with
  XLA's compute there, as it does on any machine with a spare core.
- ``process`` (``--one-cpu``, or no spare CPU): the whole process, Python included, runs on
  ``threads`` CPUs, so Python overhead and compute share them.

Child processes (cold first calls) repeat the same setting from ``BENCH_PIN`` in the environment.
"""

from __future__ import annotations

import os
import sys

_pinned: dict = {}
_ENV = "BENCH_PIN"


def pin_threads(threads: int, one_cpu: bool = False) -> None:
    """Pin before jax is imported (see the module docstring); the setting is exported in
    ``BENCH_PIN`` for child processes."""
    if "jax" in sys.modules:
        raise RuntimeError("pin_threads() must run before jax is imported")
    allowed = sorted(os.sched_getaffinity(0))
    if threads > len(allowed):
        raise ValueError(f"--threads {threads}: only {len(allowed)} CPUs available")
    mode = "process" if one_cpu or threads >= len(allowed) else "compute"
    compute = allowed[:threads]
    python = allowed[threads] if mode == "compute" else None
    os.sched_setaffinity(0, compute)
    _pinned.update(threads=threads, mode=mode, cpus=compute, python=python)
    os.environ[_ENV] = f"{mode}:{','.join(map(str, compute))}:{'' if python is None else python}"


def pin_from_environment() -> None:
    """In a child process: the parent's setting (``BENCH_PIN``), before jax is imported."""
    spec = os.environ.get(_ENV)
    if not spec:
        return
    mode, cpus, python = spec.split(":")
    compute = [int(c) for c in cpus.split(",")]
    os.sched_setaffinity(0, compute)
    _pinned.update(threads=len(compute), mode=mode, cpus=compute,
                   python=int(python) if python else None)  # fmt: skip


def release_python_thread() -> None:
    """After jax is imported: make XLA create its CPU thread pool on the pinned CPUs, then move
    this (the Python) thread to its own CPU (``compute`` mode only)."""
    if _pinned.get("python") is None:
        return
    import jax
    import jax.numpy as jnp

    jax.jit(lambda a: a @ a)(jnp.ones((64, 64))).block_until_ready()
    os.sched_setaffinity(0, [_pinned["python"]])


def set_torch_threads(torch) -> None:
    if torch is not None and _pinned:
        torch.set_num_threads(_pinned["threads"])


def threads_line(torch) -> str:
    torch_threads = torch.get_num_threads() if torch is not None else "-"
    if not _pinned:
        cpus = sorted(os.sched_getaffinity(0))
        return f"# threads: not pinned (CPUs {cpus}); torch.get_num_threads() = {torch_threads}"
    cpus = ",".join(map(str, _pinned["cpus"]))
    if _pinned["mode"] == "compute":
        return (
            f"# threads: {_pinned['threads']} compute thread(s) per framework: XLA's pool on "
            f"CPU(s) {cpus}, the Python thread (where torch computes, torch.get_num_threads() = "
            f"{torch_threads}) on CPU {_pinned['python']}; --one-cpu puts everything on one CPU"
        )
    return (
        f"# threads: {_pinned['threads']}: the whole process (Python included) pinned to CPU(s) "
        f"{cpus} with os.sched_setaffinity before importing jax; torch.get_num_threads() = "
        f"{torch_threads}"
    )
