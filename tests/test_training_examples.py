"""The training examples (issue 4) run under `torchlike run` in quick mode: they exit cleanly,
their loss goes down from the first epoch to the last, and they save their loss plot."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests._ci import ci_sample

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCRIPTS = sorted(p.name for p in EXAMPLES.glob("train_*.py"))
_LOSS = re.compile(r"epoch (\d+)[:,] loss ([0-9.]+)")


@pytest.mark.parametrize("script", ci_sample(SCRIPTS, 2))  # all in nox -s slow / examples
def test_training_example_runs_and_learns(script, tmp_path):
    pytest.importorskip("tqdm")
    pytest.importorskip("matplotlib")
    env = dict(os.environ, TORCHLIKE_EXAMPLES_QUICK="1", MPLBACKEND="Agg")
    proc = subprocess.run(
        [sys.executable, "-m", "torchlike", "run", str(EXAMPLES / script)],
        capture_output=True, text=True, env=env, timeout=600, cwd=EXAMPLES,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    runs: dict[str, list[float]] = {}
    for line in proc.stdout.splitlines():
        m = _LOSS.search(line)
        if m:
            runs.setdefault(line.split("epoch")[0].strip(), []).append(float(m.group(2)))
    assert runs, proc.stdout[-2000:]
    for name, losses in runs.items():
        assert len(losses) == 2, (name, losses)
        assert losses[-1] < losses[0], (name, losses)
    saved = re.findall(r"saved (\S+\.png)", proc.stdout)
    assert saved and all((EXAMPLES / "output" / f).is_file() for f in saved)
