"""``python -m benchmarks --quick`` runs every workload W1-W7 and prints a well-formed table.

Not a timed test: it checks that the suite runs end to end (tiny sizes) and that every number it
prints is a finite positive time, so the full ``nox -s bench`` run cannot silently rot."""

from __future__ import annotations

import importlib.util
import math
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKLOADS = ["W1", "W2", "W3", "W4", "W5", "W6", "W7"]
# cells that must hold a number in every run (torch's only when torch is installed)
REQUIRED = {
    "W1": ["torchlike eager", "torchlike compiled", "jax eager", "jax.jit", "torch eager"],
    "W2": ["torchlike eager", "torchlike compiled", "jax eager", "jax.jit", "torch eager"],
    "W3": ["torchlike eager", "jax eager", "torch eager"],
    "W4": ["torchlike compiled", "jax.jit"],
    "W5": ["torchlike eager", "torchlike compiled", "jax eager", "jax.jit", "torch eager"],
    "W6": ["torchlike eager", "jax eager", "torch eager"],
    "W7": ["torchlike eager", "jax eager", "jax.jit", "torch eager"],
}


@pytest.mark.slow  # a whole benchmark run; nox -s slow (and nox -s bench)
def test_quick_run_prints_every_workload_with_positive_times():
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert any(line.startswith("# threads: 1 ") for line in lines), proc.stdout[:2000]
    header = next(line for line in lines if line.startswith("| workload"))
    columns = [c.strip() for c in header.strip("|").split("|")]
    rows = {}
    for line in lines:
        if line.startswith("| W"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            assert len(cells) == len(columns), line
            rows[cells[0].split()[0]] = dict(zip(columns, cells, strict=True))
    assert sorted(rows) == WORKLOADS

    has_torch = importlib.util.find_spec("torch") is not None
    for key, row in rows.items():
        numbers = []
        for text in row.values():
            try:
                numbers.append(float(text))
            except ValueError:
                continue
        assert numbers and all(math.isfinite(v) and v > 0 for v in numbers), row
        for column in REQUIRED[key]:
            if column == "torch eager" and not has_torch:
                continue
            value = float(row[column])  # raises if the cell is an error or "-"
            assert math.isfinite(value) and value > 0, (key, column, value)
    assert "W6: torchlike live XLA arrays" in proc.stdout
