"""Tensor printing that reproduces ``repr(torch.Tensor)`` character for character.

The formatting works on numpy arrays: ``tensor_repr`` gets the tensor's values and dtype and
returns the string PyTorch would print, honouring the process-global print options set with
``set_printoptions`` (precision, summarization threshold, edge items, line width, sci mode).
"""

from __future__ import annotations

import contextlib
import math
from typing import Any, Self

import numpy as np

from . import _grad_state
from ._dtype import get_default_dtype
from ._tensor import Tensor

__all__ = ["get_printoptions", "printoptions", "set_printoptions", "tensor_repr"]


class _PrintOptions:
    """The current print options (process-global, as in PyTorch)."""

    __slots__ = ("edgeitems", "linewidth", "precision", "sci_mode", "threshold")

    def __init__(self) -> None:
        self.precision = 4
        self.threshold: float = 1000
        self.edgeitems = 3
        self.linewidth = 80
        self.sci_mode: bool | None = None


PRINT_OPTS = _PrintOptions()
_OPTION_NAMES = ("precision", "threshold", "edgeitems", "linewidth", "sci_mode")  # torch's order

_PROFILES = {
    "default": (4, 1000, 3, 80),
    "short": (2, 1000, 2, 80),
    "full": (4, math.inf, 3, 80),
}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None) -> None:  # fmt: skip
    """Set the options for printing tensors, as ``torch.set_printoptions``.

    ``profile`` ('default', 'short' or 'full') resets the four numeric options first; the other
    arguments then override it. ``sci_mode`` is always assigned, so leaving it out resets it to
    automatic (None), exactly like PyTorch.
    """
    if profile in _PROFILES:
        (PRINT_OPTS.precision, PRINT_OPTS.threshold,
         PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth) = _PROFILES[profile]  # fmt: skip
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """The current print options as a dict that can be passed back to ``set_printoptions``."""
    return {name: getattr(PRINT_OPTS, name) for name in _OPTION_NAMES}


class printoptions(contextlib.ContextDecorator):
    """Context manager (and decorator) that temporarily changes the print options.

    Accepts the same keyword arguments as ``set_printoptions``.
    """

    def __init__(self, **kwargs: Any) -> None:
        self._kwargs = kwargs
        self._saved: list[dict[str, Any]] = []  # a stack, so nested/reused entries restore

    def __enter__(self) -> Self:
        self._saved.append(get_printoptions())
        set_printoptions(**self._kwargs)
        return self

    def __exit__(self, *exc: object) -> None:
        set_printoptions(**self._saved.pop())


class _Formatter:
    """Chooses a common width and notation for a set of values (PyTorch's ``_Formatter``)."""

    def __init__(self, values: np.ndarray, floating: bool) -> None:
        self.floating = floating
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        flat = values.reshape(-1)
        if not floating:
            # Each distinct value prints the same, so measuring the distinct ones is enough.
            for v in np.unique(flat).tolist():
                self.max_width = max(self.max_width, len(str(v)))
            return
        finite = flat[np.isfinite(flat) & (flat != 0)]
        if finite.size == 0:
            return
        magnitude = np.abs(finite)
        lo, hi = float(magnitude.min()), float(magnitude.max())
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        if PRINT_OPTS.sci_mode is None:
            self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
        else:
            self.sci_mode = PRINT_OPTS.sci_mode
        prec = PRINT_OPTS.precision
        distinct = np.unique(finite).tolist()
        if self.sci_mode:
            widths = (len(f"{v:.{prec}e}") for v in distinct)
        elif self.int_mode:
            # One extra column for the trailing "." that marks a float.
            widths = (len(f"{v:.0f}") + 1 for v in distinct)
        else:
            widths = (len(f"{v:.{prec}f}") for v in distinct)
        self.max_width = max(self.max_width, *widths)

    def format(self, value) -> str:
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.max_width}.{PRINT_OPTS.precision}e}"
        elif self.int_mode:
            text = f"{value:.0f}"
            if math.isfinite(value):
                text += "."
        else:
            text = f"{value:.{PRINT_OPTS.precision}f}"
        return text.rjust(self.max_width)


