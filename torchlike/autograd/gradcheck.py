"""``torch.autograd.gradcheck`` / ``gradgradcheck``: analytic gradients against finite differences.

The numerical Jacobian comes from central differences, perturbing each input that requires grad
in place (through ``.data``, as PyTorch does, then restoring it); the analytical one from
torchlike's own backward, one ``autograd.grad`` per output element (``fast_mode``: one per output,
projected on random vectors). Complex inputs and outputs follow PyTorch's definition: complex
outputs are checked as two real functions (real and imaginary part), and the numerical gradient
w.r.t. a complex input is the conjugate Wirtinger derivative ``ds/dx + 1j * ds/dy``.

Jacobians are kept as NumPy arrays (``(input numel, output numel)``, PyTorch's layout) and only
become tensors to be printed in an error message.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Sequence

import numpy as np

from .. import _creation, _functions
from .. import _dtype as D
from .._tensor import Tensor
from . import fusion
from .engine import grad as _grad
from .function import Function

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    r"""Error raised by :func:`gradcheck` and :func:`gradgradcheck`."""


_FAILED_NONDET_MSG = """\n
NOTE: If your op relies on non-deterministic operations i.e., it is listed here:
https://pytorch.org/docs/stable/generated/torch.use_deterministic_algorithms.html
this failure might be expected.

If you are adding a new operator, please file an issue and then use one of the
workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck.
If the test
- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
  with `nondet_tol=<tol>` as a keyword argument.
- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test
  to have `gradcheck_nondet_tol=<tol>`.
- is a Module test (e.g., in common_nn.py), then modify the corresponding
  module_test entry to have `gradcheck_nondet_tol=<tol>`
"""

_FAST_FAIL_SLOW_OK_MSG = """
Fast gradcheck failed but element-wise differences are small. This means that the
test might've passed in slow_mode!

If you are adding a new operator, please file an issue and then use one of the
workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck:

If the test
- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
  with `fast_mode=False` as a keyword argument.
- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test
  to have `gradcheck_fast_mode=False`
- is a Module test (e.g., in common_nn.py), then modify the corresponding
  module_test entry to have `gradcheck_fast_mode=False`
""".strip()

_UNDEFINED_MSG = 'Please look at "Notes about undefined output gradients" in ' \
    '"tools/autograd/derivatives.yaml"'  # fmt: skip


# ---------------------------------------------------------------------------------------------
# small helpers


def _as_tuple(x) -> tuple:
    if isinstance(x, tuple):
        return x
    if isinstance(x, list):
        return tuple(x)
    return (x,)


def _differentiable_outputs(x) -> tuple:
    return tuple(o for o in _as_tuple(x) if o.requires_grad)


def _is_float_or_complex(t) -> bool:
    return isinstance(t, Tensor) and (t.is_floating_point() or t.is_complex())


def _diff_inputs(inputs) -> list[tuple[int, Tensor]]:
    return [(i, t) for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]


def _np(t: Tensor) -> np.ndarray:
    """A private NumPy copy of ``t``'s values (never a view: storages may be NumPy-backed)."""
    return np.array(t.detach().cpu().numpy(), copy=True)


def _np_dtype(dtype) -> np.dtype:
    return np.dtype(str(dtype).replace("torch.", "").replace("bfloat16", "float32"))


def _to_tensor(a: np.ndarray, dtype) -> Tensor:
    return _creation.tensor(a, dtype=dtype)


def _real_dtype(dtype):
    return {D.complex128: D.float64, D.complex64: D.float32}.get(dtype, dtype)


