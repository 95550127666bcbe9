"""Process and runtime settings (threads, determinism, matmul precision, warnings, anomaly
flags), predicates, interchange (``asarray``, ``frombuffer``, DLPack) and the Tensor attributes
that carry no math (``layout``, ``is_sparse``..., ``dim_order``, ``as_subclass``, ``apply_``)."""

from __future__ import annotations

import builtins
import os
import warnings
import weakref

import numpy as np

from .. import _dtype as D
from .. import _warn_once
from .._ops import clear_kernels
from .._tensor import Tensor
from ..autograd import anomaly_mode, grad_mode
from ._surface import TORCH, public

__all__ = [
    "layout", "strided", "get_num_threads", "set_num_threads", "get_num_interop_threads",
    "set_num_interop_threads", "use_deterministic_algorithms",
    "are_deterministic_algorithms_enabled", "is_deterministic_algorithms_warn_only_enabled",
    "set_deterministic_debug_mode", "get_deterministic_debug_mode",
    "get_float32_matmul_precision", "set_float32_matmul_precision", "set_flush_denormal",
    "set_warn_always", "is_warn_always_enabled", "typename", "is_storage", "numel", "get_device",
    "set_default_dtype", "set_default_tensor_type", "from_dlpack", "to_dlpack",
    "frombuffer", "asarray",
    "is_anomaly_enabled", "set_anomaly_enabled", "is_anomaly_check_nan_enabled",
    "compiled_with_cxx11_abi", "is_inference",
]  # fmt: skip


# Process-wide knobs: plain state, read by whoever honours them.
_GLOBAL = {
    "threads": os.cpu_count() or 1, "interop": os.cpu_count() or 1, "deterministic": False,
    "warn_only": False, "matmul_precision": "highest",
}  # fmt: skip


# -- layout ---------------------------------------------------------------------------------------
class layout:
    """``torch.layout``: how a tensor's elements are laid out (torchlike has ``strided`` only)."""

    __slots__ = ("_name",)
    __module__ = "torch"

    def __init__(self, name):
        self._name = name

    def __repr__(self):
        return f"torch.{self._name}"

    def __reduce__(self):
        return self._name


strided = layout("strided")
TORCH["layout"], TORCH["strided"] = layout, strided


# -- threads --------------------------------------------------------------------------------------
@public
def get_num_threads() -> int:
    """The number of threads torch would use for intra-op parallelism (XLA schedules its own;
    this is the value last set, initially the CPU count)."""
    return _GLOBAL["threads"]


@public
def set_num_threads(int) -> None:
    """Record the intra-op thread count (XLA's CPU runtime sizes its own pool)."""
    if not isinstance(int, builtins.int) or int <= 0:
        raise RuntimeError("set_num_threads expects a positive integer")
    _GLOBAL["threads"] = int


@public
def get_num_interop_threads() -> int:
    return _GLOBAL["interop"]


@public
def set_num_interop_threads(int) -> None:
    if not isinstance(int, builtins.int) or int <= 0:
        raise RuntimeError("set_num_interop_threads expects a positive integer")
    _GLOBAL["interop"] = int


