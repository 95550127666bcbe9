"""Tensor: a thin stateful handle. Its array lives in a shared Storage; math lives in the op
table (methods are attached from ``_functions``); autograd state is a few slots."""

from __future__ import annotations

import warnings

import numpy as np

from . import _dtype as D
from . import _grad_state, _tracing
from ._device import device_of
from ._storage import VersionCounter
from ._view import is_contiguous, strides_of
from .utils.hooks import RemovableHandle

__all__ = ["Tensor", "Size"]


class Size(tuple):
    """A tensor's shape: a tuple that prints as ``torch.Size([2, 3])``."""

    __slots__ = ()

    def __repr__(self):
        return f"torch.Size({list(self)})"

    __str__ = __repr__

    def numel(self) -> int:
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, i):
        r = tuple.__getitem__(self, i)
        return Size(r) if isinstance(i, slice) else r

    def __add__(self, other):
        return Size(tuple(self) + tuple(other))


_NONLEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
    "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
    "instead. See github.com/pytorch/pytorch/pull/30531 for more information."
)


class _TensorType(type):
    """Prints torchlike's tensor classes under torch's names (``<class 'torch.Tensor'>``), as
    tutorials print ``type(x)``."""

    def __repr__(cls):
        if cls.__name__ == "Tensor" and cls.__module__ == __name__:
            return "<class 'torch.Tensor'>"
        module = cls.__module__
        if module == "torchlike" or module.startswith("torchlike."):
            module = "torch" + module[len("torchlike") :]
        return f"<class '{module}.{cls.__qualname__}'>"


