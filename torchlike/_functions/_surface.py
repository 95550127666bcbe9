"""Each public op declares its surface where it is defined, in one decorator:

    @public(method=True, inplace=True, out=True, aliases=("arctan2",))
    def atan2(input, other):
        return call(T["atan2"], _arg(input), _arg(other))

is ``torch.atan2(input, other, *, out=None)``, ``Tensor.atan2``, ``Tensor.atan2_`` and the same
three under the name ``arctan2``. ``out=`` and the in-place variants come from the two shared
wrappers below (``with_out``, ``make_inplace``), never from per-function code; type promotion
comes from the op table entry the function calls. ``grep "def atan2"`` finds all of it.

Options of ``public``:

    function       True: a ``torch.<name>`` function (False for method-only names such as
                   ``Tensor.new_zeros``); or the namespace it belongs to (``"linalg"``, ``"fft"``,
                   ``"special"``), whose package re-exports ``NAMESPACES[ns]``
    method         True: ``Tensor.<name>`` is the function itself; or a callable to use as the
                   method (when the method's signature differs, e.g. ``Tensor.view(*shape)``);
                   ``"property"`` for a read-only property
    inplace        True: ``Tensor.<name>_`` from ``make_inplace``; or a callable to use
    torch_inplace  True: ``torch.<name>_`` too (``torch.relu_``); or the names (of ``name`` and
                   ``aliases``) that have one (``torch.abs_`` but no ``torch.absolute_``)
    identity_when  for the in-place variants: a test of the call's arguments under which they
                   return ``self`` untouched, before the in-place checks (``make_inplace``)
    out            True: the function takes ``out=`` (a tensor, or a tuple for several outputs);
                   or a check ``check(out, *args, **kwargs)`` that raises torch's error for an
                   ``out=`` the op refuses (``amax``'s dtype rule), run before the computation
    aliases        other names with the same surface (``arctan2``)
    name           the public name, when the Python one cannot be it (``Tensor.T`` beside the op
                   table ``T``)

Registries (what ``torchlike``'s namespace and the coverage tests read):
``TORCH`` (name -> function), ``NAMESPACES`` (namespace -> name -> function), ``DECLARED``
(public name -> the declaration: ``"atan2"``, ``"linalg.norm"``, ``"Tensor.view"`` for a
method-only name), and the Tensor attributes set directly on ``Tensor``. ``SLOTS`` records which
function declared each surface slot (``"torch.atan2"``, ``"Tensor.atan2_"``); a slot declared
twice is a defect (tests/test_surface.py), since the later declaration silently wins.
"""

from __future__ import annotations

import builtins
import collections
import functools
import inspect
import warnings

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd import grad_mode
from ..return_types import structseq

__all__ = [
    "public",
    "with_out",
    "make_inplace",
    "write_out",
    "TORCH",
    "NAMESPACES",
    "DECLARED",
    "SLOTS",
]

TORCH: dict[str, object] = {}
NAMESPACES: dict[str, dict[str, object]] = collections.defaultdict(dict)
DECLARED: dict[str, Declaration] = {}
SLOTS: dict[str, list[str]] = collections.defaultdict(list)

Declaration = collections.namedtuple(
    "Declaration", "name function method inplace torch_inplace out aliases"
)


# -- out= -----------------------------------------------------------------------------------------
# ops whose ``out=`` may not be one of their inputs (torch's assert_no_overlap; elementwise ops
# may write into an input)
NO_OVERLAP_OUT = frozenset({"masked_select", "gather", "take", "index_select", "kthvalue", "cat"})
# ops whose ``out=`` must have the result's dtype (no safe cast)
EXACT_DTYPE_OUT = frozenset({"gather", "complex"})


def _exact_dtype_error(name, want, got):
    if name == "complex":
        return (
            f"Expected object of scalar type {D._LEGACY[want]} but got scalar type "
            f"{D._LEGACY[got]} for argument 'out'"
        )
    from .combine import _CPP

    return (
        f"Expected out tensor to have dtype {_CPP.get(want, want._name)}, but got "
        f"{_CPP.get(got, got._name)} instead"
    )


