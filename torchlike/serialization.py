"""``save`` / ``load`` in PyTorch's own checkpoint format, written and read without torch.

The format (torch >= 1.6): an uncompressed zip whose entries sit under one folder
(``<name>/``): ``data.pkl`` (pickle protocol 2 of the object), ``data/<key>`` (raw little-endian
bytes of each storage), ``byteorder``, ``version``. Inside the pickle, a tensor is
``torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)`` and a
storage is a persistent id ``("storage", torch.<Type>Storage, key, location, numel)``.

``load`` is safe by default (``weights_only=True``): only the globals torch's weights-only
unpickler allows can be named by the pickle, so a checkpoint cannot run code.
"""

from __future__ import annotations

import _compat_pickle
import codecs
import collections
import functools
import io
import os
import pathlib
import pickle
import re
import sys
import zipfile

import jax.numpy as jnp
import numpy as np

from . import _dtype as D
from ._tensor import Size, Tensor

__all__ = ["save", "load", "add_safe_globals", "get_safe_globals", "clear_safe_globals"]

_STORAGE_NAMES = {
    "float32": "FloatStorage", "float64": "DoubleStorage", "float16": "HalfStorage",
    "bfloat16": "BFloat16Storage", "int64": "LongStorage", "int32": "IntStorage",
    "int16": "ShortStorage", "int8": "CharStorage", "uint8": "ByteStorage",
    "bool": "BoolStorage", "complex64": "ComplexFloatStorage",
    "complex128": "ComplexDoubleStorage",
}  # fmt: skip
_STORAGE_DTYPES = {v: k for k, v in _STORAGE_NAMES.items()}
_ALIGNMENT = 64


# -- writing -------------------------------------------------------------------------------------
class _GlobalRef:
    """Pickles as ``GLOBAL module name`` without importing ``module`` (here: torch's names)."""

    __slots__ = ("module", "name")

    def __init__(self, module: str, name: str):
        self.module, self.name = module, name

    def __call__(self, *args):  # NOTE: pickle requires a reduce function to be callable
        raise TypeError(f"{self.module}.{self.name} is a placeholder for pickling")


@functools.cache
def _ref(module: str, name: str) -> _GlobalRef:
    return _GlobalRef(module, name)


class _StorageRef:
    """A tensor's storage during pickling: replaced by its persistent id."""

    __slots__ = ("key", "dtype", "numel")

    def __init__(self, key: str, dtype: D.dtype, numel: int):
        self.key, self.dtype, self.numel = key, dtype, numel


def _dtype_name(dt: D.dtype) -> str:
    return repr(dt).split(".", 1)[1]


class _Pickler(pickle._Pickler):
    """The pure-Python pickler, taught to write torch's names for tensors, dtypes and sizes."""

    dispatch = pickle._Pickler.dispatch.copy()

    def __init__(self, file, storages: dict):
        super().__init__(file, protocol=2)
        self._storages = storages  # id(Storage) -> (_StorageRef, array)

    def _write_global(self, obj: _GlobalRef):
        self.write(pickle.GLOBAL + f"{obj.module}\n{obj.name}\n".encode())
        self.memoize(obj)

    dispatch[_GlobalRef] = _write_global

    def _write_dtype(self, obj: D.dtype):
        self.save(_ref("torch", _dtype_name(obj)))

    dispatch[D.dtype] = _write_dtype

    def persistent_id(self, obj):
        if isinstance(obj, _StorageRef):
            return ("storage", _ref("torch", _STORAGE_NAMES[_dtype_name(obj.dtype)]),
                    obj.key, "cpu", obj.numel)  # fmt: skip
        return None

    def reducer_override(self, obj):
        if isinstance(obj, Tensor):
            return self._reduce_tensor(obj)
        if type(obj) is Size:
            return _ref("torch", "Size"), (tuple(obj),)
        if type(obj).__name__ == "device" and type(obj).__module__ == "torchlike._device":
            return _ref("torch", "device"), (str(obj),)
        return NotImplemented

    def _reduce_tensor(self, t: Tensor):
        if _dtype_name(t.dtype) not in _STORAGE_NAMES:
            raise RuntimeError(f"torchlike.save: cannot save a tensor of dtype {t.dtype}")
        storage = t._storage
        entry = self._storages.get(id(storage))
        if entry is None or entry[1] is not storage.array:
            array = storage.array
            ref = _StorageRef(str(len(self._storages)), t.dtype, int(array.size))
            entry = self._storages[id(storage)] = (ref, array, storage)
        ref = entry[0]
        shape = tuple(t.shape)
        stride, acc = [], 1
        for s in reversed(shape):
            stride.append(acc)
            acc *= s
        args = (ref, 0, shape, tuple(reversed(stride)), bool(t.requires_grad),
                collections.OrderedDict())  # fmt: skip
        tensor = (_ref("torch._utils", "_rebuild_tensor_v2"), args)
        if type(t).__name__ == "Parameter":
            inner = _Rebuilt(tensor)
            return (_ref("torch._utils", "_rebuild_parameter"),
                    (inner, bool(t.requires_grad), collections.OrderedDict()))  # fmt: skip
        return tensor


