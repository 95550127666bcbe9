"""Each seed example prints, through ``torchlike run``, exactly what it prints on real PyTorch.

Both runs are subprocesses of the same wrapper: it applies ``tests/_seed_prelude.py`` (the same
random draws on both sides), then runs the example as ``__main__``. Only what legitimately
differs is normalised: memory addresses, ``id()`` / ``data_ptr()`` integers, and file paths.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("seed_*.py"))

WRAPPER = """
import runpy, sys
sys.path.insert(0, {tests!r})
import torch
sys.stderr.write("backend=" + torch.__name__ + "\\n")
import _seed_prelude
_seed_prelude.apply(torch)
sys.argv = [{example!r}]
runpy.run_path({example!r}, run_name="__main__")
"""


def _normalise(text: str) -> str:
    text = re.sub(r"0x[0-9a-fA-F]+", "0x?", text)
    text = re.sub(r"(?m)^\d{6,}$", "<int>", text)  # id() and data_ptr() lines
    return text.replace(str(ROOT), "<root>")


def _run(example: Path, tmp_path: Path, use_torchlike: bool) -> subprocess.CompletedProcess:
    wrapper = tmp_path / f"run_{example.stem}.py"
    wrapper.write_text(WRAPPER.format(tests=str(ROOT / "tests"), example=str(example)))
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(ROOT))
    env.pop("DISPLAY", None)
    cmd = [sys.executable, *(["-m", "torchlike"] if use_torchlike else []), str(wrapper)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=300)  # fmt: skip


def _data_ptr_lines(out: str) -> list[str]:
    return re.findall(r"(?m)^\d{6,}$", out)


@pytest.fixture(scope="module")
def torch_available():
    if importlib.util.find_spec("torch") is None:
        pytest.skip("real torch is not installed (reference runs need it)")


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_prints_what_torch_prints(example, tmp_path, torch_available):
    ref = _run(example, tmp_path, use_torchlike=False)
    assert ref.returncode == 0, ref.stderr
    assert "backend=torch\n" in ref.stderr
    got = _run(example, tmp_path, use_torchlike=True)
    assert got.returncode == 0 and "Traceback" not in got.stderr, got.stderr
    assert "backend=torchlike\n" in got.stderr
    assert _normalise(got.stdout) == _normalise(ref.stdout)
    if "data_vs_detach" in example.name:
        # id(x), id(y), then the two data_ptr() values: the storages must be the same one.
        ids = _data_ptr_lines(got.stdout)
        assert len(ids) == 4 and ids[2] == ids[3] and ids[0] != ids[1]


def test_seed_004_saves_its_plot(tmp_path, torch_available):
    example = next(p for p in EXAMPLES if p.name.startswith("seed_004"))
    png = example.with_name("seed_004_sin_grad.png")
    png.unlink(missing_ok=True)
    got = _run(example, tmp_path, use_torchlike=True)
    assert got.returncode == 0, got.stderr
    assert png.exists() and png.stat().st_size > 1000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
