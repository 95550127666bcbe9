"""Seeded examples print PyTorch's digits: each runs on real torch (``python script``) and under
``torchlike run``, and the outputs match once addresses and ``id()`` values are masked. The
seeded tutorials run in CI; the training examples (quick mode) in ``nox -s slow``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .test_examples import normalise

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TUTORIALS = sorted(p.name for p in EXAMPLES.glob("seeded_*.py"))
TRAINING = ["train_01_linear_regression.py", "train_02_softmax_mlp.py"]


def _output(script: str, use_torchlike: bool) -> str:
    env = dict(os.environ, TORCHLIKE_EXAMPLES_QUICK="1", MPLBACKEND="Agg")
    cmd = [sys.executable, *(["-m", "torchlike", "run"] if use_torchlike else []), script]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600,
                          cwd=EXAMPLES)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return normalise(proc.stdout)


@pytest.mark.parametrize("script", [
    *TUTORIALS, *(pytest.param(s, marks=pytest.mark.slow) for s in TRAINING),
])  # fmt: skip
def test_seeded_example_prints_torchs_output(script):
    pytest.importorskip("torch")
    if script.startswith("train_"):
        pytest.importorskip("tqdm")
        pytest.importorskip("matplotlib")
    assert _output(script, use_torchlike=True) == _output(script, use_torchlike=False)