class _Rebuilt:
    """A reduce tuple to be pickled as its own value (for ``_rebuild_parameter``'s argument)."""

    __slots__ = ("reduce",)

    def __init__(self, reduce):
        self.reduce = reduce

    def __reduce__(self):
        return self.reduce


def _archive_name(f) -> str:
    if isinstance(f, (str, os.PathLike)):
        return os.path.splitext(os.path.basename(os.fspath(f)))[0] or "archive"
    return "archive"


def _write_entry(zf: zipfile.ZipFile, name: str, data: bytes, align: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    info.create_system = 0
    if align:
        # NOTE: torch places each storage's bytes at a multiple of 64 (so it can mmap them);
        # an extra field of padding before the data does it.
        start = zf.fp.tell() + 30 + len(name.encode()) + 4
        pad = (-start) % _ALIGNMENT
        info.extra = b"FB" + pad.to_bytes(2, "little") + b"Z" * pad
    zf.writestr(info, data)


def save(obj, f, pickle_module=None, pickle_protocol: int = 2,
         _use_new_zipfile_serialization: bool = True,
         _disable_byteorder_record: bool = False) -> None:  # fmt: skip
    """Save ``obj`` (tensors, containers, numbers, strings, or any picklable object) to ``f`` (a
    path or a binary file) in PyTorch's format: ``torch.load`` reads it back."""
    storages: dict = {}
    buf = io.BytesIO()
    _Pickler(buf, storages).dump(obj)
    prefix = _archive_name(f)
    own = isinstance(f, (str, os.PathLike))
    fh = open(os.fspath(f), "wb") if own else f
    try:
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED) as zf:
            _write_entry(zf, f"{prefix}/data.pkl", buf.getvalue())
            _write_entry(zf, f"{prefix}/.format_version", b"1")
            _write_entry(zf, f"{prefix}/.storage_alignment", str(_ALIGNMENT).encode())
            if not _disable_byteorder_record:
                _write_entry(zf, f"{prefix}/byteorder", sys.byteorder.encode())
            for ref, array, _ in storages.values():
                data = np.ascontiguousarray(np.asarray(array)).reshape(-1)
                _write_entry(zf, f"{prefix}/data/{ref.key}", data.tobytes(), align=True)
            _write_entry(zf, f"{prefix}/version", b"3\n")
    finally:
        if own:
            fh.close()


# -- reading -------------------------------------------------------------------------------------
class _StorageType:
    """What ``torch.<Type>Storage`` resolves to while loading: it carries the element type."""

    def __init__(self, name: str):
        self.name = name
        self.dtype = getattr(D, _STORAGE_DTYPES.get(name, "uint8"))

    def __repr__(self):
        return f"StorageType(dtype=torch.{_dtype_name(self.dtype)})"


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                       metadata=None):  # fmt: skip
    flat, dtype = storage
    size, stride = tuple(size), tuple(stride)
    if 0 in size:
        values = np.zeros(size, flat.dtype)
    else:
        values = np.lib.stride_tricks.as_strided(
            flat[storage_offset:], shape=size, strides=[s * flat.itemsize for s in stride]
        ).copy()
    from ._dispatch import wrap

    t = wrap(jnp.asarray(values), dtype=dtype)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _rebuild_tensor(storage, storage_offset, size, stride):
    return _rebuild_tensor_v2(storage, storage_offset, size, stride, False, None)


def _rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                       dtype, metadata=None):  # fmt: skip
    return _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
                              backward_hooks, metadata)  # fmt: skip