class _Printer:
    """Formats the elements of one tensor: one formatter, or a real and an imaginary one."""

    def __init__(self, data: np.ndarray, complex_: bool, floating: bool, summarize: bool):
        sample = _summarized(data) if summarize else data
        if complex_:
            self.real = _Formatter(sample.real, True)
            self.imag: _Formatter | None = _Formatter(sample.imag, True)
        else:
            self.real = _Formatter(sample, floating)
            self.imag = None
        self.summarize = summarize

    def element_width(self) -> int:
        # The width counts the ", " separating elements, and for complex the trailing "j".
        width = self.real.max_width + 2
        if self.imag is not None:
            width += self.imag.max_width + 1
        return width

    def element(self, value) -> str:
        if self.imag is None:
            return self.real.format(value)
        real = self.real.format(value.real)
        imag = (self.imag.format(value.imag) + "j").lstrip()
        # The imaginary part carries its own sign when negative (or "-0", "-inf", "-nan").
        return real + imag if imag[0] in "+-" else real + "+" + imag

    def vector(self, row: np.ndarray, indent: int) -> str:
        edge = PRINT_OPTS.edgeitems
        if self.summarize and not edge:
            items = ["..."]
        elif self.summarize and row.shape[0] > 2 * edge:
            items = ([self.element(v) for v in row[:edge].tolist()] + [" ..."]
                     + [self.element(v) for v in row[-edge:].tolist()])  # fmt: skip
        else:
            items = [self.element(v) for v in row.tolist()]
        per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / self.element_width()))
        lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"

    def block(self, data: np.ndarray, indent: int) -> str:
        if data.ndim == 0:
            return self.element(data.item())
        if data.ndim == 1:
            return self.vector(data, indent)
        edge = PRINT_OPTS.edgeitems
        n = data.shape[0]
        if self.summarize and n > 2 * edge:
            parts = ([self.block(data[i], indent + 1) for i in range(edge)] + ["..."]
                     + [self.block(data[i], indent + 1) for i in range(n - edge, n)])  # fmt: skip
        else:
            parts = [self.block(data[i], indent + 1) for i in range(n)]
        # Blocks of a k-dim tensor are separated by k - 2 blank lines.
        return "[" + ("," + "\n" * (data.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def _summarized(data: np.ndarray) -> np.ndarray:
    """The elements a summarized print shows, which alone decide the formatting."""
    edge = PRINT_OPTS.edgeitems
    if data.ndim == 0:
        return data
    if data.ndim == 1:
        if data.shape[0] > 2 * edge:
            # With edgeitems=0 PyTorch's ``t[-0:]`` is the whole row; keep that quirk.
            return np.concatenate((data[:edge], data[-edge:]))
        return data
    if not edge:
        return data[(slice(0, 0),) * data.ndim]
    n = data.shape[0]
    rows = list(range(edge)) + list(range(n - edge, n)) if n > 2 * edge else range(n)
    return np.stack([_summarized(data[i]) for i in rows])


def _as_print_array(values, dtype) -> np.ndarray:
    """The values as an array whose ``tolist`` gives the Python numbers PyTorch formats."""
    arr = np.asarray(values)
    target = getattr(dtype, "_np", None)
    if target is not None and arr.dtype != target:
        arr = arr.astype(target)  # round to the tensor's precision, e.g. bfloat16
    if dtype.is_complex:
        return arr.astype(np.complex128)
    if dtype.is_floating_point:
        return arr.astype(np.float64)
    return arr


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    # PyTorch measures the last line one character longer than it is; mirrored on purpose.
    last_line_len = len(text) - text.rfind("\n") + 1
    out = [text]
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            out.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            out.append(", " + suffix)
            last_line_len += len(suffix) + 2
    out.append(")")
    return "".join(out)


def tensor_repr(values: np.ndarray, dtype, *, device: str | None = None,
                requires_grad: bool = False, grad_fn_name: str | None = None,
                is_parameter: bool = False, tangent: str | None = None) -> str:  # fmt: skip
    """What ``repr`` of a PyTorch tensor with these values, dtype and flags returns.

    ``values`` holds the data (bfloat16 data may come as float32 holding bfloat16 values);
    ``device`` None or 'cpu' is the default device and adds no suffix.
    """
    arr = _as_print_array(values, dtype)
    prefix = "tensor("
    indent = len(prefix)
    suffixes = []
    if device is not None and str(device).split(":")[0] != "cpu":
        suffixes.append(f"device='{device}'")

    default = get_default_dtype()
    default_complex = "complex128" if default._name == "float64" else "complex64"
    name = dtype._name
    if arr.size == 0:
        # Empty tensors show the shape unless it is (0,), and any non-default dtype: with no
        # elements, nothing else would tell an int64 tensor from a float one.
        if arr.ndim != 1:
            suffixes.append(f"size={tuple(arr.shape)}")
        if name != default._name:
            suffixes.append(f"dtype={dtype!r}")
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append(f"size={tuple(arr.shape)}")
        if name not in (default._name, default_complex, "int64", "bool"):
            suffixes.append(f"dtype={dtype!r}")
        summarize = arr.size > PRINT_OPTS.threshold
        printer = _Printer(arr, dtype.is_complex, dtype.is_floating_point, summarize)
        body = printer.block(arr, indent)

    if grad_fn_name is not None:
        suffixes.append(f"grad_fn=<{grad_fn_name}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")
    if tangent is not None:
        suffixes.append(f"tangent={tangent}")

    text = _add_suffixes(prefix + body, suffixes, indent)
    if is_parameter:
        text = "Parameter containing:\n" + text
    return text


def _tensor_repr(self: Tensor) -> str:
    node = self._node
    tangent = None
    if _grad_state.tangents:
        from .autograd.forward_ad import _tangent

        tangent = _tangent(self)
    return tensor_repr(
        self._numpy_for_print(), self._dtype, device=str(self.device),
        requires_grad=self.requires_grad, grad_fn_name=None if node is None else node.name(),
        tangent=None if tangent is None else repr(tangent),
    )  # fmt: skip


# NOTE: printing sits above Tensor, so it installs Tensor's repr (and str) when imported.
Tensor.__repr__ = Tensor.__str__ = _tensor_repr