# -- determinism ----------------------------------------------------------------------------------
@public
def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Ask for deterministic algorithms. XLA's CPU kernels are deterministic; the setting is
    kept for code that reads it back."""
    _GLOBAL["deterministic"] = builtins.bool(mode)
    _GLOBAL["warn_only"] = builtins.bool(warn_only) and builtins.bool(mode)


@public
def are_deterministic_algorithms_enabled() -> bool:
    return _GLOBAL["deterministic"]


@public
def is_deterministic_algorithms_warn_only_enabled() -> bool:
    return _GLOBAL["warn_only"]


_DEBUG_MODES = {"default": 0, "warn": 1, "error": 2}


@public
def set_deterministic_debug_mode(debug_mode) -> None:
    """``"default"``/0: off, ``"warn"``/1: warn only, ``"error"``/2: deterministic."""
    if isinstance(debug_mode, str):
        if debug_mode not in _DEBUG_MODES:
            raise RuntimeError(
                "invalid value of debug_mode, expected one of `default`, `warn`, `error`, but "
                f"got {debug_mode}"
            )
        debug_mode = _DEBUG_MODES[debug_mode]
    if debug_mode not in (0, 1, 2):
        raise RuntimeError(
            f"invalid value of debug_mode, expected 0, 1, or 2, but got {debug_mode}"
        )
    use_deterministic_algorithms(debug_mode > 0, warn_only=debug_mode == 1)


@public
def get_deterministic_debug_mode() -> int:
    if not _GLOBAL["deterministic"]:
        return 0
    return 1 if _GLOBAL["warn_only"] else 2


# -- float32 matmul precision, denormals, warnings -------------------------------------------------
# torch's names -> JAX's default matmul precision: "highest" full float32; "high" TF32-class
# (JAX "high": bf16x3 passes); "medium" bfloat16 passes (JAX "default" on TPU/GPU).
_PRECISION = {"highest": "highest", "high": "high", "medium": "default"}


@public
def get_float32_matmul_precision() -> str:
    return _GLOBAL["matmul_precision"]


@public
def set_float32_matmul_precision(precision: str) -> None:
    """Set the internal precision of float32 matmuls: ``"highest"``, ``"high"`` or
    ``"medium"``, applied as JAX's default matmul precision (on CPU all three compute in full
    float32, as torch's CPU does)."""
    if precision not in _PRECISION:
        warnings.warn(
            f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
            "setFloat32MatmulPrecision call has no effect.", UserWarning, stacklevel=2,
        )  # fmt: skip
        return
    import jax

    # NOTE: asked for explicitly by the user; it is JAX's process-wide setting.
    jax.config.update("jax_default_matmul_precision", _PRECISION[precision])
    _GLOBAL["matmul_precision"] = precision


@public
def set_flush_denormal(mode: bool) -> bool:
    """Whether denormal flushing is now as asked. XLA's CPU kernels always flush denormals
    to zero, so ``True`` succeeds and ``False`` cannot be honoured."""
    return builtins.bool(mode)


@public
def set_warn_always(b: bool) -> None:
    """Warnings torch issues once per process are issued every time (``_warn_once`` reads it)."""
    _warn_once.set_warn_always(b)


@public
def is_warn_always_enabled() -> bool:
    return _warn_once.is_warn_always_enabled()


# -- anomaly detection flags (the state is autograd's: torchlike.autograd.anomaly_mode) -----------
is_anomaly_enabled = public(anomaly_mode.is_anomaly_enabled)
is_anomaly_check_nan_enabled = public(anomaly_mode.is_anomaly_check_nan_enabled)
set_anomaly_enabled = public(anomaly_mode.set_anomaly_enabled)


@public
def compiled_with_cxx11_abi() -> bool:
    """False: torchlike has no compiled extension."""
    return False


# -- predicates and names -------------------------------------------------------------------------
_TENSOR_TYPES = {
    D.float32: "FloatTensor", D.float64: "DoubleTensor", D.float16: "HalfTensor",
    D.bfloat16: "BFloat16Tensor", D.int64: "LongTensor", D.int32: "IntTensor",
    D.int16: "ShortTensor", D.int8: "CharTensor", D.uint8: "ByteTensor", D.bool: "BoolTensor",
    D.complex64: "ComplexFloatTensor", D.complex128: "ComplexDoubleTensor",
}  # fmt: skip


@public
def typename(obj) -> str:
    """``"torch.FloatTensor"`` for a tensor; a type's qualified name otherwise."""
    if isinstance(obj, Tensor):
        return f"torch.{_TENSOR_TYPES.get(obj._dtype, 'Tensor')}"
    module = getattr(builtins.type(obj), "__module__", "")
    name = builtins.type(obj).__qualname__
    return name if module in ("builtins", "", None) else f"{module}.{name}"


@public
def is_storage(obj) -> bool:
    from .._storage import Storage

    return isinstance(obj, Storage)


def _need_tensor(name, obj):
    if not isinstance(obj, Tensor):
        raise TypeError(
            f"{name}(): argument 'input' (position 1) must be Tensor, not "
            f"{builtins.type(obj).__name__}"
        )


@public
def numel(input) -> int:
    _need_tensor("numel", input)
    return input.numel()


@public
def get_device(input) -> int:
    _need_tensor("get_device", input)
    return input.get_device()