def _parameter(data, requires_grad=True):
    from . import nn

    cls = getattr(nn, "Parameter", None)
    if cls is not None:
        return cls(data, requires_grad)
    t = data.detach()
    t.requires_grad_(requires_grad)
    return t


def _rebuild_parameter(data, requires_grad, backward_hooks):
    return _parameter(data, requires_grad)


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    p = _parameter(data, requires_grad)
    if isinstance(state, tuple) and state and isinstance(state[0], dict):
        state = state[0]
    if isinstance(state, dict):
        for k, v in state.items():
            try:
                setattr(p, k, v)
            except AttributeError:
                pass
    return p


def _rebuild_from_type_v2(func, new_type, args, state):
    return func(*args)


def _get_layout(name):
    return name


def _allowed_globals() -> dict:
    from ._device import device

    allowed = {
        "collections.OrderedDict": collections.OrderedDict,
        "collections.Counter": collections.Counter,
        "torch.nn.parameter.Parameter": _parameter,
        "torch.serialization._get_layout": _get_layout,
        "torch.Size": Size,
        "torch.device": device,
        "_codecs.encode": codecs.encode,
        "builtins.bytearray": bytearray,
        "builtins.set": set,
        "builtins.complex": complex,
        "torch._utils._rebuild_tensor": _rebuild_tensor,
        "torch._utils._rebuild_tensor_v2": _rebuild_tensor_v2,
        "torch._utils._rebuild_tensor_v3": _rebuild_tensor_v3,
        "torch._utils._rebuild_parameter": _rebuild_parameter,
        "torch._utils._rebuild_parameter_with_state": _rebuild_parameter_with_state,
        "torch._tensor._rebuild_from_type_v2": _rebuild_from_type_v2,
        "torch.Tensor": Tensor,
    }
    for name in _STORAGE_NAMES:
        allowed[f"torch.{name}"] = getattr(D, name)
    for storage in (*_STORAGE_DTYPES, "UntypedStorage", "TypedStorage"):
        allowed[f"torch.{storage}"] = _StorageType(storage)
    allowed.update(_user_globals)
    return allowed


_user_globals: dict = {}


def add_safe_globals(safe_globals: list) -> None:
    """Allow these classes/functions in ``load(..., weights_only=True)``."""
    for g in safe_globals:
        obj, name = g if isinstance(g, tuple) else (g, f"{g.__module__}.{g.__qualname__}")
        _user_globals[name] = obj


def get_safe_globals() -> list:
    return list(_user_globals.values())


def clear_safe_globals() -> None:
    _user_globals.clear()


_BLOCKED_MODULES = ("sys", "os", "posix", "nt")
_UNSAFE_MESSAGE = (
    "In PyTorch 2.6, we changed the default value of the `weights_only` argument in `torch.load` "
    "from `False` to `True`. Re-running `torch.load` with `weights_only` set to `False` will "
    "likely succeed, but it can result in arbitrary code execution. Do it only if you got the "
    "file from a trusted source."
)
_DOCS_MESSAGE = (
    "\n\nCheck the documentation of torch.load to learn more about types accepted by default with "
    "weights_only https://pytorch.org/docs/stable/generated/torch.load.html."
)


def _weights_only_message(message: str) -> str:
    """torch's wording around a weights-only unpickling failure."""
    if re.search(r"GLOBAL (\S+) was not an allowed global by default.", message):
        return (
            "Weights only load failed. This file can still be loaded, to do so you have two "
            "options, \033[1mdo those steps only if you trust the source of the checkpoint\033[0m. "
            f"\n\t(1) {_UNSAFE_MESSAGE}\n\t(2) Alternatively, to load with `weights_only=True` "
            "please check the recommended steps in the following error message.\n\t"
            "WeightsUnpickler error: " + message + _DOCS_MESSAGE
        )
    text = f"Weights only load failed. {_UNSAFE_MESSAGE}\n"
    if not re.search(r"whose module (\S+) is blocked", message):
        text += (
            "Please file an issue with the following so that we can make `weights_only=True` "
            "compatible with your use case: WeightsUnpickler error: "
        )
    return text + "\n\n" + message + _DOCS_MESSAGE


class _WeightsOnlyError(Exception):
    pass


