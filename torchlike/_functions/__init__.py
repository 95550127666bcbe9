"""The public op functions (``torchlike.add``, ``Tensor.sum``, ``x + y``...), by family: argument
handling in PyTorch's signatures, then one call into the op table.

Each function declares its own surface where it is defined (see ``_surface``)::

    @public(method=True, inplace=True, out=True, aliases=("arctan2",))
    def atan2(input, other):
        return call(T["atan2"], _arg(input), _arg(other))

Adding an op ``hypot`` is three lines in three places:

1. the op-table entry: a pure jax function, its grad_fn name and dtype rule
   (``torchlike/_ops/<family>.py``, schema at the top of ``_ops/_registry.py``);
2. one declaration in the family module here: ``@public(...)`` on ``def hypot``, or a one-line
   generated one (``hypot = _binary("hypot", **_ALL)`` in ``pointwise.py``). ``out=``, the
   in-place ``Tensor.hypot_`` and the aliases come from the declaration, never from code of
   the function's own; declare ``out=True`` exactly when ``torch.hypot`` takes ``out=``;
3. one test-case line in ``tests/_op_cases.py`` (values, gradients, dtypes, errors against
   torch).

``torchlike``'s namespace is ``TORCH`` (every ``function=True`` declaration); Python's operators
on Tensor are in ``operators.py``.
"""

from __future__ import annotations

# NOTE: importing a family declares its functions; ``operators`` imports the families it binds.
from . import (
    combine,
    complex_numbers,
    conversion,
    copies,
    fft,
    indexing,
    inplace,
    linalg,
    native,
    nn_ops,
    numeric,
    operators,
    padding,
    pointwise,
    reduction,
    runtime,
    shape,
    special,
)
from ._surface import TORCH
from .inplace import copy_, fill_, zero_, zero_grads  # method-only names used inside torchlike

globals().update(TORCH)
__all__ = sorted(TORCH)