@public
def is_inference(input) -> bool:
    """False: torchlike's inference mode makes ordinary tensors (no inference tensors)."""
    _need_tensor("is_inference", input)
    return input.is_inference()


@public
def set_default_dtype(d) -> None:
    """Make ``d`` the dtype of float literals and float factories (``torch.float32`` at start)."""
    D.set_default_dtype(d)
    # NOTE: the default dtype is baked into promotion when a kernel is traced.
    clear_kernels()


@public
def set_default_tensor_type(t) -> None:
    """Deprecated: set the default float dtype from a tensor type (``torch.DoubleTensor`` or
    ``"torch.DoubleTensor"``)."""
    warnings.warn(
        "torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
        "torch.set_default_dtype() and torch.set_default_device() as alternatives.",
        UserWarning, stacklevel=2,
    )  # fmt: skip
    name = t if isinstance(t, str) else getattr(t, "__name__", str(t))
    short = name.rsplit(".", 1)[-1]
    for dt, type_name in _TENSOR_TYPES.items():
        if type_name == short:
            if dt._cat != D._FLOAT:
                raise TypeError("only floating-point types are supported as the default type")
            set_default_dtype(dt)
            return
    raise AttributeError(f"module 'torch' has no attribute '{short}'")


# -- interchange ----------------------------------------------------------------------------------
@public
def from_dlpack(ext_tensor):
    """A tensor from any object with ``__dlpack__`` (NumPy arrays, torch tensors, JAX arrays)."""
    import jax.dlpack

    from .._dispatch import wrap

    try:
        arr = jax.dlpack.from_dlpack(ext_tensor)
    except Exception:
        arr = np.from_dlpack(ext_tensor)
        import jax.numpy as jnp

        arr = jnp.asarray(arr)
    return wrap(arr)


@public
def to_dlpack(tensor):
    """A DLPack capsule of the tensor's values."""
    return tensor._array.__dlpack__()


def _dlpack(self, *, stream=None, max_version=None, dl_device=None, copy=None):
    kw = {} if max_version is None else {"max_version": max_version}
    return self._array.__dlpack__(**kw)


Tensor.__dlpack__ = _dlpack
Tensor.__dlpack_device__ = lambda self: self._array.__dlpack_device__()


@public
def frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False):
    """A 1-D tensor of ``buffer``'s bytes read as ``dtype`` (a copy: XLA owns its memory)."""
    from .._creation import tensor

    nbytes = memoryview(buffer).nbytes
    size = dtype.itemsize
    if count < 0:
        if (nbytes - offset) % size:
            raise ValueError(
                f"buffer length ({nbytes - offset} bytes) after offset ({offset} bytes) must be a "
                f"multiple of element size ({size})"
            )
        count = (nbytes - offset) // size
    elif count * size > nbytes - offset:
        raise ValueError(
            f"requested buffer length ({count} * {size} bytes) after offset ({offset} bytes) "
            f"must not be greater than actual buffer length ({nbytes} bytes)"
        )
    arr = np.frombuffer(buffer, dtype=dtype._np, count=count, offset=offset)
    return tensor(arr, dtype=dtype, requires_grad=requires_grad)


@public
def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    """``obj`` as a tensor: a tensor itself when it already fits (``copy=True`` forces a copy,
    ``copy=False`` refuses one); NumPy arrays, buffers, scalars and nested sequences too."""
    from .._creation import tensor

    if isinstance(obj, Tensor):
        fits = dtype is None or dtype is obj._dtype
        if copy is False and not fits:
            raise ValueError(
                f"can't alias tensor with dtype '{D._LEGACY[obj._dtype]}' into dtype "
                f"'{D._LEGACY[dtype]}'."
            )
        out = obj if fits else obj.to(dtype)
        if copy and out is obj:
            out = obj.clone()
        if requires_grad:
            out = out.detach() if out is obj else out
            out.requires_grad_(True)
        return out
    if isinstance(obj, (list, tuple)) and copy is False:
        raise ValueError("can't alias arbitrary sequence into a tensor.")
    if isinstance(obj, np.ndarray) and not copy and dtype in (None, D.from_numpy_dtype(obj.dtype)):
        from .._creation import from_numpy

        out = from_numpy(obj)
        return out.requires_grad_(True) if requires_grad else out
    if hasattr(obj, "__dlpack__") and not isinstance(obj, np.ndarray) and copy is not True:
        out = from_dlpack(obj)
        return out if dtype is None else out.to(dtype)
    return tensor(obj, dtype=dtype, device=device, requires_grad=requires_grad)


