"""The package's layers point one way: a module imports only modules of its own layer or of
lower ones — at the top of the file or inside a function alike (read from the source, so a lazy
import cannot hide an upward arrow). Upward imports that still exist are listed in ``UPWARD``
with the reason each has not been moved yet; the list may only shrink: a new upward import fails,
and so does a listed one that is gone (remove it from the list).

A second test imports the layers in order in a fresh interpreter, with the package's
``__init__`` held back, and fails when a lower layer's import loads a higher one."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "torchlike"

# Lowest first. A module belongs to the layer of its longest matching prefix.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("_dtype", "_device", "_storage", "_logging", "_warn_once", "_tracing", "return_types",
              "utils.hooks", "cuda", "backends", "_alias", "_mt19937", "_grad_state")),
    ("ops", ("_view", "_ops")),
    ("tensor", ("_tensor",)),
    ("graph", ("autograd.grad_mode", "autograd.graph", "autograd.anomaly_mode")),
    ("dispatch", ("_dispatch",)),
    ("engine", ("autograd.engine", "autograd.fusion", "autograd.forward_ad")),
    ("functions", ("_creation", "_random", "_functions")),
    ("printing", ("_tensor_str",)),
    ("autograd api", ("autograd",)),
    ("libraries", ("nn", "optim", "utils", "distributions", "func", "linalg", "fft", "special",
                   "serialization", "random")),
    ("compile", ("_compile", "_compile_state")),
    ("package", ("", "_cli", "__main__")),
]  # fmt: skip

# (importer, imported): why it is still there. May only shrink.
UPWARD: dict[tuple[str, str], str] = {}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _layer(name: str) -> int:
    best, best_len = None, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            if (name == p or name.startswith(p + ".") or p == "") and len(p) > best_len:
                best, best_len = i, len(p)
    return best


def _imports(path: Path, name: str, is_pkg: bool):
    """Every torchlike module ``path`` imports (any nesting), as names relative to the package."""
    modules = {_module_name(p) for p in ROOT.rglob("*.py")}
    for node in ast.walk(ast.parse(path.read_text())):
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names if a.name.split(".")[0] == "torchlike"]
            targets = [t.partition(".")[2] for t in targets]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if name else []
                if not is_pkg:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            elif node.module and node.module.split(".")[0] == "torchlike":
                target = node.module.partition(".")[2]
            else:
                continue
            targets = [f"{target}.{a.name}".lstrip(".") if f"{target}.{a.name}".lstrip(".")
                       in modules else target for a in node.names]  # fmt: skip
        for t in targets:
            while t and t not in modules:
                t = t.rpartition(".")[0]
            if t != name:
                yield t


def upward_imports() -> dict[tuple[str, str], tuple[str, str]]:
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        name = _module_name(path)
        mine = _layer(name)
        for target in _imports(path, name, path.name == "__init__.py"):
            theirs = _layer(target)
            if theirs > mine:
                found[(name, target)] = (LAYERS[mine][0], LAYERS[theirs][0])
    return found


def test_no_new_upward_import():
    found = upward_imports()
    new = {k: v for k, v in found.items() if k not in UPWARD}
    gone = [k for k in UPWARD if k not in found]
    assert not new, "imports from a lower layer into a higher one:\n" + "\n".join(
        f"  {a or 'torchlike'} ({la}) -> {b or 'torchlike'} ({lb})" for (a, b), (la, lb) in
        sorted(new.items()))  # fmt: skip
    assert not gone, f"no longer upward, remove from UPWARD: {gone}"


@pytest.mark.parametrize("layer", range(len(LAYERS) - 1), ids=[n for n, _ in LAYERS[:-1]])
def test_layers_import_in_order(layer):
    """A fresh interpreter imports every module of each layer up to ``layer``, lowest layer
    first. Every package's ``__init__`` is held back (a bare package module stands in) until
    the package's own layer comes up, so importing ``utils.hooks`` does not run ``utils``'s
    ``__init__``. After each import, no module of a layer above ``layer`` may have been loaded
    unless ``UPWARD`` explains it. This is the import-time graph; the static test above also
    reads imports inside functions."""
    paths = {_module_name(p): p for p in ROOT.rglob("*.py")}
    order = sorted((n for n in paths if n and _layer(n) <= layer), key=_layer)
    packages = sorted(n for n, p in paths.items() if n and p.name == "__init__.py")
    higher = sorted(n for n in paths if n and _layer(n) > layer)
    explained = sorted({b for (_, b) in UPWARD if b})
    code = f"""
import importlib, sys, types
def stub(name, path):
    m = types.ModuleType(name)
    m.__path__ = [path]
    m._held_back = True
    sys.modules[name] = m
stub("torchlike", {str(ROOT)!r})
for p in {packages!r}:
    stub("torchlike." + p, {str(ROOT)!r} + "/" + p.replace(".", "/"))
higher = {higher!r}
explained = {explained!r}
bad = set()
package_layer = {{p: l for p, l in {[(p, _layer(p)) for p in packages]!r}}}
current = None
for n, lay in {[(n, _layer(n)) for n in order]!r}:
    if lay != current:  # this layer's packages become real (imported on demand)
        current = lay
        for p, pl in package_layer.items():
            if pl == lay and getattr(sys.modules.get("torchlike." + p), "_held_back", False):
                del sys.modules["torchlike." + p]
    importlib.import_module("torchlike." + n)
    for h in higher:
        m = sys.modules.get("torchlike." + h)
        if m is not None and not getattr(m, "_held_back", False) and not any(
                h == e or h.startswith(e + ".") for e in explained):
            bad.add((n, h))
print(sorted(bad))
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip() == "[]", (
        f"importing layers <= {LAYERS[layer][0]!r} loaded higher modules (importer, loaded): "
        f"{run.stdout}"
    )