def _flat_tensors(args):
    for a in args:
        if isinstance(a, (list, tuple)):
            yield from _flat_tensors(a)
        elif isinstance(a, Tensor):
            yield a


def write_out(name, out, compute, inputs, *, resize_warning=True):
    """Run ``compute`` and write its result(s) into ``out`` with torch's rules: no autograd
    through ``out=``, a safe cast to ``out``'s dtype, and a resize (warned unless ``out`` is
    empty). ``out`` is a tensor, or a tuple of tensors for an op with several outputs."""
    several = isinstance(out, (tuple, list))
    for o in out if several else (out,):
        if not isinstance(o, Tensor):
            raise TypeError(
                f"{name}(): argument 'out' must be Tensor, not {builtins.type(o).__name__}"
            )
    if grad_mode._state.enabled and _any_requires_grad((*inputs, out)):
        raise RuntimeError(
            f"{name}(): functions with out=... arguments don't support automatic "
            "differentiation, but one of the arguments requires grad."
        )
    if name in NO_OVERLAP_OUT:
        outs = list(out) if several else [out]
        if builtins.any(o is a for a in _flat_tensors(inputs) for o in outs):
            raise RuntimeError(
                "unsupported operation: some elements of the input tensor and the written-to "
                "tensor refer to a single memory location. Please clone() the tensor before "
                "performing the operation."
            )
    result = compute()
    if name in EXACT_DTYPE_OUT and not several and out._dtype is not result._dtype:
        raise RuntimeError(_exact_dtype_error(name, result._dtype, out._dtype))
    if not several:
        return _write_one(out, result, resize_warning)
    if not isinstance(result, tuple) or len(result) != len(out):
        raise TypeError(f"{name}(): argument 'out' must be tuple of {len(result)} Tensors")
    for o, r in zip(out, result, strict=True):
        _write_one(o, r, resize_warning)
    if hasattr(result, "_fields"):  # torch.return_types.sort -> torch.return_types.sort_out
        return structseq(builtins.type(result).__name__ + "_out", result._fields)(*out)
    return builtins.tuple(out)


def _any_requires_grad(args):
    for a in args:
        if isinstance(a, (list, tuple)):
            if _any_requires_grad(a):
                return True
        elif isinstance(a, Tensor) and a.requires_grad:
            return True
    return False


def _write_one(out, result, resize_warning):
    from .inplace import _inplace  # NOTE: inplace.py declares its own methods with ``public``

    if result._dtype._cat > out._dtype._cat:
        raise RuntimeError(
            f"result type {D._LEGACY[result._dtype]} can't be cast to the desired output type "
            f"{D._LEGACY[out._dtype]}"
        )
    if result.shape != out.shape and out.numel() and resize_warning:
        warnings.warn(
            "An output with one or more elements was resized since it had shape "
            f"{list(out.shape)}, which does not match the required output shape "
            f"{list(result.shape)}. This behavior is deprecated, and in a future PyTorch "
            "release outputs will not be resized unless they have zero elements. You can "
            "explicitly reuse an out tensor t by resizing it, inplace, to zero elements with "
            "t.resize_(0).", UserWarning, stacklevel=4,
        )  # fmt: skip
    if result.shape != out.shape:
        # NOTE: a resize replaces the storage's array with one of the new shape, as torch's
        # resize_ reallocates; the in-place write below then sees equal shapes.
        out._storage.array = result._array
    return _inplace(out, result.detach() if result._node is not None else result)


def with_out(fn, name=None, check=None):
    """``fn`` with torch's ``out=`` keyword (``fn`` itself never sees it); ``check``, when
    given, vets ``out`` first (see ``public``)."""
    name = name or fn.__name__

    @functools.wraps(fn)
    def f(*args, out=None, **kwargs):
        if out is None:
            return fn(*args, **kwargs)
        if check is not None:
            check(out, *args, **kwargs)
        return write_out(name, out, lambda: fn(*args, **kwargs), (*args, *kwargs.values()))

    f._torchlike_out = True
    f.__signature__ = _with_out_signature(fn)
    return f


