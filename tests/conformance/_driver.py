"""Run PyTorch's OpInfo database (``op_db``, imported from the installed torch) against
torchlike: every sample input of every op, in float32, float64 and the integer/bool dtypes the
op supports. One op run gives, per case id, a pass or a one-line failure reason.

Case ids (the keys of ``expected_failures.txt``):

``<mode>:<op>``                       the op resolves to a torchlike callable
``<mode>:<op>/<dtype>/<check>``       a check over the samples run in that dtype
``gradcheck:<op>`` / ``gradgradcheck:<op>``   torchlike.autograd.gradcheck on the first
                                       float64 sample

``<mode>`` is ``ci`` (the first ``CI_SAMPLES`` samples in float32 and one integer dtype,
no ``nn.functional.*``) or ``full`` (every sample, every op, every supported dtype of those).
``<op>`` is ``name`` or ``name.variant_test_name``. Checks: ``values`` (output structure,
dtype, shape, values), ``grad`` (input gradients under a random cotangent), ``grad_fn`` (the
node's class name), ``method`` / ``inplace`` (the Tensor variants, when torchlike has them),
``alias-<name>`` (an alias, when torchlike has it).

``<mode>:<op>/errors`` (no dtype): op_db's error inputs (``op.error_inputs_func``) must raise
an instance of the ErrorInput's ``error_type`` whose message ``re.search``-matches its
``error_regex``, as torch's own ``test_errors`` asks (ci: the first ``CI_ERRORS`` inputs).
"""

from __future__ import annotations

import contextlib
import random
import re
import sys
import time
import types
import warnings
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import torchlike

HERE = Path(__file__).resolve().parent
EXPECTED_FAILURES = HERE / "expected_failures.txt"
CI_SAMPLES = 1  # with CI_DTYPES: ~2 samples an op keeps CI under 120 s of one core
CI_ERRORS = 10  # error inputs per op checked in ci mode (most ops have fewer)
MODES = ("ci", "full")

# op_db families outside torchlike's scope: conformance skips them and coverage figure (a)
# leaves them out (pattern, reason).
EXCLUDED = (
    (r"_(?!_).*|torch\._.*", "private (_softmax_backward_data, torch._scaled_mm, ...)"),
    (r"jiterator_.*", "CUDA jiterator kernels"),
    (r"masked\..*", "torch.masked: masked-tensor reductions, a separate API"),
    (r"signal\.windows\..*", "torch.signal.windows: window functions, a separate API"),
    (r"sparse\..*|.*sparse.*|to_sparse", "sparse layouts"),
)
# ops whose op.op is a torch.ops.aten overload (listed under a public-looking name)
_ATEN_TYPES = ("OpOverload", "OpOverloadPacket", "_JittedFunction")

# Random ops: compared on shape, dtype and (for >= 64 floating elements) median and spread.
# More are detected per sample: two torch calls on the same input that differ.
RANDOM = {
    "bernoulli", "multinomial", "normal", "uniform", "cauchy", "exponential", "geometric",
    "log_normal", "randint_like", "rand_like", "randn_like", "randint", "rand", "randn",
    "randperm", "poisson", "nn.functional.dropout", "nn.functional.dropout2d",
    "nn.functional.dropout3d", "nn.functional.alpha_dropout", "nn.functional.feature_alpha_dropout",
    "nn.functional.rrelu", "nn.functional.fractional_max_pool2d",
    "nn.functional.fractional_max_pool3d", "svd_lowrank", "pca_lowrank",
}  # fmt: skip
# Uninitialised memory: shape and dtype only.
UNINITIALISED = {
    "empty", "empty_like", "new_empty", "new_empty_strided", "empty_strided", "empty_permuted",
}  # fmt: skip

# torch.testing.assert_close's defaults, float32 loosened: XLA's CPU kernels (vectorised
# transcendentals, reassociated reductions) differ from ATen's by a few ulp of float32.
# Gradients chain several such kernels, hence their wider float32 band.
# Keyed by the compared tensor's dtype (an int64 input can give a float32 output).
TOL = {
    "float32": (1e-5, 1e-5),
    "complex64": (1e-5, 1e-5),
    "float64": (1e-7, 1e-7),
    "complex128": (1e-7, 1e-7),
    "float16": (1e-3, 1e-5),
    "bfloat16": (1.6e-2, 1e-5),
}
GRAD_TOL = {
    "float32": (1e-4, 1e-4),
    "float64": (1e-6, 1e-7),
}
_STABLE_NODE = re.compile(r"[A-Z]\w*Backward\d*")
INT_DTYPES = ("int64", "int32", "int16", "int8", "uint8", "bool")


# -- the database -----------------------------------------------------------------------------
_DB = None


def torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def op_db():
    """torch's OpInfo list (imported once; torch's argv parsing sees no pytest arguments)."""
    global _DB
    if _DB is None:
        argv, sys.argv = sys.argv, sys.argv[:1]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                from torch.testing._internal.common_methods_invocations import op_db as db
        finally:
            sys.argv = argv
        _DB = list(db)
    return _DB


def op_id(op) -> str:
    return op.name + (f".{op.variant_test_name}" if op.variant_test_name else "")


