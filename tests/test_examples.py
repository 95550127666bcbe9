"""Each seed example prints, under torchlike, exactly what it prints on real PyTorch.

Both runs are subprocesses of the same generated wrapper: it applies ``tests/_seed_prelude.py``
(the same random draws on both sides), then runs the example as ``__main__``. The reference run
is ``python wrapper.py`` (real torch); the torchlike run is ``python -m torchlike wrapper.py``
with the repository on ``PYTHONPATH``, so ``import torch`` resolves to torchlike. Only what
legitimately differs is normalised (see ``normalise``).
"""

from __future__ import annotations

import difflib
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
EXAMPLES = sorted((ROOT / "examples").glob("seed_*.py"))
TIMEOUT = 300

WRAPPER = """\
import runpy, sys
sys.path.insert(0, {tests!r})
import torch
sys.stderr.write("backend=" + torch.__name__ + "\\n")
import _seed_prelude
_seed_prelude.apply(torch)
sys.argv = [{example!r}]
runpy.run_path({example!r}, run_name="__main__")
"""

_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_BIG_INT_LINE = re.compile(r"(?m)^\d{6,}$")  # a line that is only id() / data_ptr()
_TB_FRAME = re.compile(r'File "[^"]*", line \d+')
_QUALIFIED_EXC = re.compile(r"(?m)^torch(?:like)?(?:\.\w+)*\.(\w+(?:Error|Exception|Warning)\b)")


def normalise(text: str) -> str:
    """Mask what legitimately differs between the two runs; everything else must match."""
    text = _ADDRESS.sub("0x?", text)
    text = _BIG_INT_LINE.sub("<int>", text)
    text = _TB_FRAME.sub('File "<file>", line <n>', text)
    text = _QUALIFIED_EXC.sub(r"\1", text)
    return text.replace(str(ROOT), "<root>")


def _big_int_lines(out: str) -> list[str]:
    return _BIG_INT_LINE.findall(out)


def _run(example: Path, tmp_path: Path, use_torchlike: bool) -> subprocess.CompletedProcess:
    """Run ``example`` through the wrapper on real torch or on torchlike."""
    wrapper = tmp_path / f"run_{example.stem}.py"
    wrapper.write_text(WRAPPER.format(tests=str(TESTS), example=str(example)))
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONIOENCODING="utf-8")
    env.pop("DISPLAY", None)
    cmd = [sys.executable, str(wrapper)]
    if use_torchlike:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        cmd[1:1] = ["-m", "torchlike"]
    return subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", env=env,
                          cwd=tmp_path, timeout=TIMEOUT)  # fmt: skip


def _check_same_storage(out: str, who: str) -> None:
    """Seed 002 prints id(x), id(y), then x's and y's data_ptr(): two objects, one storage."""
    ids = _big_int_lines(out)
    assert len(ids) == 4, f"{who}: expected 4 id/data_ptr lines, got {ids}"
    assert ids[0] != ids[1], f"{who}: x and y.detach() should be different objects"
    assert ids[2] == ids[3], f"{who}: x and y.detach() should share one storage"


@pytest.fixture(scope="module")
def torch_available() -> None:
    """Skip cleanly when real torch (needed by the reference subprocess) is not installed."""
    if importlib.util.find_spec("torch") is None:
        pytest.skip("real torch is not installed (the reference runs need it)")


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_prints_what_torch_prints(example, tmp_path, torch_available):
    """Same stdout (after ``normalise``) on real torch and on torchlike; torchlike exits 0."""
    ref = _run(example, tmp_path, use_torchlike=False)
    assert ref.returncode == 0, ref.stderr
    assert "backend=torch\n" in ref.stderr
    got = _run(example, tmp_path, use_torchlike=True)
    assert got.returncode == 0, got.stderr
    assert "Traceback" not in got.stderr, got.stderr
    assert "backend=torchlike\n" in got.stderr
    want, have = normalise(ref.stdout), normalise(got.stdout)
    diff = "".join(difflib.unified_diff(want.splitlines(True), have.splitlines(True),
                                        "torch", "torchlike"))  # fmt: skip
    assert have == want, f"stdout differs from real torch:\n{diff}"
    if example.name.startswith("seed_002_"):
        _check_same_storage(ref.stdout, "torch")
        _check_same_storage(got.stdout, "torchlike")


@pytest.mark.slow  # the plot is incidental to the printed output the other test compares
def test_seed_004_saves_its_plot(tmp_path, torch_available):
    """Under torchlike, seed 004 writes its sin/cos plot as a PNG next to the script."""
    example = next(p for p in EXAMPLES if p.name.startswith("seed_004_"))
    png = example.with_name("seed_004_sin_grad.png")
    png.unlink(missing_ok=True)
    got = _run(example, tmp_path, use_torchlike=True)
    assert got.returncode == 0, got.stderr
    assert f"saved {png}" in got.stdout.splitlines()
    assert png.exists() and png.stat().st_size > 1000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