def _promote(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    dt = np.promote_types(a.dtype, b.dtype)
    return a.astype(dt), b.astype(dt)


def _allclose(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    a, b = _promote(np.asarray(a), np.asarray(b))
    return bool(np.all(np.abs(a - b) <= atol + rtol * np.abs(b)))


def _notallclose_msg(a, n, out_idx, inp_idx, complex_indices, test_imag) -> str:
    prefix = ""
    if complex_indices and out_idx in complex_indices:
        part = "imaginary" if test_imag else "real"
        prefix = f"While considering the {part} part of complex outputs only, "
    return (
        prefix + f"Jacobian mismatch for output {out_idx:d} with respect to input {inp_idx:d},\n"
        f"numerical:{n}\nanalytical:{a}\n"
    )


# ---------------------------------------------------------------------------------------------
# numerical side: central differences, perturbing inputs in place and restoring them


class _Perturb:
    """Writes values into one input's storage (through ``.data``, so no version bump is seen
    by the graph) and puts the original back."""

    def __init__(self, inp: Tensor):
        self.data = inp.data
        self.orig = _np(inp)
        self.dtype = inp.dtype

    def set_element(self, idx: tuple, value) -> None:
        self.data[idx] = value

    def set_all(self, values: np.ndarray) -> None:
        self.data.copy_(_to_tensor(values, self.dtype))

    def restore(self) -> None:
        self.data.copy_(_to_tensor(self.orig, self.dtype))


def _eval_outputs(fn, inputs) -> tuple:
    return tuple(_np(o) if isinstance(o, Tensor) else o for o in _as_tuple(fn(*inputs)))


def _check_same(a: np.ndarray, b: np.ndarray, eps, idx=None) -> None:
    on_index = f"on index {idx} " if idx is not None else ""
    if a.shape != b.shape:
        raise AssertionError(
            "Expected `func` to return outputs with the same shape when inputs are perturbed "
            f"{on_index}by {eps}, but got: shapes {_size(a.shape)} and {_size(b.shape)}."
        )
    if a.dtype != b.dtype:
        raise AssertionError(
            "Expected `func` to return outputs with the same dtype when inputs are perturbed "
            f"{on_index}by {eps}, but got: dtypes {a.dtype} and {b.dtype}."
        )


def _size(shape) -> str:
    return f"torch.Size({list(shape)})"


def _central(fn, inputs, write, x0, delta, float_out, eps, idx=None) -> list[np.ndarray]:
    """``(f(x0 + delta) - f(x0 - delta)) / (2 * eps)`` for each floating output, flattened;
    ``write`` puts a value into the perturbed input."""
    write(x0 - delta)
    outa = _eval_outputs(fn, inputs)
    write(x0 + delta)
    outb = _eval_outputs(fn, inputs)
    write(x0)
    res = []
    for k in float_out:
        _check_same(outa[k], outb[k], eps, idx)
        res.append(((outb[k] - outa[k]) / (2 * eps)).reshape(-1))
    return res


def _numerical_jacobian(fn, inputs, float_out, out_shapes, eps) -> list[list[np.ndarray]]:
    """``[input][output]`` Jacobians, shape ``(input numel, output numel)``, over the inputs
    that require grad and the floating outputs (``float_out`` indices)."""
    jacobians = []
    for _, inp in _diff_inputs(inputs):
        p = _Perturb(inp)
        is_complex = inp.is_complex()
        cols = []
        try:
            for idx in np.ndindex(*inp.shape):
                x0 = p.orig[idx].item()
                col = None
                for delta in (eps, eps * 1j) if is_complex else (eps,):
                    write = functools.partial(p.set_element, idx)
                    ds = _central(fn, inputs, write, x0, delta, float_out, eps, idx)
                    # NOTE: a complex input gets the conjugate Wirtinger derivative ds/dx + i ds/dy.
                    col = ds if col is None else [a + 1j * b for a, b in zip(col, ds, strict=True)]
                cols.append(col)
        finally:
            p.restore()
        per_out = []
        for k, shape in enumerate(out_shapes):
            numel = int(np.prod(shape, dtype=np.int64))
            dtype = p.orig.dtype if is_complex else _col_dtype(cols, k)
            jac = np.zeros((inp.numel(), numel), dtype=dtype)
            for r, col in enumerate(cols):
                jac[r] = col[k]
            per_out.append(jac)
        jacobians.append(per_out)
    return jacobians


def _col_dtype(cols, k):
    return cols[0][k].dtype if cols else np.float64


def _numerical_jvp(fn, inputs, inp_idx, u, float_out, eps) -> list[np.ndarray]:
    """``J u`` for one input (``u`` a pair of real vectors for a complex input)."""
    inp = inputs[inp_idx]
    p = _Perturb(inp)
    shape = tuple(inp.shape)
    try:
        if inp.is_complex():
            ur, ui = (x.reshape(shape) * eps for x in u)
            dx = _central(fn, inputs, p.set_all, p.orig, ur, float_out, eps)
            dy = _central(fn, inputs, p.set_all, p.orig, 1j * ui, float_out, eps)
            return [a + 1j * b for a, b in zip(dx, dy, strict=True)]
        d = (u.reshape(shape) * eps).astype(p.orig.dtype)
        return _central(fn, inputs, p.set_all, p.orig, d, float_out, eps)
    finally:
        p.restore()


# ---------------------------------------------------------------------------------------------
# analytical side: torchlike's backward


def _vjp(output: Tensor, diff: list[Tensor], grad_output: np.ndarray) -> list:
    g = _to_tensor(grad_output.reshape(tuple(output.shape)), output.dtype)
    with fusion.node_by_node():
        res = _grad(output, diff, g, retain_graph=True, allow_unused=True)
    return [None if r is None else (_np(r), r.dtype, tuple(r.shape)) for r in res]


def _stack(rows_per_grad, diff, n_cols):
    """Jacobians ``(input numel, n_cols)`` from per-column gradients, plus PyTorch's size and
    dtype flags."""
    sizes_ok = types_ok = True
    jacs = []
    for inp, rows in zip(diff, rows_per_grad, strict=True):
        jac = np.zeros((inp.numel(), n_cols), dtype=_np_dtype(inp.dtype))
        for j, r in enumerate(rows):
            if r is None:
                continue
            arr, dtype, shape = r
            if shape != tuple(inp.shape):
                sizes_ok = False
            elif dtype != inp.dtype:
                types_ok = False
            if arr.size != inp.numel():
                raise AssertionError(
                    f"Expected out_jacobian column to have {arr.size} elements, "
                    f"but got {inp.numel()}"
                )
            jac[:, j] = arr.reshape(-1)
        jacs.append(jac)
    return jacs, sizes_ok, types_ok


def _analytical_jacobian(inputs, output, nondet_tol, check_grad_dtypes, v=None) -> list:
    """Per input that requires grad: the Jacobian of ``output`` (slow mode), or the single
    column ``v^T J`` (fast mode, ``v`` given). Computed twice to detect a nondeterministic
    backward."""
    diff = [t for _, t in _diff_inputs(inputs)]
    n = output.numel()

    def rows():
        if v is not None:
            return [[g] for g in _vjp(output, diff, v)]
        per_input = [[] for _ in diff]
        for j in range(n):
            basis = np.zeros(n, dtype=_np_dtype(output.dtype))
            basis[j] = 1
            for acc, g in zip(per_input, _vjp(output, diff, basis), strict=True):
                acc.append(g)
        return per_input

    n_cols = 1 if v is not None else n
    jac1, sizes_ok, types_ok = _stack(rows(), diff, n_cols)
    jac2, _, _ = _stack(rows(), diff, n_cols)
    reentrant = all(
        a.size == 0 or not np.abs(a - b).max() > nondet_tol for a, b in zip(jac1, jac2, strict=True)
    )
    # NOTE: PyTorch 2.13 swaps its two flags here (a wrong-size gradient is reported as a dtype
    # mismatch under check_grad_dtypes, a wrong dtype as an incorrect size); kept for parity.
    if not sizes_ok and check_grad_dtypes:
        raise GradcheckError("Gradient has dtype mismatch")
    if not types_ok:
        raise GradcheckError("Analytical gradient has incorrect size")
    if not reentrant:
        raise GradcheckError(
            "Backward is not reentrant, i.e., running backward with "
            "same input and grad_output multiple times gives different values, "
            "although analytical gradient matches numerical gradient."
            f"The tolerance for nondeterminism was {nondet_tol}." + _FAILED_NONDET_MSG
        )
    return jac1


# ---------------------------------------------------------------------------------------------
# the two modes


def _float_outputs(func_out) -> list[int]:
    return [k for k, o in enumerate(func_out) if _is_float_or_complex(o)]


def _slow_check(func, func_out, inputs, outputs, eps, rtol, atol, check_grad_dtypes, nondet_tol,
                complex_indices=None, test_imag=False) -> bool:  # fmt: skip
    func_out = _as_tuple(func_out)
    float_out = _float_outputs(func_out)
    shapes = [tuple(func_out[k].shape) for k in float_out]
    numerical = _numerical_jacobian(func, inputs, float_out, shapes, eps)
    if not outputs:
        for per_out in numerical:
            for jac in per_out:
                if np.count_nonzero(jac) > 0:
                    raise GradcheckError("Numerical gradient for function expected to be zero")
        return True
    # [output][input], over the outputs that require grad
    keep = [pos for pos, k in enumerate(float_out) if func_out[k].requires_grad]
    numerical = [[per_out[pos] for per_out in numerical] for pos in keep]
    for i, o in enumerate(outputs):
        analytical = _analytical_jacobian(inputs, o, nondet_tol, check_grad_dtypes)
        for j, (a, n) in enumerate(zip(analytical, numerical[i], strict=True)):
            if not _allclose(a, n, rtol, atol):
                raise GradcheckError(
                    _notallclose_msg(_show(a), _show(n), i, j, complex_indices, test_imag)
                )
    return True


def _show(a: np.ndarray) -> Tensor:
    return _creation.tensor(a)


def _random_vector(rng, numel: int, np_dtype) -> np.ndarray:
    vec = rng.random(numel).astype(np_dtype)
    return vec / np.linalg.norm(vec)


def _fast_check(func, func_out, inputs, outputs, eps, rtol, atol, check_grad_dtypes, nondet_tol,
                complex_indices=None, test_imag=False) -> bool:  # fmt: skip
    # NOTE: our own generator, so the user's random state is left alone (as PyTorch does).
    rng = np.random.default_rng(0)
    func_out = _as_tuple(func_out)
    diff = _diff_inputs(inputs)
    all_u = []
    for _, t in diff:
        real = _np_dtype(_real_dtype(t.dtype))
        if t.is_complex():
            ur = _random_vector(rng, t.numel(), real)
            all_u.append((ur, _random_vector(rng, t.numel(), real)))
        else:
            all_u.append(_random_vector(rng, t.numel(), real))
    all_v = [_random_vector(rng, o.numel(), _np_dtype(o.dtype)) for o in outputs]

    float_out = _float_outputs(func_out)
    keep = [pos for pos, k in enumerate(float_out) if func_out[k].requires_grad]
    numerical = []  # [input][output]
    for (idx, _), u in zip(diff, all_u, strict=True):
        ju = _numerical_jvp(func, inputs, idx, u, float_out, eps)
        if not outputs:
            for x in ju:
                if x.size and np.abs(x).max() > nondet_tol:
                    raise GradcheckError("Numerical gradient for function expected to be zero")
            continue
        numerical.append([np.sum(v * ju[pos]) for v, pos in zip(all_v, keep, strict=True)])

    analytical = []  # [output][input]
    for o, v in zip(outputs, all_v, strict=True):
        vjs = _analytical_jacobian(inputs, o, nondet_tol, check_grad_dtypes, v=v)
        scalars = []
        for vj, u in zip(vjs, all_u, strict=True):
            vj = vj[:, 0]
            if np.iscomplexobj(vj):
                scalars.append(np.dot(vj.real, u[0]) + 1j * np.dot(vj.imag, u[1]))
            else:
                scalars.append(np.dot(vj, u))
        analytical.append(scalars)

    for i, per_out in enumerate(numerical):
        for j, n in enumerate(per_out):
            a = analytical[j][i]
            # NOTE: v^T A u vs v^T B u: atol scales with v^T 1 1^T u (PyTorch's rule).
            u = all_u[i]
            sum_u = sum(float(x.sum()) for x in u) if isinstance(u, tuple) else float(u.sum())
            adjusted = atol * sum_u * float(all_v[j].sum())
            if not _allclose(a, n, rtol, adjusted):
                detail = _slow_detail(func, inputs, outputs, i, j, rtol, atol, eps)
                # NOTE: torch formats its 0-d v^T J u tensors in an f-string, i.e. as numbers.
                msg = _notallclose_msg(np.asarray(a).item(), np.asarray(n).item(), j, i,
                                       complex_indices, test_imag)  # fmt: skip
                raise GradcheckError(msg + detail)
    return True


def _slow_detail(func, inputs, outputs, inp_idx, out_idx, rtol, atol, eps) -> str:
    func_out = _as_tuple(func(*inputs))
    float_out = _float_outputs(func_out)
    shapes = [tuple(func_out[k].shape) for k in float_out]
    numerical = _numerical_jacobian(func, inputs, float_out, shapes, eps)[inp_idx][out_idx]
    analytical = _analytical_jacobian(inputs, outputs[out_idx], float("inf"), False)[inp_idx]
    num, ana = _promote(numerical, analytical)
    max_diff = np.abs(num - ana).max()
    msg = (
        "\nThe above quantities relating the numerical and analytical jacobians are computed \n"
        "in fast mode. See: https://github.com/pytorch/pytorch/issues/53876 for more background \n"
        "about fast mode. Below, we recompute numerical and analytical jacobians in slow mode:\n\n"
        f"Numerical:\n {_show(numerical)}\n"
        f"Analytical:\n{_show(analytical)}\n\n"
        f"The max per-element difference (slow mode) is: {max_diff.item()}.\n"
    )
    if _allclose(ana, num, rtol, atol):
        msg += _FAST_FAIL_SLOW_OK_MSG
    return msg


# ---------------------------------------------------------------------------------------------
# checks around the Jacobians


def _check_inputs(inputs) -> None:
    found = False
    for idx, inp in enumerate(inputs):
        if not (isinstance(inp, Tensor) and inp.requires_grad):
            continue
        if inp.dtype not in (D.float64, D.complex128):
            warnings.warn(
                f"Input #{idx} requires gradient and "
                "is not a double precision floating point or complex. "
                "This check will likely fail if all the inputs are "
                "not of double precision floating point or complex. ",
                stacklevel=4,
            )
        if not all(st > 0 or sz <= 1 for st, sz in zip(inp.stride(), inp.shape, strict=True)):
            raise RuntimeError(
                f"The {idx}th input has a dimension with stride 0. gradcheck only "
                "supports inputs that are non-overlapping to be able to "
                "compute the numerical gradients correctly. You should call "
                ".contiguous on the input before passing it to gradcheck."
            )
        found = True
    if not found:
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, "
            "but none of them have requires_grad=True."
        )


def _test_backward_mul_by_grad_output(outputs, inputs) -> None:
    diff = [t for _, t in _diff_inputs(inputs)]
    if not diff:
        raise GradcheckError("no Tensors requiring grad found in input")
    if not outputs:
        return
    zeros = [_creation.zeros_like(o) for o in outputs]
    grads = _grad(list(outputs), diff, zeros, allow_unused=True)
    for gi, di in zip(grads, diff, strict=True):
        if gi is None:
            continue
        if not bool((gi == 0).all()):
            raise GradcheckError("backward not multiplied by grad_output")
        if gi.dtype != di.dtype:
            raise GradcheckError("grad is incorrect type")
        if gi.device != di.device:
            raise GradcheckError("grad is incorrect device")
        if gi.shape != di.shape:
            raise GradcheckError("grad is incorrect size")


class _UndefinedGrad(Function):
    """Identity whose backward sends back no gradient (PyTorch's ``UndefinedGrad``)."""

    @staticmethod
    def forward(ctx, x):
        return x.clone()

    @staticmethod
    def backward(ctx, g):
        return None


def _warn_bc_breaking() -> None:
    warnings.warn(
        "Backwards compatibility: New undefined gradient support checking "
        "feature is enabled by default, but it may break existing callers "
        "of this function. If this is true for you, you can call this "
        'function with "check_undefined_grad=False" to disable the feature',
        stacklevel=4,
    )


def _test_undefined_backward_mode(func, outputs, inputs) -> None:
    diff = [t for _, t in _diff_inputs(inputs)]
    if not diff:
        raise GradcheckError("no Tensors requiring grad found in input")

    def check(outs) -> None:
        if not outs:
            return
        zeros = [_creation.zeros_like(o) for o in outs]
        try:
            grads = _grad(outs, diff, zeros, allow_unused=True)
        except RuntimeError as e:
            _warn_bc_breaking()
            raise GradcheckError(
                f"Expected backward function to handle undefined output grads. {_UNDEFINED_MSG}"
            ) from e
        for gi in grads:
            if gi is not None and not bool((gi == 0).all()):
                _warn_bc_breaking()
                raise GradcheckError(
                    "Expected all input grads to be undefined or zero when all output grads are "
                    f"undefined or zero. {_UNDEFINED_MSG}"
                )

    fresh = [o for o in _differentiable_outputs(func(*inputs)) if isinstance(o, Tensor)]
    check([_UndefinedGrad.apply(o) for o in fresh])
    # With several outputs, each one alone may carry an undefined gradient.
    if len(fresh) > 1:
        for undef in range(len(outputs)):
            outs = _differentiable_outputs(func(*inputs))
            check([_UndefinedGrad.apply(o) if k == undef else o for k, o in enumerate(outs)])


def _real_and_imag_output(fn):
    def apply(part):
        def wrapped(*inputs):
            return tuple(part(o) if o.is_complex() else o for o in _as_tuple(fn(*inputs)))

        return wrapped

    return apply(_functions.real), apply(_functions.imag)


def _not_yet(what: str):
    return NotImplementedError(f"torchlike does not implement {what} yet")


# ---------------------------------------------------------------------------------------------
# public


def gradcheck(
    func: Callable[..., Tensor | Sequence[Tensor]],
    inputs: Tensor | Sequence[Tensor],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_batched_forward_grad: bool = False,
    check_forward_ad: bool = False,
    check_backward_ad: bool = True,
    fast_mode: bool = False,
    masked: bool | None = None,
) -> bool:
    r"""Check the gradients of ``func`` (from torchlike's backward) against central finite
    differences, w.r.t. every floating or complex tensor in ``inputs`` with
    ``requires_grad=True``. Use double precision inputs.

    Returns True when every analytical Jacobian is ``allclose`` (``rtol``, ``atol``) to its
    numerical one; otherwise raises :class:`GradcheckError` naming the output and input and
    showing both Jacobians (or returns False with ``raise_exception=False``). Also checks that
    the backward is deterministic (up to ``nondet_tol``), is multiplied by ``grad_output`` and
    (``check_undefined_grad``) tolerates undefined output gradients. ``fast_mode`` compares
    ``v^T J u`` for random ``u``, ``v`` instead of whole Jacobians.

    >>> x = torchlike.randn(3, dtype=torchlike.float64, requires_grad=True)
    >>> torchlike.autograd.gradcheck(torchlike.sin, (x,))
    True
    """
    if not (check_forward_ad or check_backward_ad):
        raise AssertionError(
            "Expected at least one of check_forward_ad or check_backward_ad to be True"
        )
    if check_batched_grad and not check_backward_ad:
        raise AssertionError(
            "Setting check_batched_grad=True requires check_backward_ad to be True"
        )
    if check_batched_forward_grad and not check_forward_ad:
        raise AssertionError(
            "Setting check_batched_forward_grad=True requires check_forward_ad to be True"
        )
    if check_forward_ad:
        raise _not_yet("gradcheck(check_forward_ad=True)")
    if check_batched_grad:
        raise _not_yet("gradcheck(check_batched_grad=True)")
    try:
        return _gradcheck_helper(
            func, inputs, eps, atol, rtol, nondet_tol, check_undefined_grad, check_grad_dtypes,
            fast_mode,
        )  # fmt: skip
    except GradcheckError:
        if raise_exception:
            raise
        return False


def _gradcheck_helper(func, inputs, eps, atol, rtol, nondet_tol, check_undefined_grad,
                      check_grad_dtypes, fast_mode) -> bool:  # fmt: skip
    tupled = _as_tuple(inputs)
    _check_inputs(tupled)
    func_out = func(*tupled)
    outputs = _differentiable_outputs(func_out)
    check = _fast_check if fast_mode else _slow_check
    args = (eps, rtol, atol, check_grad_dtypes, nondet_tol)
    if any(isinstance(o, Tensor) and o.is_complex() for o in _as_tuple(func_out)):
        complex_indices = [i for i, o in enumerate(outputs) if o.is_complex()]
        real_fn, imag_fn = _real_and_imag_output(func)
        imag_out = imag_fn(*tupled)
        check(imag_fn, imag_out, tupled, _differentiable_outputs(imag_out), *args,
              complex_indices=complex_indices, test_imag=True)  # fmt: skip
        real_out = real_fn(*tupled)
        check(real_fn, real_out, tupled, _differentiable_outputs(real_out), *args,
              complex_indices=complex_indices)  # fmt: skip
    else:
        check(func, func_out, tupled, outputs, *args)
    _test_backward_mul_by_grad_output(outputs, tupled)
    if check_undefined_grad:
        _test_undefined_backward_mode(func, outputs, tupled)
    return True


def gradgradcheck(
    func: Callable[..., Tensor | Sequence[Tensor]],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Tensor | Sequence[Tensor | None] | None = None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    gen_non_contig_grad_outputs: bool = False,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_fwd_over_rev: bool = False,
    check_rev_over_rev: bool = True,
    fast_mode: bool = False,
    masked: bool = False,
) -> bool:
    r"""Check second derivatives: :func:`gradcheck` of the map ``(inputs, grad_outputs) ->
    autograd.grad(func(*inputs), inputs, grad_outputs, create_graph=True)``.

    Without ``grad_outputs``, random ones in ``[-1, 1)`` (drawn from the global generator) with
    the outputs' shapes and dtypes are used.
    """
    if not (check_fwd_over_rev or check_rev_over_rev):
        raise AssertionError(
            "Expected at least one of check_fwd_over_rev or check_rev_over_rev to be True"
        )
    if check_undefined_grad and not check_rev_over_rev:
        raise AssertionError(
            "Setting check_undefined_grad=True requires check_rev_over_rev to be True"
        )
    if check_batched_grad and not check_rev_over_rev:
        raise AssertionError(
            "Setting check_batched_grad=True requires check_rev_over_rev to be True"
        )
    tupled_inputs = _as_tuple(inputs)
    if grad_outputs is None:
        outs = _differentiable_outputs(func(*tupled_inputs))
        tupled_grad_outputs = tuple(
            _random_grad_output(o, gen_non_contig_grad_outputs) for o in outs
        )
    else:
        tupled_grad_outputs = _as_tuple(grad_outputs)
    num_outputs = len(tupled_grad_outputs)
    diff_input_indices = {
        i for i, x in enumerate(tupled_inputs) if isinstance(x, Tensor) and x.requires_grad
    }
    diff_grad_output_indices = {i for i, x in enumerate(tupled_grad_outputs) if x.requires_grad}

    def new_func(*args):
        input_args = tuple(
            x.requires_grad_() if i in diff_input_indices else x
            for i, x in enumerate(args[:-num_outputs])
        )
        outs = _differentiable_outputs(func(*input_args))
        grad_outs = tuple(
            x.requires_grad_() if i in diff_grad_output_indices else x
            for i, x in enumerate(args[-num_outputs:])
        )
        diff_args = tuple(x for i, x in enumerate(input_args) if i in diff_input_indices)
        grads = _grad(outs, diff_args, grad_outs, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(
        new_func,
        tupled_inputs + tupled_grad_outputs,
        eps=eps,
        atol=atol,
        rtol=rtol,
        raise_exception=raise_exception,
        nondet_tol=nondet_tol,
        check_undefined_grad=check_undefined_grad,
        check_grad_dtypes=check_grad_dtypes,
        check_batched_grad=check_batched_grad,
        fast_mode=fast_mode,
        check_forward_ad=check_fwd_over_rev,
        check_backward_ad=check_rev_over_rev,
        masked=masked,
    )


def _random_grad_output(o: Tensor, noncontiguous: bool) -> Tensor:
    """Like ``torch.testing.make_tensor(low=-1, high=1, requires_grad=True)``."""
    dtype = o.dtype if o.is_floating_point() or o.is_complex() else D.float64
    shape = tuple(o.shape)
    big = (*shape[:-1], shape[-1] * 2) if noncontiguous and o.numel() > 1 else shape
    if dtype.is_complex:
        real = _real_dtype(dtype)
        t = _functions.complex(_creation.rand(big, dtype=real) * 2 - 1,
                               _creation.rand(big, dtype=real) * 2 - 1)  # fmt: skip
    else:
        t = _creation.rand(big, dtype=dtype) * 2 - 1
    if big != shape:
        t = t[..., ::2]
    return t.detach().requires_grad_()