class Tensor(metaclass=_TensorType):
    """A multi-dimensional array with PyTorch's autograd state, backed by a ``jax.Array``."""

    __slots__ = ("_storage", "_vc", "_dtype", "_node", "_out_nr", "_req", "_grad", "_retain",
                 "_hooks", "_accum", "_base", "_views", "__weakref__")  # fmt: skip

    # NOTE: ``__new__`` (the legacy ``Tensor(2, 3)``), ``__reduce_ex__`` (pickling) and
    # ``__repr__`` are installed by ``_creation`` and ``_tensor_str``, which sit above Tensor.

    # NOTE: the one accessor for a tensor's value; views and lazy execution hook in here.
    @property
    def _array(self):
        return self._storage.array

    # -- metadata ------------------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self._storage.array.shape)

    def size(self, dim: int | None = None):
        shape = self._storage.array.shape
        if dim is None:
            return Size(shape)
        return shape[_wrap_dim(dim, len(shape))]

    @property
    def dtype(self) -> D.dtype:
        return self._dtype

    @property
    def device(self):
        return device_of(self._storage.array)

    @property
    def is_cuda(self) -> bool:
        return self.device.type == "cuda"

    @property
    def ndim(self) -> int:
        return self._storage.array.ndim

    def dim(self) -> int:
        return self._storage.array.ndim

    ndimension = dim

    def numel(self) -> int:
        return int(self._storage.array.size)

    nelement = numel

    def element_size(self) -> int:
        return self._dtype.itemsize

    def stride(self, dim: int | None = None):
        strides = strides_of(self)[1]
        return strides if dim is None else strides[_wrap_dim(dim, len(strides))]

    def storage_offset(self) -> int:
        return strides_of(self)[2]

    def is_contiguous(self, memory_format=None) -> bool:
        shape, strides, _ = strides_of(self)
        return is_contiguous(shape, strides)

    def _is_view(self) -> bool:
        return self._base is not None

    @property
    def itemsize(self) -> int:
        return self._dtype.itemsize

    @property
    def nbytes(self) -> int:
        return self.numel() * self._dtype.itemsize

    @property
    def is_cpu(self) -> bool:
        return self.device.type == "cpu"

    def get_device(self) -> int:
        d = self.device
        return -1 if d.type == "cpu" else (d.index or 0)

    def is_signed(self) -> bool:
        return self._dtype not in (D.bool, D.uint8)

    def is_same_size(self, other) -> bool:
        return self.shape == other.shape

    def is_inference(self) -> bool:
        """True for a tensor made in ``inference_mode()`` (or a view of one)."""
        return _grad_state.is_inference(self)

    def untyped_storage(self):
        return self._storage

    def data_ptr(self) -> int:
        return self._storage.data_ptr() + strides_of(self)[2] * self._dtype.itemsize

    @property
    def _version(self) -> int:
        if _grad_state.is_inference(self):
            raise RuntimeError("Inference tensors do not track version counter.")
        return 0 if self._vc is None else self._vc.value

    def _counter(self):
        """The version counter (shared with ``detach()`` aliases), made on first need."""
        vc = self._vc
        if vc is None:
            vc = self._vc = VersionCounter()
        return vc

    # -- autograd state ------------------------------------------------------------------------
    @property
    def grad_fn(self):
        return self._node

    @property
    def is_leaf(self) -> bool:
        return self._node is None

    @property
    def requires_grad(self) -> bool:
        return self._req or self._node is not None

    @requires_grad.setter
    def requires_grad(self, value: bool):
        if self._node is not None:
            if not value:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to "
                    "use a computed variable in a subgraph that doesn't require differentiation "
                    "use var_no_grad = var.detach()."
                )
            return
        if value and self._dtype._cat < D._FLOAT:
            raise RuntimeError(
                "only Tensors of floating point and complex dtype can require gradients"
            )
        if value and not _grad_state.state.inference and _grad_state.is_inference(self):
            raise RuntimeError(
                "Setting requires_grad=True on inference tensor outside InferenceMode is not "
                "allowed."
            )
        self._req = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        # NOTE: torch words this error differently from the attribute setter's.
        if requires_grad and self._node is None and self._dtype._cat < D._FLOAT:
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self.requires_grad = requires_grad
        return self

    @property
    def grad(self):
        if self._node is not None and not self._retain:
            warnings.warn(_NONLEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        if _tracing.active():
            _tracing.grad_read(self)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(value).__name__}"
                )
            if value._dtype is not self._dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{D.cpp_type_name(value._dtype)}'"
                    f" to a tensor with grad_dtype '{D._LEGACY[self._dtype]}'. The gradient must "
                    "match the tensor's grad_dtype (defaults to the tensor's dtype). You can set "
                    "the tensor's grad_dtype attribute with a specific dtype, or None to allow any "
                    "dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and its "
                    "gradient may break downstream systems that assume they match."
                )
            if value.shape != self.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor "
                    f"of size '{list(self.shape)}'. Please ensure that the gradient and the "
                    "tensor are the same size"
                )
        self._grad = value

    @property
    def retains_grad(self) -> bool:
        return self._retain

    def _node_hooks(self) -> list:
        node = self._node
        if node._pre_hooks is None:
            node._pre_hooks = []
        return node._pre_hooks

    def register_hook(self, hook):
        """``hook(grad)`` runs when this tensor's gradient is computed; it may return a new one."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._node is not None:
            # NOTE: a non-leaf's hooks run as pre-hooks of its grad_fn, for its output slot.
            entry = (self._out_nr, hook)
            self._node_hooks().append(entry)
            return RemovableHandle(self._node._pre_hooks, item=entry)
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        return RemovableHandle(self._hooks, item=hook)

    def _alias(self, share_version: bool) -> Tensor:
        t = object.__new__(Tensor)
        t._storage = self._storage
        t._vc = self._counter() if share_version else None
        t._dtype = self._dtype
        t._node, t._out_nr, t._req = None, 0, False
        t._grad = t._hooks = t._accum = t._base = t._views = None
        t._retain = False
        return t

    def detach(self) -> Tensor:
        """A tensor sharing this one's storage and version counter, outside the graph."""
        return self._alias(share_version=True)

    def detach_(self) -> Tensor:
        self._node, self._out_nr, self._req = None, 0, False
        return self

    @property
    def data(self) -> Tensor:
        """The same storage with its own version counter, outside the graph (PyTorch's
        ``.data``: changes through it are invisible to autograd's checks)."""
        return self._alias(share_version=False)

    @data.setter
    def data(self, value: Tensor):
        self._storage = value._storage
        self._dtype = value._dtype

    # -- Python protocol -----------------------------------------------------------------------
    def __format__(self, spec):
        # torch: a 0-d tensor formats as its Python number; others only with an empty spec
        if self.ndim == 0:
            return format(self.item(), spec)
        if spec:
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return repr(self)

    def _numpy_for_print(self) -> np.ndarray:
        a = self._storage.array
        if self._dtype is D.bfloat16:
            return np.asarray(a.astype("float32"))
        return np.asarray(a)

    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self.numel() != 1:
            raise RuntimeError(
                f"a Tensor with {self.numel()} elements cannot be converted to Scalar"
            )
        return np.asarray(self._storage.array).reshape(()).item()

    def tolist(self):
        return np.asarray(self._storage.array).tolist()

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """A writable NumPy copy of the values (JAX arrays are immutable, so unlike torch's it
        cannot share memory: writes to it do not reach the tensor)."""
        if self.requires_grad and not force:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead."
            )
        return np.array(self._storage.array)

    def __array__(self, dtype=None, copy=None):
        a = np.asarray(self._storage.array)
        return a if dtype is None else a.astype(dtype)

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._storage.array.shape[0]

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self)))

    def __bool__(self) -> bool:
        n = self.numel()
        if n != 1:
            if n == 0:
                raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.item())

    def __float__(self) -> float:
        return float(self._scalar("float"))

    def __int__(self) -> int:
        return int(self._scalar("int"))

    def __complex__(self) -> complex:
        return complex(self._scalar("complex"))

    def __index__(self) -> int:
        if self._dtype._cat != D._INT or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def _scalar(self, kind):
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self.item()

    __hash__ = object.__hash__
    # NOTE: makes NumPy scalars defer to Tensor's reflected operators (np.float64(2) * t is a
    # tensor, as in torch).
    __array_priority__ = 1000


def _wrap_dim(dim: int, ndim: int) -> int:
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})"
        )
    return dim % n