def _with_out_signature(fn):
    """``fn``'s signature with the keyword-only ``out=None`` (what ``help`` should show)."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    if "out" in sig.parameters:
        return sig
    params = list(sig.parameters.values())
    at = next((i for i, p in enumerate(params) if p.kind is p.VAR_KEYWORD), len(params))
    params.insert(at, inspect.Parameter("out", inspect.Parameter.KEYWORD_ONLY, default=None))
    return sig.replace(parameters=params)


# -- in-place -------------------------------------------------------------------------------------
def make_inplace(fn, name=None, *, identity_when=None):
    """``Tensor.<name>_``: ``fn`` computed from ``self``'s current value, then written into
    ``self`` (same storage, version bumped, history moved). The result must keep ``self``'s
    shape: an in-place op never broadcasts ``self`` up (torch's error).

    ``identity_when(self, *args, **kwargs)``, when given, runs first: true returns ``self``
    untouched without the in-place checks (``torch.dropout_(x, p, False)`` on a leaf that
    requires grad). It may raise the argument errors torch raises before those checks."""
    from .inplace import _check_inplace, _inplace, _snapshot

    name = (name or fn.__name__) + "_"

    def f(self, *args, **kwargs):
        if identity_when is not None and identity_when(self, *args, **kwargs):
            return self
        _check_inplace(self)
        result = fn(_snapshot(self), *args, **kwargs)
        if result.shape != self.shape:
            raise RuntimeError(
                f"output with shape {list(self.shape)} doesn't match the broadcast shape "
                f"{list(result.shape)}"
            )
        return _inplace(self, result)

    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"In-place ``{name[:-1]}``: ``self`` holds the result."
    return f


# -- the declaration ------------------------------------------------------------------------------
_NUMPY_NAMES = {"axis": "dim", "keepdims": "keepdim"}


def _numpy_names(fn):
    """Accept the NumPy keyword names PyTorch accepts for ``dim``/``keepdim``."""

    @functools.wraps(fn)
    def f(*args, **kwargs):
        if kwargs:
            for alias, real in _NUMPY_NAMES.items():
                if alias in kwargs:
                    kwargs[real] = kwargs.pop(alias)
        return fn(*args, **kwargs)

    return f


def _takes_dim(fn):
    try:
        return "dim" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def public(fn=None, *, function=True, method=False, inplace=False, torch_inplace=False,
           identity_when=None, out=False, aliases=(), name=None):  # fmt: skip
    """Declare ``fn``'s public surface (see the module docstring). Returns the ``torch.``
    function (with ``out=`` when declared)."""
    if fn is None:
        return functools.partial(public, function=function, method=method, inplace=inplace,
                                 torch_inplace=torch_inplace, identity_when=identity_when,
                                 out=out, aliases=aliases, name=name)  # fmt: skip
    name = name or fn.__name__
    core = _numpy_names(fn) if _takes_dim(fn) else fn
    exported = with_out(core, name, out if callable(out) else None) if out else core
    meth = core if method is True else method
    inpl = None
    if inplace or torch_inplace:  # torch_inplace alone: torch.<name>_ without Tensor.<name>_
        if inplace in (True, False):
            inpl = make_inplace(core, name, identity_when=identity_when)
        else:
            inpl = inplace
    decl = Declaration(name, function, method, inplace, torch_inplace, out, tuple(aliases))
    where = f"{fn.__module__}.{fn.__qualname__}"
    for n in (name, *aliases):
        prefix = "torch" if function is True else function or "Tensor"
        DECLARED[n if function is True else f"{prefix}.{n}"] = decl
        if function is True:
            TORCH[n] = exported
            SLOTS[f"torch.{n}"].append(where)
            if torch_inplace is True or (torch_inplace and n in torch_inplace):
                TORCH[n + "_"] = inpl
                SLOTS[f"torch.{n}_"].append(where)
        elif function:
            NAMESPACES[function][n] = exported
            SLOTS[f"{function}.{n}"].append(where)
        if meth == "property":
            setattr(Tensor, n, property(core))
        elif meth:
            setattr(Tensor, n, meth)
        if meth:
            SLOTS[f"Tensor.{n}"].append(where)
        if inplace:
            setattr(Tensor, n + "_", inpl)
            SLOTS[f"Tensor.{n}_"].append(where)
    return exported
