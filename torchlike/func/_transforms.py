"""``torch.func`` transforms as JAX transforms.

The user's function runs on torchlike Tensors whose arrays are JAX tracers: every op call
dispatches to its (jitted) kernel, which traces fine. Recording is off inside (``no_grad``):
JAX does the differentiation and batching. Arguments are pytrees (tuple/list/dict) of Tensors;
non-Tensor leaves and arguments that are not transformed are closed over as constants.
"""

from __future__ import annotations

import contextlib
import functools

import jax
from jax import tree_util

from .. import _dtype as D
from .._functions._surface import public
from .._ops._registry import _conj
from .._tensor import Tensor
from ..autograd import grad_mode

__all__ = ["grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian", "vmap"]


def _is_tensor(x) -> bool:
    return isinstance(x, Tensor)


def _is_tensor_or_none(x) -> bool:
    return x is None or isinstance(x, Tensor)


def _to_jax(tree):
    return tree_util.tree_map(lambda t: t._array if isinstance(t, Tensor) else t, tree,
                              is_leaf=_is_tensor)  # fmt: skip


def _to_torch(tree):
    from .._dispatch import wrap

    return tree_util.tree_map(lambda a: wrap(a) if isinstance(a, jax.Array) else a, tree)


_TRACER_ERRORS = (
    jax.errors.ConcretizationTypeError,
    jax.errors.TracerArrayConversionError,
    jax.errors.TracerBoolConversionError,
    jax.errors.TracerIntegerConversionError,
)


@contextlib.contextmanager
def _traced(api: str):
    """Run the user's function without recording; a concrete-value request becomes a clear
    RuntimeError instead of a JAX tracer error."""
    try:
        with grad_mode.no_grad():
            yield
    except _TRACER_ERRORS as e:
        raise RuntimeError(
            f"torchlike.func.{api}: the function needs the concrete value of a tensor (.item(), "
            "bool(tensor), int(tensor), printing, NumPy conversion or Python control flow on "
            "tensor values). Inside torchlike.func transforms tensors hold JAX tracers, which "
            f"have no value yet; rewrite that step with tensor ops (e.g. torch.where). "
            f"[{type(e).__name__}]"
        ) from None


def _argnums(argnums, n_args, api):
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    if not nums:
        raise RuntimeError(f"{api}: argnums must be non-empty")
    for a in nums:
        if not isinstance(a, int):
            raise RuntimeError(f"{api}: argnums must be int or Tuple[int, ...], got: {type(a)}")
        if not -n_args <= a < n_args:
            raise RuntimeError(f"Got argnums={a}, but only {n_args} positional inputs")
    return tuple(a % n_args for a in nums)


def _closed(func, args, kwargs, nums, api, post=None):
    """``f(*arrays of args[nums]) -> jax output``: the other arguments are constants."""

    def jf(*arrays):
        full = list(args)
        for i, a in zip(nums, arrays, strict=True):
            full[i] = _to_torch(a)
        with _traced(api):
            out = func(*full, **kwargs)
        if post is not None:
            out = post(out)
        return _to_jax(out)

    return jf


def _split_aux(api):
    def post(out):
        if not (isinstance(out, tuple) and len(out) == 2):
            raise RuntimeError(
                f"{api}(f, ...)(*args): output of function f should be a tuple: (output, aux) "
                "if has_aux is True"
            )
        return out

    return post


def _scalar_check(out, api="grad_and_value"):
    if not isinstance(out, Tensor):
        raise RuntimeError(
            f"{api}(f)(*args): Expected f(*args) to return a Tensor, got {type(out)}"
        )
    if out.ndim != 0:
        raise RuntimeError(
            f"{api}(f)(*args): Expected f(*args) to return a scalar Tensor, got tensor with "
            f"{out.ndim} dims. Maybe you wanted to use the vjp or jacrev APIs instead?"
        )
    return out


def _check_float(args, nums):
    for i in nums:
        for leaf in tree_util.tree_leaves(args[i], is_leaf=_is_tensor):
            if isinstance(leaf, Tensor) and leaf.dtype._cat < D._FLOAT:
                raise RuntimeError("only Tensors of floating point dtype can require gradients")


def _conj_tree(tree):
    return tree_util.tree_map(_conj, tree)


def _pick(nums, argnums, values):
    return values[0] if isinstance(argnums, int) else tuple(values)


