"""Thread pinning shared by every benchmark; must run before jax (or torch) is imported.

XLA's CPU client ignores ``--xla_cpu_multi_thread_eigen=false`` and
``intra_op_parallelism_threads`` in jax 0.10 (measured: a jitted 2048x2048 matmul kept
cpu/wall ~1.95 on 2 cores with those flags), but it sizes its thread pool from the CPUs the
process may run on. So the process is pinned to ``threads`` CPUs with ``os.sched_setaffinity``
(subprocesses inherit it), and torch gets ``torch.set_num_threads(threads)`` as well.
"""

from __future__ import annotations

import os
import sys

_pinned: dict = {}


def pin_threads(threads: int) -> None:
    """Let this process (and its children) run on ``threads`` CPUs only."""
    if "jax" in sys.modules:
        raise RuntimeError("pin_threads() must run before jax is imported")
    allowed = sorted(os.sched_getaffinity(0))
    if threads > len(allowed):
        raise ValueError(f"--threads {threads}: only {len(allowed)} CPUs available")
    os.sched_setaffinity(0, allowed[:threads])
    _pinned.update(threads=threads, cpus=allowed[:threads])


def set_torch_threads(torch) -> None:
    if torch is not None and _pinned:
        torch.set_num_threads(_pinned["threads"])


def threads_line(torch) -> str:
    cpus = sorted(os.sched_getaffinity(0))
    torch_threads = torch.get_num_threads() if torch is not None else "-"
    return (
        f"# threads: {len(cpus)} (process pinned to CPU(s) {','.join(map(str, cpus))} with "
        f"os.sched_setaffinity before importing jax, so XLA sizes its pool to it; "
        f"torch.get_num_threads() = {torch_threads})"
    )
