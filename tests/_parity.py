"""Run one snippet of PyTorch code against real torch and against torchlike, and compare what
it prints (values, dtypes, grad_fn names, warnings, exception types and messages), or, for one
expression, the result's shape or the exception it raises."""

from __future__ import annotations

import contextlib
import io
import re
import textwrap
import traceback
import warnings

import pytest

_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
# C++-side warnings in torch end with where they were raised; that location is not behaviour.
_TRIGGERED = re.compile(r" \(Triggered internally at [^)]*\)")


def run(lib, code: str) -> str:
    """Execute ``code`` with ``torch`` bound to ``lib``; return its printed output, each warning
    as ``Warning: <text>``, and a final exception as ``Type: message``. Snippets reach
    submodules as attributes (``F = torch.nn.functional``): an ``import torch...`` statement
    inside would find real torch in ``sys.modules``."""
    out = io.StringIO()
    env = {"torch": lib, "__name__": "__snippet__"}
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out):
        warnings.simplefilter("always")
        try:
            exec(textwrap.dedent(code), env)
        except Exception as e:
            print(f"{type(e).__name__}: {e}")
            if not isinstance(e, (RuntimeError, TypeError, ValueError, IndexError)):
                traceback.print_exc(file=out)
    for w in caught:
        if issubclass(w.category, DeprecationWarning):
            continue  # e.g. torch's own NumPy 2 deprecation notices: not behaviour we copy
        if (
            "torch" in str(w.filename)
            or "torchlike" in str(w.filename)
            or "snippet" in str(w.filename)
            or w.filename == "<string>"
        ):
            out.write(f"Warning: {w.message}\n")
    return _TRIGGERED.sub("", _ADDRESS.sub("0x?", out.getvalue()))


def assert_same(code: str) -> str:
    """Fail unless torchlike prints exactly what torch prints for ``code``."""
    torch = pytest.importorskip("torch")
    import torchlike

    expected = run(torch, code)
    got = run(torchlike, code)
    assert got == expected, f"\n--- torch ---\n{expected}\n--- torchlike ---\n{got}"
    return got


def shape_or_error(lib, expr: str, name: str = "m"):
    """Evaluate ``expr`` with ``name`` bound to ``lib``: the result's shape as a tuple, or the
    exception as ``(type name, first message line)``."""
    try:
        return tuple(eval(expr, {name: lib}).shape)
    except Exception as e:  # compared with torch's by the caller
        return type(e).__name__, (str(e).splitlines() or [""])[0]


def assert_same_shape_or_error(expr: str, name: str = "m"):
    """Fail unless ``expr`` gives torchlike the result shape, or the exception type and first
    message line, that it gives torch."""
    torch = pytest.importorskip("torch")
    import torchlike

    expected = shape_or_error(torch, expr, name)
    got = shape_or_error(torchlike, expr, name)
    assert got == expected, f"{expr}\n--- torch ---\n{expected}\n--- torchlike ---\n{got}"


def grad_fn_names(fn) -> list:
    """Every node name reachable from ``fn`` through ``next_functions`` (iteratively, depth
    first, None for an absent edge): the graph torch and torchlike record, to compare."""
    names, stack = [], [fn]
    while stack:
        f = stack.pop()
        names.append(None if f is None else f.name())
        if f is not None:
            stack.extend(g for g, _ in reversed(f.next_functions))
    return names