class _Unpickler(pickle.Unpickler):
    """Resolves torch's names to torchlike's; with ``weights_only``, nothing else."""

    def __init__(self, file, read_storage, weights_only: bool):
        super().__init__(file, encoding="utf-8")
        self._read_storage = read_storage
        self._weights_only = weights_only
        self._allowed = _allowed_globals()

    def find_class(self, module, name):
        # NOTE: protocol 2 pickles name Python 2 modules (``__builtin__.set``); map them back
        # as the default ``find_class`` does.
        if (module, name) in _compat_pickle.NAME_MAPPING:
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        elif module in _compat_pickle.IMPORT_MAPPING:
            module = _compat_pickle.IMPORT_MAPPING[module]
        full = f"{module}.{name}"
        if full in self._allowed:
            return self._allowed[full]
        if not self._weights_only:
            if module.startswith("torch") and module != "torchlike" and not module.startswith(
                "torchlike."
            ):
                mod = __import__("torchlike" + module[5:], fromlist=["_"])
                return getattr(mod, name)
            return super().find_class(module, name)
        if module in _BLOCKED_MODULES:
            raise _WeightsOnlyError(
                f"Trying to load unsupported GLOBAL {full} whose module {module} is blocked."
            )
        if full.startswith("builtins"):
            full = full[len("builtins."):] if full.startswith("builtins.") else full
        raise _WeightsOnlyError(
            f"Unsupported global: GLOBAL {full} was not an allowed global by default. Please use "
            f"`torch.serialization.add_safe_globals([{full}])` or the "
            f"`torch.serialization.safe_globals([{full}])` context manager to allowlist this "
            "global if you trust this class/function."
        )

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and pid and pid[0] == "storage"):
            raise pickle.UnpicklingError("unsupported persistent id encountered")
        _, storage_type, key, _location, _numel = pid
        dtype = storage_type.dtype if isinstance(storage_type, _StorageType) else storage_type
        return self._read_storage(str(key), dtype)


def load(f, map_location=None, pickle_module=None, *, weights_only: bool | None = None,
         mmap: bool | None = None, **pickle_load_args):  # fmt: skip
    """Load an object saved by ``torch.save`` or ``torchlike.save`` from a path or binary file.

    With ``weights_only=True`` (the default, as in torch >= 2.6) only tensors, containers,
    primitive values and a short list of torch types may appear; anything else raises
    ``pickle.UnpicklingError``. ``map_location`` is accepted; tensors load on the CPU.
    """
    if weights_only is None:
        weights_only = True
    own = isinstance(f, (str, pathlib.PurePath, os.PathLike))
    fh = open(os.fspath(f), "rb") if own else f
    try:
        if not zipfile.is_zipfile(fh):
            raise RuntimeError(
                "torchlike.load: only the zip checkpoint format (torch >= 1.6) is supported"
            )
        fh.seek(0) if hasattr(fh, "seek") else None
        with zipfile.ZipFile(fh) as zf:
            return _load_zip(zf, weights_only)
    finally:
        if own:
            fh.close()


def _load_zip(zf: zipfile.ZipFile, weights_only: bool):
    names = zf.namelist()
    pkl = next((n for n in names if n.count("/") == 1 and n.endswith("/data.pkl")), None)
    if pkl is None:
        raise RuntimeError("PytorchStreamReader failed locating file data.pkl: file not found")
    prefix = pkl[: -len("data.pkl")]
    byteorder = "little"
    if f"{prefix}byteorder" in names:
        byteorder = zf.read(f"{prefix}byteorder").decode().strip()
    cache: dict = {}

    def read_storage(key: str, dtype: D.dtype):
        flat = cache.get(key)
        if flat is None:
            raw = zf.read(f"{prefix}data/{key}")
            np_dtype = dtype._np.newbyteorder("<" if byteorder == "little" else ">")
            flat = cache[key] = np.frombuffer(raw, np_dtype).astype(dtype._np)
        return flat, dtype

    unpickler = _Unpickler(io.BytesIO(zf.read(pkl)), read_storage, weights_only)
    try:
        return unpickler.load()
    except _WeightsOnlyError as e:
        raise pickle.UnpicklingError(_weights_only_message(str(e))) from None
    except pickle.UnpicklingError as e:
        if weights_only:
            raise pickle.UnpicklingError(_weights_only_message(str(e))) from None
        raise