def excluded(op) -> str | None:
    """Why ``op`` is out of scope, or None."""
    for pattern, reason in EXCLUDED:
        if re.fullmatch(pattern, op.name):
            return reason
    if type(op.op).__name__ in _ATEN_TYPES:
        return "torch.ops.aten.* overloads / jiterator"
    names = getattr(getattr(op.op, "__code__", None), "co_names", ())
    if "ops" in names and "aten" in names:  # a lambda around torch.ops.aten.<overload>
        return "torch.ops.aten.* overloads / jiterator"
    return None


def is_nn(op) -> bool:
    return op.name.startswith("nn.")


def ops_in_scope(mode: str):
    """The ops run in ``mode``, in op_db order, one per op id (the first wins)."""
    seen, out = set(), []
    for op in op_db():
        if excluded(op) or (mode == "ci" and is_nn(op)) or op_id(op) in seen:
            continue
        seen.add(op_id(op))
        out.append(op)
    return out


def dtypes_for(op, mode: str) -> list[str]:
    supported = {str(d).removeprefix("torch.") for d in op.supported_dtypes("cpu")}
    floats = [d for d in ("float32", "float64") if d in supported]
    ints = [d for d in INT_DTYPES if d in supported]
    if mode == "ci":  # float32 (the default dtype; float64 is gradcheck's) and one integer
        return (floats[:1] + ints[:1]) or floats
    return floats + ints


# -- resolving torchlike's callable -----------------------------------------------------------
def getpath(root, name: str):
    obj = root
    for part in name.split("."):
        try:
            obj = getattr(obj, part)
        except Exception:
            return None
    return obj


def rebind(f, depth=1):
    """``f`` (a lambda or helper written against ``torch``) with ``torch`` bound to torchlike, and
    so are the test-suite helpers it calls by name (``wrapper_set_seed`` seeds the generator)."""
    names = {"torch": torchlike}
    if depth:
        for name in f.__code__.co_names:
            h = f.__globals__.get(name)
            if isinstance(h, types.FunctionType) and h.__module__.startswith("torch.testing."):
                names[name] = rebind(h, depth - 1)
    g = types.FunctionType(
        f.__code__, {**f.__globals__, **names}, f.__name__, f.__defaults__, f.__closure__
    )
    g.__kwdefaults__ = f.__kwdefaults__
    return g


def _tensor_method_name(f):
    import torch

    owner = getattr(f, "__objclass__", None)
    if owner in (torch.Tensor, torch._C.TensorBase):
        return f.__name__
    if isinstance(f, types.FunctionType) and f.__qualname__.startswith("Tensor."):
        return f.__name__
    return None


def resolve(op):
    """``(callable, None)`` or ``(None, "missing: torchlike.<name>")``."""
    import torch

    f = op.op
    ref = getpath(torch, op.name)
    if ref is not None and f is ref:
        tl = getpath(torchlike, op.name)
        return (tl, None) if tl is not None else (None, f"missing: torchlike.{op.name}")
    method = _tensor_method_name(f)
    if method is not None:
        m = getattr(torchlike.Tensor, method, None)
        if m is None:
            return None, f"missing: torchlike.Tensor.{method}"
        return (lambda self, *a, **k: getattr(self, method)(*a, **k)), None
    if isinstance(f, types.FunctionType):
        return rebind(f), None
    return None, f"unsupported op.op {type(f).__name__}"


def present(op) -> bool:
    """Does torchlike have op_db's name (a torch function or a Tensor method)?"""
    if getpath(torchlike, op.name) is not None:
        return True
    method = _tensor_method_name(op.op)
    if method is not None and hasattr(torchlike.Tensor, method):
        return True
    # op_db lists some Tensor-only names (T, mH, item, to, new_zeros) through a lambda
    return "." not in op.name and hasattr(torchlike.Tensor, op.name)


# -- converting between the libraries ---------------------------------------------------------
def _np(t):
    """A torch or torchlike tensor's values as a NumPy array."""
    if isinstance(t, torchlike.Tensor):
        a = np.asarray(t.detach().numpy())
        return a.astype(np.float32) if a.dtype.name == "bfloat16" else a
    t = t.detach().cpu()
    if t.dtype in _NO_NUMPY():
        t = t.to(_NO_NUMPY()[t.dtype])
    return t.numpy(force=True)  # force: conj/neg bits, ZeroTensor grads


def _NO_NUMPY():
    """torch dtypes NumPy lacks, and the dtype their values pass through."""
    import torch

    return {torch.bfloat16: torch.float32, torch.complex32: torch.complex64}


