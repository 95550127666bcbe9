"""The package's layers point one way: a module imports only modules of its own layer or of
lower ones — at the top of the file or inside a function alike (read from the source, so a lazy
import cannot hide an upward arrow). Upward imports that still exist are listed in ``UPWARD``
with the reason each has not been moved yet; the list may only shrink: a new upward import fails,
and so does a listed one that is gone (remove it from the list).

(A run-time check cannot see layers: importing any submodule first runs the package's
``__init__``, which loads everything.)"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "torchlike"

# Lowest first. A module belongs to the layer of its longest matching prefix.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("_dtype", "_device", "_storage", "_logging", "_tracing", "return_types",
              "utils.hooks", "cuda", "backends", "_alias")),
    ("ops", ("_view", "_ops")),
    ("tensor", ("_tensor",)),
    ("graph", ("autograd.grad_mode", "autograd.graph")),
    ("dispatch", ("_dispatch",)),
    ("engine", ("autograd.engine", "autograd.fusion")),
    ("functions", ("_creation", "_functions")),
    ("printing", ("_tensor_str",)),
    ("autograd api", ("autograd",)),
    ("libraries", ("nn", "optim", "utils", "distributions", "func", "linalg", "fft", "special",
                   "serialization")),
    ("compile", ("_compile", "_compile_state")),
    ("package", ("", "_cli", "__main__")),
]  # fmt: skip

# (importer, imported): why it is still there. May only shrink.
UPWARD: dict[tuple[str, str], str] = {
    ("_functions.fft", "nn.functional"): "stft's centre padding calls F.pad (reflect/circular "
    "padding lives with the nn layer ops); move pad's modes into _functions",
    ("_functions.numeric", "nn.functional"): "constant_pad_nd delegates to F.pad (same move)",
    ("_functions.numeric", "linalg"): "nuclear_norm/frobenius_norm call linalg.matrix_norm; "
    "the linalg functions should live in _functions.linalg with the package re-exporting them",
    ("_functions.runtime", ""): "set_default_tensor_type calls torchlike.set_default_dtype",
    ("_functions.runtime", "func"): "torch.vmap is func.vmap; func should sit below _functions",
    ("_tensor", "_creation"): "legacy Tensor(*sizes)/Tensor(data) construction and "
    "__reduce_ex__'s rebuild; _creation should install them on Tensor",
    ("_tensor", "_tensor_str"): "Tensor.__repr__; _tensor_str should install it",
    ("autograd.function", ""): "Function.apply wraps outputs with torchlike.tensor",
    ("autograd.functional", ""): "jacobian/hessian/vjp build tensors through the top package",
    ("autograd.gradcheck", ""): "gradcheck builds perturbed inputs through the top package",
    ("distributions.bernoulli", ""): "distributions call torch-level ops through the package",
    ("distributions.categorical", ""): "as above",
    ("distributions.distribution", ""): "as above",
    ("distributions.multinomial", ""): "as above",
    ("distributions.normal", ""): "as above",
    ("distributions.uniform", ""): "as above",
    ("distributions.utils", ""): "as above",
}


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