def grad_and_value(func, argnums=0, has_aux=False):
    """``grad_and_value(f)(*args)`` is ``(grad, f(*args))`` (``((grad, (value, aux)))`` with
    ``has_aux``): the gradient of a scalar-returning ``f`` w.r.t. ``args[argnums]``."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        nums = _argnums(argnums, len(args), "grad_and_value")
        _check_float(args, nums)

        def post(out):
            if has_aux:
                out, aux = _split_aux("grad_and_value")(out)
                return _scalar_check(out), aux
            return _scalar_check(out), None

        jf = _closed(func, args, kwargs, nums, "grad_and_value", post)
        primals = [_to_jax(args[i]) for i in nums]
        (value, aux), grads = jax.value_and_grad(jf, argnums=tuple(range(len(nums))),
                                                 has_aux=True)(*primals)  # fmt: skip
        # NOTE: PyTorch's gradient w.r.t. a complex input is the conjugate of JAX's.
        g = _to_torch(_pick(nums, argnums, list(_conj_tree(grads))))
        value = _to_torch(value)
        if has_aux:
            return g, (value, _to_torch(aux))
        return g, value

    return wrapper


def grad(func, argnums=0, has_aux=False):
    """The gradient of a scalar-returning ``func`` w.r.t. ``args[argnums]`` (``(grad, aux)``
    with ``has_aux``).

    >>> torchlike.func.grad(lambda x: (x ** 3).sum())(torchlike.tensor([1.0, 2.0]))
    tensor([ 3., 12.])
    """
    gv = grad_and_value(func, argnums, has_aux)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        g, value = gv(*args, **kwargs)
        return (g, value[1]) if has_aux else g

    return wrapper


def vjp(func, *primals, has_aux=False):
    """``(func(*primals), vjp_fn)``; ``vjp_fn(cotangents)`` returns one gradient per primal."""
    nums = tuple(range(len(primals)))
    post = _split_aux("vjp") if has_aux else None
    jf = _closed(func, primals, {}, nums, "vjp", post)
    if has_aux:
        out, pull, aux = jax.vjp(jf, *[_to_jax(p) for p in primals], has_aux=True)
    else:
        out, pull = jax.vjp(jf, *[_to_jax(p) for p in primals])

    def vjp_fn(cotangents, retain_graph=True, create_graph=None):
        return _to_torch(_conj_tree(tuple(pull(_conj_tree(_to_jax(cotangents))))))

    if has_aux:
        return _to_torch(out), vjp_fn, _to_torch(aux)
    return _to_torch(out), vjp_fn


def jvp(func, primals, tangents, *, strict=False, has_aux=False):
    """``(func(*primals), jvp_out)``: the forward-mode derivative along ``tangents``."""
    if not isinstance(primals, tuple):
        raise RuntimeError("jvp(f, primals, tangents): Expected primals to be a tuple. E.g. it "
                           "should be valid to call f(*primals).")  # fmt: skip
    if not isinstance(tangents, tuple) or len(tangents) != len(primals):
        raise RuntimeError(
            "jvp(f, primals, tangents): Expected primals and tangents to have the same python "
            "structure. For example, if primals is a tuple of 3 tensors, tangents also must be. "
            f"Got primals with structure {_structure(primals)} and tangents with structure "
            f"{_structure(tangents)}"
        )
    nums = tuple(range(len(primals)))
    post = _split_aux("jvp") if has_aux else None
    jf = _closed(func, primals, {}, nums, "jvp", post)
    res = jax.jvp(jf, _to_jax(primals), _to_jax(tangents), has_aux=has_aux)
    return _to_torch(tuple(res))


def _structure(tree) -> str:
    return str(tree_util.tree_structure(tree, is_leaf=_is_tensor))


def _jac(jax_jac, api):
    def make(func, argnums=0, *, has_aux=False, **ignored):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            nums = _argnums(argnums, len(args), api)
            if api == "jacrev":
                _check_float(args, nums)
            post = _split_aux(api) if has_aux else None
            jf = _closed(func, args, kwargs, nums, api, post)
            inner = tuple(range(len(nums))) if not isinstance(argnums, int) else 0
            res = jax_jac(jf, argnums=inner, has_aux=has_aux)(*[_to_jax(args[i]) for i in nums])
            return _to_torch(res)

        return wrapper

    return make


jacrev = _jac(jax.jacrev, "jacrev")
jacrev.__name__ = "jacrev"
jacrev.__doc__ = """The Jacobian of ``func`` w.r.t. ``args[argnums]`` by reverse mode: shape
``out.shape + arg.shape``, nested (outputs, then argnums) as torch.func nests it."""
jacfwd = _jac(jax.jacfwd, "jacfwd")
jacfwd.__name__ = "jacfwd"
jacfwd.__doc__ = """The Jacobian of ``func`` w.r.t. ``args[argnums]`` by forward mode."""


def hessian(func, argnums=0):
    """The Hessian of a scalar ``func`` w.r.t. ``args[argnums]`` (``jacfwd(jacrev(func))``)."""
    return jacfwd(jacrev(func, argnums), argnums)


# -- vmap -------------------------------------------------------------------------------------
def _flat_axes(spec, arg, func_name, in_dims, leaves, axes):
    """Match one argument against its in_dims spec (an int/None or a pytree prefix)."""
    if spec is None or isinstance(spec, int):
        for leaf in tree_util.tree_leaves(arg, is_leaf=_is_tensor):
            leaves.append(leaf)
            axes.append(spec)
        return
    if isinstance(spec, (tuple, list)) and isinstance(arg, (tuple, list)) and len(spec) == len(arg):
        for s, a in zip(spec, arg, strict=True):
            _flat_axes(s, a, func_name, in_dims, leaves, axes)
        return
    if isinstance(spec, dict) and isinstance(arg, dict) and spec.keys() == arg.keys():
        for k in arg:
            _flat_axes(spec[k], arg[k], func_name, in_dims, leaves, axes)
        return
    raise ValueError(
        f"vmap({func_name}, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible with the "
        f"structure of `inputs`. in_dims has structure {_structure(spec)} but inputs has "
        f"structure {_structure(arg)}."
    )


# NOTE: ``torch.vmap`` is this function (declared here: func sits above _functions).
@public
def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """Map ``func`` over a dimension of its inputs (``in_dims``), stacking outputs along
    ``out_dims``. Nested vmaps and vmap of grad work; ``randomness`` is not enforced."""
    name = getattr(func, "__name__", repr(func))

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if isinstance(in_dims, (int, type(None))):
            specs = (in_dims,) * len(args)
        elif isinstance(in_dims, (tuple, list)):
            specs = tuple(in_dims)
            if len(specs) != len(args):
                raise ValueError(
                    f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible "
                    f"with the structure of `inputs`. in_dims has structure "
                    f"{_structure(specs)} but inputs has structure {_structure(args)}."
                )
        else:
            raise ValueError(
                f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): expected `in_dims` to be int "
                f"or a (potentially nested) tuple matching the structure of inputs, got: "
                f"{type(in_dims)}."
            )
        leaves, axes = [], []
        for s, a in zip(specs, args, strict=True):
            _flat_axes(s, a, name, in_dims, leaves, axes)
        sizes, mapped = [], []
        for leaf, ax in zip(leaves, axes, strict=True):
            if ax is None:
                continue
            if not isinstance(leaf, Tensor):
                raise ValueError(
                    f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={ax} for an "
                    f"input but the input is of type {type(leaf)}. We cannot vmap over non-Tensor "
                    "arguments, please use None as the respective in_dim"
                )
            if not -max(leaf.ndim, 0) <= ax < leaf.ndim:
                raise ValueError(
                    f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={ax} for some "
                    f"input, but that input is a Tensor of dimensionality {leaf.ndim} so expected "
                    f"in_dim to satisfy -{leaf.ndim} <= in_dim < {leaf.ndim}."
                )
            sizes.append(leaf.shape[ax])
            mapped.append(leaf)
        if not mapped:
            raise ValueError(
                f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): at least one input must be a "
                "Tensor that is mapped over (in_dim is not None)"
            )
        if len(set(sizes)) > 1:
            raise ValueError(
                "vmap: Expected all tensors to have the same size in the mapped dimension, got "
                f"sizes {sizes} for the mapped dimension"
            )
        treedefs = [tree_util.tree_structure(a, is_leaf=_is_tensor) for a in args]

        def jf(*arrays):
            it = iter(arrays)
            flat = [_to_torch(next(it)) if ax is not None else leaf
                    for leaf, ax in zip(leaves, axes, strict=True)]  # fmt: skip
            full, k = [], 0
            for td in treedefs:
                n = td.num_leaves
                full.append(tree_util.tree_unflatten(td, flat[k : k + n]))
                k += n
            with _traced("vmap"):
                out = func(*full, **kwargs)
            for leaf in tree_util.tree_leaves(out, is_leaf=_is_tensor_or_none):
                if not isinstance(leaf, Tensor):
                    raise ValueError(
                        f"vmap({name}, ...): `{name}` must only return Tensors, got type "
                        f"{type(leaf)}. Did you mean to set out_dims= to None for output?"
                    )
            return _to_jax(out)

        in_axes = tuple(ax for ax in axes if ax is not None)
        out_axes = tuple(out_dims) if isinstance(out_dims, list) else out_dims
        res = jax.vmap(jf, in_axes=in_axes, out_axes=out_axes)(*[t._array for t in mapped])
        return _to_torch(res)

    return wrapper