def to_tl(obj, memo: dict, grad: bool = True):
    """torch objects (nested in lists, tuples, dicts) as torchlike ones; the same torch tensor
    maps to the same torchlike tensor."""
    import torch

    if isinstance(obj, torch.Tensor):
        hit = memo.get(id(obj))
        if hit is None and _carries_view(obj, grad):
            base = to_tl(obj._base, memo, grad=False)
            t = base.as_strided(tuple(obj.shape), obj.stride(), obj.storage_offset())
            if grad and obj.requires_grad:
                t.requires_grad_(True)  # a leaf view, as torch's of a base without grad
            memo[id(obj)] = hit = (obj, t)
        if hit is None:
            t = torchlike.from_numpy(np.array(_np(obj)))
            if obj.dtype in _NO_NUMPY():
                t = t.to(getattr(torchlike, str(obj.dtype).removeprefix("torch.")))
            if grad and obj.requires_grad:
                t.requires_grad_(True)
            memo[id(obj)] = hit = (obj, t)
        return hit[1]
    if isinstance(obj, torch.dtype):
        return getattr(torchlike, str(obj).removeprefix("torch."))
    if isinstance(obj, torch.device):
        return torchlike.device(str(obj))
    if isinstance(obj, torch.Size):
        return torchlike.Size(tuple(obj))
    if isinstance(obj, (torch.memory_format, torch.layout)):
        return getattr(torchlike, str(obj).removeprefix("torch."), obj)
    if isinstance(obj, torch.nn.Module) and not any(True for _ in obj.parameters()):
        return _module_to_tl(obj)
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(to_tl(x, memo, grad) for x in obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(to_tl(x, memo, grad) for x in obj)
    if isinstance(obj, dict):
        return {k: to_tl(v, memo, grad) for k, v in obj.items()}
    return obj


def _carries_view(t, grad: bool) -> bool:
    """Whether a torch view is rebuilt as a view of its converted base (``as_strided`` reads
    the base's storage, so an op such as ``as_strided.partial_views`` sees what torch sees):
    only a view of a contiguous base without autograd (a leaf view stays a leaf)."""
    base = t._base
    return (base is not None and not base.requires_grad and base.is_contiguous()
            and t.dtype not in _NO_NUMPY() and base.dtype == t.dtype)


def _module_to_tl(m):
    """A parameterless torch module (``nn.PairwiseDistance()`` passed as a distance function) as
    torchlike's module of the same name, with the same plain attributes (norm, eps, ...)."""
    cls = getattr(torchlike.nn, type(m).__name__)
    tl = cls()
    for k, v in vars(m).items():
        if not k.startswith("_") and isinstance(v, (bool, int, float, str, type(None))):
            setattr(tl, k, v)
    return tl


def to_torch_leaves(obj, leaves: list):
    """torchlike outputs as torch leaf tensors (requiring grad where the torchlike tensor does),
    for running op_db's output_process_fn_grad (written against torch) on them."""
    import torch

    if isinstance(obj, torchlike.Tensor):
        t = torch.from_numpy(np.array(_np(obj)))
        if obj.requires_grad and (t.is_floating_point() or t.is_complex()):
            t.requires_grad_(True)
        leaves.append((obj, t))
        return t
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return tuple(to_torch_leaves(x, leaves) for x in obj)
    if isinstance(obj, (list, tuple)):
        return type(obj)(to_torch_leaves(x, leaves) for x in obj)
    return obj


def tensors(obj, out=None):
    """The tensors (torch or torchlike) in a nested result, in order."""
    import torch

    out = [] if out is None else out
    if isinstance(obj, (torch.Tensor, torchlike.Tensor)):
        out.append(obj)
    elif isinstance(obj, (list, tuple)):
        for x in obj:
            tensors(x, out)
    elif isinstance(obj, dict):
        for x in obj.values():
            tensors(x, out)
    return out


def _detached_clone(obj):
    import torch

    if isinstance(obj, torch.Tensor):
        return obj.detach().clone()
    if isinstance(obj, (list, tuple)) and not hasattr(obj, "_fields"):
        return type(obj)(_detached_clone(x) for x in obj)
    if isinstance(obj, dict):
        return {k: _detached_clone(v) for k, v in obj.items()}
    return obj


# -- comparing --------------------------------------------------------------------------------
def _dtype_name(t) -> str:
    return str(t.dtype).removeprefix("torch.")


def compare(expected, got, tol, path="out") -> str | None:
    """None when ``got`` (torchlike) matches ``expected`` (torch), else a one-line reason."""
    import torch

    if isinstance(expected, torch.Tensor):
        if not isinstance(got, torchlike.Tensor):
            return f"{path}: expected a Tensor, got {type(got).__name__}"
        if _dtype_name(got) != _dtype_name(expected):
            return f"{path}: dtype {_dtype_name(got)} != torch's {_dtype_name(expected)}"
        if tuple(got.shape) != tuple(expected.shape):
            return f"{path}: shape {tuple(got.shape)} != torch's {tuple(expected.shape)}"
        return _values(_np(expected), _np(got), tol or TOL.get(_dtype_name(expected)), path)
    if isinstance(expected, (list, tuple)):
        if not isinstance(got, (list, tuple)):
            return f"{path}: expected a {type(expected).__name__}, got {type(got).__name__}"
        if len(got) != len(expected):
            return f"{path}: {len(got)} elements != torch's {len(expected)}"
        for i, (e, g) in enumerate(zip(expected, got)):
            r = compare(e, g, tol, f"{path}[{i}]")
            if r:
                return r
        return None
    if isinstance(expected, torch.dtype):
        return None if str(got) == str(expected) else f"{path}: {got} != torch's {expected}"
    if expected is None or isinstance(expected, (bool, int, float, complex, str)):
        if isinstance(got, torchlike.Tensor):
            return f"{path}: got a Tensor, torch gives {type(expected).__name__}"
        if isinstance(expected, (int, float, complex)) and not isinstance(expected, bool):
            if not isinstance(got, (int, float, complex)) or isinstance(got, bool):
                return f"{path}: got {type(got).__name__}, torch gives {type(expected).__name__}"
            if type(got) is not type(expected):
                return f"{path}: got {type(got).__name__}, torch gives {type(expected).__name__}"
            return _values(np.asarray(expected), np.asarray(got), tol or TOL["float32"], path)
        return None if got == expected else f"{path}: {got!r} != torch's {expected!r}"
    return None  # other objects (generators, ...) are not compared


def _values(e: np.ndarray, g: np.ndarray, tol, path) -> str | None:
    if e.size == 0:
        return None
    if e.dtype.kind in "biu" or tol is None:
        bad = e != g
    else:
        rtol, atol = tol
        with np.errstate(invalid="ignore", over="ignore"):
            diff = np.abs(e.astype(np.complex128) - g.astype(np.complex128))
            bad = ~((diff <= atol + rtol * np.abs(e)) | (np.isnan(e) & np.isnan(g)) | (e == g))
    if not bad.any():
        return None
    i = np.unravel_index(int(np.argmax(bad)), bad.shape) if bad.ndim else ()
    return (
        f"{path}: {int(bad.sum())}/{bad.size} values differ, e.g. at {tuple(map(int, i))}: "
        f"{g[i]!r} != torch's {e[i]!r}"
    )


def compare_random(expected, got, path="out") -> str | None:
    """Random outputs: structure, dtype, shape, and for >= 64 finite floating values the median
    and inter-quartile range (seeded on both sides, so the outcome is deterministic)."""
    import torch

    et, gt = tensors(expected), tensors(got)
    if len(et) != len(gt):
        return f"{path}: {len(gt)} tensors != torch's {len(et)}"
    for i, (e, g) in enumerate(zip(et, gt)):
        if not isinstance(g, torchlike.Tensor) or not isinstance(e, torch.Tensor):
            return f"{path}[{i}]: not a tensor"
        if _dtype_name(g) != _dtype_name(e):
            return f"{path}[{i}]: dtype {_dtype_name(g)} != torch's {_dtype_name(e)}"
        if tuple(g.shape) != tuple(e.shape):
            return f"{path}[{i}]: shape {tuple(g.shape)} != torch's {tuple(e.shape)}"
        en, gn = _np(e).astype(np.float64).ravel(), _np(g).astype(np.float64).ravel()
        en, gn = en[np.isfinite(en)], gn[np.isfinite(gn)]
        if min(en.size, gn.size) < 64:
            continue
        eq, gq = np.percentile(en, [25, 50, 75]), np.percentile(gn, [25, 50, 75])
        spread = max(eq[2] - eq[0], gq[2] - gq[0], 1e-6)
        # integer-valued draws (geometric, randint, ...): a quartile of two samples of one
        # discrete law can differ by one lattice step, so one step is tolerated
        step = 1.0 if np.all(en == np.round(en)) and np.all(gn == np.round(gn)) else 0.0
        if abs(eq[1] - gq[1]) > 0.5 * spread + step:
            return f"{path}[{i}]: median {gq[1]:.4g} far from torch's {eq[1]:.4g}"
        er, gr = eq[2] - eq[0], gq[2] - gq[0]
        if er > 1e-6 and abs(gr - er) > step and not 0.5 <= gr / er <= 2:
            return f"{path}[{i}]: inter-quartile range {gr:.4g} vs torch's {er:.4g}"
    return None


def _same(a, b) -> bool:
    """Two torch results equal (NaN == NaN): tells random ops apart."""
    ta, tb = tensors(a), tensors(b)
    if len(ta) != len(tb):
        return False
    for x, y in zip(ta, tb):
        if x.shape != y.shape:
            return False
        xn, yn = _np(x), _np(y)
        if not np.array_equal(xn, yn, equal_nan=xn.dtype.kind in "fc"):
            return False
    return True


def one_line(e: BaseException | str) -> str:
    text = e if isinstance(e, str) else f"{type(e).__name__}: {e}"
    text = " ".join(text.split())
    return text[:200]


@contextlib.contextmanager
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            yield


# -- one op -----------------------------------------------------------------------------------
@dataclass
class OpRun:
    """Per-sample outcomes of one op: ``checks[(dtype, check)] = [(sample, reason|None)]``."""

    op_id: str
    nn: bool
    missing: str | None = None
    checks: dict = field(default_factory=dict)
    samples: dict = field(default_factory=dict)  # dtype -> number of samples run
    errors: list = field(default_factory=list)  # [(error input, reason|None)]
    seconds: float = 0.0

    def add(self, dtype, check, index, reason):
        self.checks.setdefault((dtype, check), []).append((index, reason))

    def cases(self, mode: str, ci_dtypes=None) -> dict[str, str | None]:
        """``{case id: failure reason or None}`` restricted to what ``mode`` runs."""
        base = f"{mode}:{self.op_id}"
        if self.missing:
            return {base: self.missing}
        out = {base: None}
        for (dtype, check), results in self.checks.items():
            if mode == "ci" and (dtype not in ci_dtypes):
                continue
            rs = [(i, r) for i, r in results if mode == "full" or i < CI_SAMPLES]
            if not rs:
                continue
            bad = [(i, r) for i, r in rs if r is not None]
            out[f"{base}/{dtype}/{check}"] = f"s{bad[0][0]}: {bad[0][1]}" if bad else None
        errs = [(i, r) for i, r in self.errors if mode == "full" or i < CI_ERRORS]
        if errs:
            bad = [(i, r) for i, r in errs if r is not None]
            out[f"{base}/errors"] = (
                f"e{bad[0][0]}: {bad[0][1]}" + (f" (+{len(bad) - 1} more)" if len(bad) > 1 else "")
                if bad
                else None
            )
        return out

    def sample_counts(self, mode: str, ci_dtypes=None, skip=()) -> tuple[int, int]:
        """(samples run, samples passing every check) in ``mode``, leaving out the samples of
        the case ids in ``skip`` (e.g. the expected failures)."""
        verdict: dict = {}
        base = f"{mode}:{self.op_id}"
        if base in skip:
            return 0, 0
        dropped = {k for k in self.checks if f"{base}/{k[0]}/{k[1]}" in skip}
        for (dtype, _check), results in self.checks.items():
            if mode == "ci" and dtype not in ci_dtypes:
                continue
            if any(d == dtype for d, _ in dropped):
                continue
            for i, r in results:
                if mode == "ci" and i >= CI_SAMPLES:
                    continue
                verdict[(dtype, i)] = verdict.get((dtype, i), True) and r is None
        if f"{base}/errors" not in skip:  # each error input counts as a sample
            for i, r in self.errors:
                if mode == "full" or i < CI_ERRORS:
                    verdict[("errors", i)] = r is None
        return len(verdict), sum(verdict.values())


def _seed(*parts) -> int:
    return zlib.crc32("/".join(map(str, parts)).encode()) & 0x7FFFFFFF


def _samples(op, dtype: str, limit):
    """op's sample inputs for ``dtype`` (the first ``limit``), generated under a seed of their
    own: sample i is the same whatever the limit, in whatever order ops run."""
    import torch

    tdtype = getattr(torch, dtype)
    grad = op.supports_autograd and tdtype.is_floating_point
    seed = _seed(op_id(op), dtype)
    np_state, py_state = np.random.get_state(), random.getstate()
    try:
        with torch.random.fork_rng(devices=[]), _quiet():
            torch.manual_seed(seed)
            np.random.seed(seed)
            random.seed(seed)
            out = []
            # NOTE: op.sample_inputs wraps this generator in an iterator that walks the call
            # stack (inspect.stack) per call, ~0.1 s each; the samples are the same.
            for s in op.sample_inputs_func(op, "cpu", tdtype, grad):
                out.append(s)
                if limit is not None and len(out) >= limit:
                    break
    finally:
        np.random.set_state(np_state)
        random.setstate(py_state)
    return out


def run_op(op, mode: str) -> OpRun:
    """Every check of ``op`` over its samples in ``mode`` (``ci``: the first CI_SAMPLES)."""
    import torch

    start = time.perf_counter()
    run = OpRun(op_id(op), is_nn(op))
    fn, missing = resolve(op)
    if fn is None:
        run.missing = missing
        return run
    limit = CI_SAMPLES if mode == "ci" else None
    random_op = op.name in RANDOM or op.name.split(".")[-1] in RANDOM
    for dtype in dtypes_for(op, mode):
        try:
            samples = _samples(op, dtype, limit)
        except Exception:
            continue  # torch's own sample generator fails: nothing to compare against
        run.samples[dtype] = len(samples)
        for i, sample in enumerate(samples):
            with torch.random.fork_rng(devices=[]), _quiet():
                try:
                    _run_sample(run, op, fn, dtype, i, sample, random_op)
                except Exception as e:  # the harness itself: reported, never a crash
                    run.add(dtype, "values", i, f"harness: {one_line(e)}")
    _check_errors(run, op, fn, CI_ERRORS if mode == "ci" else None)
    run.seconds = time.perf_counter() - start
    _bound_compiled_code()
    return run


def _bound_compiled_code(limit: int = 30000) -> None:
    """Drop JAX's compiled kernels once this process holds ``limit`` memory mappings.

    NOTE: every XLA CPU executable maps its code; a full run compiles tens of thousands of
    (op, shape, dtype) kernels and reached Linux's vm.max_map_count (65530): LLVM then fails with
    "Cannot allocate memory" and the process segfaults. Clearing the caches costs recompiles."""
    try:
        with open("/proc/self/maps", "rb") as f:
            n = sum(1 for _ in f)
    except OSError:  # not Linux: nothing to measure
        return
    if n > limit:
        import jax

        jax.clear_caches()


# -- error inputs -----------------------------------------------------------------------------
_BACKEND_MODULES = ("jax", "jaxlib", "numpy")


def _error_inputs(op, limit):
    """op_db's error inputs for ``op`` (the first ``limit``), generated under a seed of their
    own; [] when the op has none or torch's generator fails."""
    import torch

    if op.error_inputs_func is None:
        return []
    seed = _seed(op_id(op), "errors")
    np_state, py_state = np.random.get_state(), random.getstate()
    out = []
    try:
        with torch.random.fork_rng(devices=[]), _quiet():
            torch.manual_seed(seed)
            np.random.seed(seed)
            random.seed(seed)
            for e in op.error_inputs_func(op, "cpu"):
                out.append(e)
                if limit is not None and len(out) >= limit:
                    break
    except Exception:
        return []
    finally:
        np.random.set_state(np_state)
        random.setstate(py_state)
    return out


def _shares_memory(ts) -> bool:
    """Do two distinct torch tensors among ``ts`` use one storage (a view and its base), or
    does one overlap itself (a zero stride on a dim of size > 1: ``expand``)?"""
    seen: dict = {}
    for t in ts:
        if t.numel() == 0 or t.device.type == "meta":
            continue
        if any(st == 0 and n > 1 for st, n in zip(t.stride(), t.shape)):
            return True
        ptr = t.untyped_storage().data_ptr()
        if seen.setdefault(ptr, t) is not t:
            return True
    return False


def _is_backend(exc_type) -> bool:
    return any(c.__module__.split(".")[0] in _BACKEND_MODULES for c in exc_type.__mro__
               if c.__module__ != "builtins")  # fmt: skip


def _raises_expected(exc: BaseException, error_type, regex) -> bool:
    """torch's test_errors verdict: ``exc`` is an ``error_type`` (torch-only classes such as
    ``torch.linalg.LinAlgError`` matched by class name) and ``re.search(regex, str(exc))``."""
    is_type = isinstance(exc, error_type) or any(
        c.__name__ == error_type.__name__ for c in type(exc).__mro__
    )
    return is_type and re.search(regex, str(exc)) is not None


def _check_errors(run: OpRun, op, fn, limit) -> None:
    """Each error input through torchlike's callable: a pass is torch's exception type with a
    message matching torch's regex. Skipped: inputs torch itself does not reject as stated, inputs
    the conversion cannot carry (meta tensors, more than 64 dimensions, distinct tensors sharing
    one storage or an expanded one: torchlike gets unrelated contiguous copies), and a non-tensor
    ``self`` for a Tensor-method op (``Tensor.__radd__(2, 3)``: CPython's descriptor check)."""
    import torch

    method = _tensor_method_name(op.op)
    for i, err in enumerate(_error_inputs(op, limit)):
        s = err.sample_input
        if method is not None and not isinstance(s.input, torch.Tensor):
            continue  # torch's error is CPython's descriptor check on `self`, not the op's
        if _shares_memory(tensors((s.input, s.args, s.kwargs))):
            continue  # distinct tensors on one storage: the conversion does not keep aliasing
        etype, regex = err.error_type, err.error_regex
        want = f"{etype.__name__}({regex!r})"
        with torch.random.fork_rng(devices=[]), _quiet():
            try:  # before torch's call, which may write into its inputs before raising
                args = to_tl((s.input, s.args, s.kwargs), {})
            except Exception as e:
                args = e
            torch.manual_seed(_seed(run.op_id, "errors", i))
            try:
                op(s.input, *s.args, **s.kwargs)
                ok_torch = False
            except Exception as e:
                ok_torch = _raises_expected(e, etype, regex)
            if not ok_torch:
                continue  # torch's own test would fail here: nothing to hold torchlike to
            if isinstance(args, Exception):
                continue  # not representable here (a meta tensor, > 64 dimensions): skipped
            torchlike.manual_seed(_seed(run.op_id, "errors", i))
            try:
                out = fn(args[0], *args[1], **args[2])
            except Exception as e:
                if _raises_expected(e, etype, regex) and not _is_backend(type(e)):
                    run.errors.append((i, None))
                    continue
                mod = type(e).__module__
                leak = "backend error leaked: " if _is_backend(type(e)) else ""
                got = f"{leak}{mod + '.' if mod != 'builtins' else ''}{one_line(e)}"
                run.errors.append((i, f"expected {want}, got {got}"[:240]))
                continue
            what = "NotImplemented" if out is NotImplemented else f"a {type(out).__name__}"
            run.errors.append((i, f"expected {want}, got no error (returned {what})"))


def _call_torch(f, sample):
    return f(sample.input, *sample.args, **sample.kwargs)


def _run_sample(run: OpRun, op, fn, dtype, i, sample, random_op):
    import torch

    seed = _seed(run.op_id, dtype, i)
    torch.manual_seed(seed)
    try:
        expected = _call_torch(op, sample)
    except Exception:
        return  # torch rejects its own sample (e.g. a dtype it lists but cannot run)
    kind = "uninit" if op.name in UNINITIALISED else "random" if random_op else "values"
    if kind == "values":
        with torch.no_grad():
            again = _call_torch(op, sample)
        if not _same(expected, again):
            kind = "random"
    memo: dict = {}
    args = to_tl((sample.input, sample.args, sample.kwargs), memo)
    torchlike.manual_seed(seed)
    try:
        got = fn(args[0], *args[1], **args[2])
    except Exception as e:
        run.add(dtype, "values", i, one_line(e))
        return
    tol = None  # by the dtype of each output
    if kind == "values":
        reason = compare(expected, got, tol)
        if reason and not _is_identity(sample.output_process_fn_grad):
            reason = _compare_processed(sample, expected, got, tol) and reason
    elif kind == "random":
        reason = compare_random(expected, got)
        if reason is not None and _moments_uninformative(op, sample, seed, expected):
            reason = _structure(expected, got)
    else:
        reason = _structure(expected, got)
    run.add(dtype, "values", i, reason)
    if reason is not None:
        return
    if kind == "values" and dtype in GRAD_TOL and op.supports_autograd:
        _check_grad(run, dtype, i, sample, expected, got, memo, seed)
    _check_variants(run, op, dtype, i, sample, expected, kind)


def _moments_uninformative(op, sample, seed, expected) -> bool:
    """Whether torch's own draw under another seed fails the moment check against this one: the
    sample is too small (or its law too lumpy: 25 channel masks of dropout2d) for quartiles to
    tell laws apart, so only structure, dtype and shape are compared."""
    import torch

    torch.manual_seed(seed + 1)
    try:
        other = _call_torch(op, sample)
    except Exception:
        return False
    return compare_random(expected, other) is not None


def _is_identity(f) -> bool:
    """Whether op_db's output_process_fn_grad leaves outputs alone (probed with an object and
    a tuple: eigh's returns a non-tuple unchanged but processes a tuple)."""
    try:
        return all(f(probe) is probe for probe in (object(), (object(), object())))
    except Exception:
        return False


def _compare_processed(sample, expected, got, tol):
    """Compare op_db's processed outputs (it removes sign/order ambiguity: svd, eig, ...)."""
    try:
        bridged = to_torch_leaves(got, [])
        e = sample.output_process_fn_grad(expected)
        g = sample.output_process_fn_grad(bridged)
        g = to_tl(g, {}, grad=False)
    except Exception as ex:
        return f"output_process_fn_grad: {one_line(ex)}"
    return compare(e, g, tol, "processed")


def _structure(expected, got):
    et, gt = tensors(expected), tensors(got)
    if len(et) != len(gt):
        return f"{len(gt)} tensors != torch's {len(et)}"
    for e, g in zip(et, gt):
        if _dtype_name(e) != _dtype_name(g) or tuple(e.shape) != tuple(g.shape):
            return f"{_dtype_name(g)}{tuple(g.shape)} != torch's {_dtype_name(e)}{tuple(e.shape)}"
    return None


def _check_grad(run, dtype, i, sample, expected, got, memo, seed):
    """Backward one random cotangent (the same for both) through op_db's processed outputs."""
    import torch

    t_inputs = [t for t, _ in memo.values() if t.requires_grad]
    if not t_inputs:
        return
    l_inputs = [memo[id(t)][1] for t in t_inputs]
    try:
        t_proc = tensors(sample.output_process_fn_grad(expected))
    except Exception:
        return
    diff = [k for k, t in enumerate(t_proc) if t.requires_grad and t.is_floating_point()]
    if not diff:
        return
    rng = np.random.default_rng(seed)
    cots = [rng.standard_normal(tuple(t_proc[k].shape)).astype(_np(t_proc[k]).dtype)
            for k in diff]  # fmt: skip
    try:
        t_grads = torch.autograd.grad(
            [t_proc[k] for k in diff], t_inputs, [torch.from_numpy(c) for c in cots],
            allow_unused=True,
        )  # fmt: skip
    except Exception:
        return  # torch cannot differentiate this sample
    # node name: the first output tensor torch gives a stable grad_fn name
    for e, g in zip(tensors(expected), tensors(got)):
        if e.grad_fn is not None:
            name = type(e.grad_fn).__name__
            if _STABLE_NODE.fullmatch(name):
                mine = None if g.grad_fn is None else type(g.grad_fn).__name__
                run.add(dtype, "grad_fn", i, None if mine == name else f"{mine} != torch's {name}")
            break
    try:
        leaves: list = []
        bridged = to_torch_leaves(got, leaves)
        b_proc = tensors(sample.output_process_fn_grad(bridged))
        if len(b_proc) != len(t_proc):
            raise RuntimeError("processed outputs differ in number")
        for k in diff:
            if not b_proc[k].requires_grad:
                raise RuntimeError(f"output {k} does not require grad")
        b_leaves = [(x, t) for x, t in leaves if t.requires_grad]
        b_cots = torch.autograd.grad(
            [b_proc[k] for k in diff], [t for _, t in b_leaves],
            [torch.from_numpy(c) for c in cots], allow_unused=True,
        )  # fmt: skip
        outs = [(x, c) for (x, _), c in zip(b_leaves, b_cots) if c is not None]
        l_grads = torchlike.autograd.grad(
            [x for x, _ in outs], l_inputs,
            [torchlike.from_numpy(np.array(c.numpy())) for _, c in outs], allow_unused=True,
        )  # fmt: skip
    except Exception as e:
        run.add(dtype, "grad", i, one_line(e))
        return
    for n, (tg, lg, t) in enumerate(zip(t_grads, l_grads, t_inputs)):
        e = np.zeros(tuple(t.shape), _np(t).dtype) if tg is None else _np(tg)
        g = np.zeros(tuple(t.shape), _np(t).dtype) if lg is None else _np(lg)
        if e.shape != g.shape:
            run.add(dtype, "grad", i, f"grad[{n}]: shape {g.shape} != torch's {e.shape}")
            return
        reason = _values(e, g, GRAD_TOL[dtype], f"grad[{n}]")
        if reason:
            run.add(dtype, "grad", i, reason)
            return
    run.add(dtype, "grad", i, None)


def _check_variants(run, op, dtype, i, sample, expected, kind):
    """Tensor.<name>, Tensor.<name>_ and aliases, where torchlike has them."""
    import torch

    tol = None  # by the dtype of each output
    seed = _seed(run.op_id, dtype, i)

    def check(name, torch_call, tl_call, inplace=False):
        sample_t = _detached_clone(sample) if inplace else sample
        memo: dict = {}
        a = to_tl((sample_t.input, sample_t.args, sample_t.kwargs), memo, grad=not inplace)
        torch.manual_seed(seed)
        try:
            want = torch_call(sample_t)
        except Exception:
            return
        torchlike.manual_seed(seed)
        try:
            res = tl_call(a)
        except Exception as e:
            run.add(dtype, name, i, one_line(e))
            return
        if inplace and res is not a[0]:
            run.add(dtype, name, i, "does not return self")
            return
        if kind == "random":
            reason = compare_random(want, res)
        elif kind == "uninit":
            reason = _structure(want, res)
        else:
            reason = compare(want, res, tol)
        run.add(dtype, name, i, reason)

    if not isinstance(sample.input, torch.Tensor):
        return
    for variant, label, inplace in ((op.method_variant, "method", False),
                                    (op.inplace_variant, "inplace", True)):  # fmt: skip
        name = _tensor_method_name(variant) if variant is not None else None
        if name is None or not hasattr(torchlike.Tensor, name):
            continue
        if label == "method" and variant is op.op:
            continue
        check(
            label,
            lambda s, v=variant: v(s.input, *s.args, **s.kwargs),
            lambda a, n=name: getattr(a[0], n)(*a[1], **a[2]),
            inplace,
        )
    for alias in op.aliases:
        tl = getpath(torchlike, alias.name)
        if tl is None or alias.op is None:
            continue
        check(f"alias-{alias.name}", lambda s, f=alias.op: f(s.input, *s.args, **s.kwargs),
              lambda a, f=tl: f(a[0], *a[1], **a[2]))  # fmt: skip


# -- gradcheck --------------------------------------------------------------------------------
def gradcheck_op(op, second_order: bool = False) -> str | None:
    """``torchlike.autograd.gradcheck`` (or gradgradcheck) on op's first float64 sample (complex128
    for complex-only ops), through op_db's ``gradcheck_wrapper`` (Hermitian inputs for eigh,
    cholesky, ...); None when it passes (or there is nothing to check), else a one-line reason."""
    check = getattr(torchlike.autograd, "gradgradcheck" if second_order else "gradcheck")
    fn, missing = resolve(op)
    if fn is None:
        return missing
    supported = {str(d).removeprefix("torch.") for d in op.supported_dtypes("cpu")}
    dtype = next((d for d in ("float64", "complex128") if d in supported), None)
    samples = _samples(op, dtype, 1) if dtype else []
    if not samples:
        return None
    sample = samples[0]
    memo: dict = {}
    args = to_tl((sample.input, sample.args, sample.kwargs), memo)
    leaves = [t for _, t in memo.values() if t.requires_grad]
    if not leaves:
        return None

    def f(*xs):
        swap = {id(old): new for old, new in zip(leaves, xs)}
        a = _substitute(args, swap)
        out = wrapper(fn, a[0], *a[1], **a[2])
        # NOTE: op_db's output_process_fn_grad (eig's phase, svd's signs) is written against
        # torch; most of them only index and call Tensor methods, so they run on torchlike's
        # outputs. One that does not leaves the raw outputs checked.
        try:
            out = sample.output_process_fn_grad(out)
        except Exception:
            pass
        outs = tuple(t for t in tensors(out) if t.is_floating_point() or t.is_complex())
        return outs if len(outs) != 1 else outs[0]

    # the wrapper is written against torch (wrapper_set_seed seeds torch before each call of
    # rrelu, dropout, ...): bound to torchlike, it seeds torchlike's generator instead
    wrapper = op.gradcheck_wrapper
    if isinstance(wrapper, types.FunctionType):
        wrapper = rebind(wrapper)
    torchlike.manual_seed(_seed(op_id(op), "gradcheck"))
    try:
        with _quiet():
            ok = check(f, tuple(leaves), raise_exception=True)
    except Exception as e:
        return one_line(e)
    return None if ok else "returned False"


def _substitute(obj, swap):
    if isinstance(obj, torchlike.Tensor):
        return swap.get(id(obj), obj)
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(_substitute(x, swap) for x in obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(_substitute(x, swap) for x in obj)
    if isinstance(obj, dict):
        return {k: _substitute(v, swap) for k, v in obj.items()}
    return obj


# -- the expected-failure list ----------------------------------------------------------------
def read_expected(path: Path = EXPECTED_FAILURES) -> dict[str, str]:
    out: dict[str, str] = {}
    if not path.exists():
        return out
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        case, _, reason = line.partition("\t")
        out[case] = reason
    return out


HEADER = """\
# torchlike's expected failures against PyTorch's OpInfo database (tests/conformance/).
# One line per failing case: id TAB reason (the first failing sample's one-line reason).
# The list may only shrink: a listed case that passes fails the suite ("now passes").
# Regenerate (runs everything, rewrites this file):
#     python -m tests.conformance --write-expected-failures
"""


def write_expected(cases: dict[str, str], path: Path = EXPECTED_FAILURES) -> None:
    lines = [f"{k}\t{v}" for k, v in sorted(cases.items())]
    path.write_text(HEADER + "\n".join(lines) + ("\n" if lines else ""))


def verdict(results: dict[str, str | None], expected: dict[str, str], base: str) -> list[str]:
    """Problems of one op (case ids ``base`` and ``base/...``): new failures, and listed cases
    that now pass (or are not run any more)."""
    problems = []
    for case, reason in sorted(results.items()):
        if reason is not None and case not in expected:
            problems.append(f"{case}: {reason}")
        elif reason is None and case in expected:
            problems.append(f"{case}: now passes: remove it from expected_failures")
    for case in sorted(expected):
        if (case == base or case.startswith(base + "/")) and case not in results:
            problems.append(f"{case}: not run any more: remove it from expected_failures")
    return problems


def ci_dtypes(op) -> list[str]:
    return dtypes_for(op, "ci")