# -- Tensor attributes that carry no math ---------------------------------------------------------
_NOT = ("is_sparse", "is_sparse_csr", "is_quantized", "is_meta", "is_mkldnn", "is_nested", "is_xla",
        "is_xpu", "is_mps", "is_vulkan", "is_ipu", "is_maia", "is_mtia")  # fmt: skip
for _name in _NOT:
    setattr(Tensor, _name, property(lambda self: False))
Tensor.layout = property(lambda self: strided)
Tensor.output_nr = property(lambda self: self._out_nr)
Tensor.name = property(lambda self: None)

_SHARED: weakref.WeakSet = weakref.WeakSet()


def is_pinned(self, device=None) -> bool:
    """False: CPU memory here is XLA's, never page-locked."""
    return False


def pin_memory(self, device=None):
    """torch's error where no accelerator exists; with one, a copy (XLA manages transfers)."""
    import jax

    if builtins.all(d.platform == "cpu" for d in jax.devices()):
        raise RuntimeError("Cannot access accelerator device when none is available.")
    return self.clone()


def share_memory_(self):
    """Mark the storage shared (it lives in this process's XLA buffers; no copy is made)."""
    _SHARED.add(self._storage)
    return self


def is_shared(self) -> bool:
    return self._storage in _SHARED


def dim_order(self, *, ambiguity_check=False):
    """The dims from outermost to innermost in memory (by stride)."""
    strides = self.stride()
    return tuple(sorted(builtins.range(self.ndim), key=lambda d: -strides[d]))


def as_subclass(self, cls):
    """The same tensor (storage, history) as an instance of the subclass ``cls``."""
    if not (isinstance(cls, builtins.type) and issubclass(cls, Tensor)):
        raise TypeError(f"cls must be a type (got {cls})")
    out = object.__new__(cls)
    for slot in Tensor.__slots__:
        if slot != "__weakref__":
            setattr(out, slot, getattr(self, slot))
    return out


def _elementwise(self, name, fn, others):
    if self.requires_grad and grad_mode.is_grad_enabled():
        raise RuntimeError(
            f"Can't call {name}() on Variable that requires grad. Use var.detach().{name}() "
            "instead."
        )
    if self.device.type != "cpu":
        raise RuntimeError(f"{name}_ is only implemented on CPU tensors")
    cur = np.asarray(self._array)
    args = [np.broadcast_to(np.asarray(o._array), cur.shape) for o in others]
    out = np.empty(cur.shape, cur.dtype)
    for idx in np.ndindex(cur.shape):
        out[idx] = fn(cur[idx].item(), *(a[idx].item() for a in args))
    from .._creation import tensor

    with grad_mode.no_grad():
        self.copy_(tensor(out, dtype=self._dtype))
    return self


def apply_(self, callable):
    """Replace each element ``v`` by ``callable(v)`` (a Python function; CPU tensors)."""
    return _elementwise(self, "apply_", callable, ())


def map_(self, tensor, callable):
    """``self[i] = callable(self[i], tensor[i])`` (``tensor`` broadcast to ``self``)."""
    return _elementwise(self, "map_", callable, (tensor,))


def map2_(self, x, y, callable):
    """``self[i] = callable(self[i], x[i], y[i])``."""
    return _elementwise(self, "map2_", callable, (x, y))


def storage(self):
    """The tensor's storage (torch's deprecated TypedStorage: warns as torch does)."""
    warnings.warn(
        "TypedStorage is deprecated. It will be removed in the future and UntypedStorage will be "
        "the only storage class. This should only matter to you if you are using storages "
        "directly.  To access UntypedStorage directly, use tensor.untyped_storage() instead of "
        "tensor.storage()", UserWarning, stacklevel=2,
    )  # fmt: skip
    return self._storage


for _fn in (is_pinned, pin_memory, share_memory_, is_shared, dim_order, as_subclass, apply_, map_,
            map2_, storage):  # fmt: skip
    public(_fn, function=False, method=True)
