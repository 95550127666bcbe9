"""Compare torchlike's tensor printing with real PyTorch on many generated tensors."""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")


def _load():
    """The (_tensor_str, _dtype) modules; loaded without ``torchlike/__init__`` if the
    package itself does not import (it is being written concurrently)."""
    try:
        import torchlike._dtype as dtype_mod
        import torchlike._tensor_str as str_mod

        return str_mod, dtype_mod
    except Exception:
        name = "_torchlike_isolated"
        pkg = types.ModuleType(name)
        pkg.__path__ = [str(Path(__file__).resolve().parents[1] / "torchlike")]
        sys.modules[name] = pkg
        return (importlib.import_module(f"{name}._tensor_str"),
                importlib.import_module(f"{name}._dtype"))  # fmt: skip


ts, tl_dtype = _load()

NP_DTYPES = {
    "float32": np.float32, "float64": np.float64, "float16": np.float16,
    "bfloat16": np.float32, "int8": np.int8, "int16": np.int16, "int32": np.int32,
    "int64": np.int64, "uint8": np.uint8, "bool": np.bool_, "complex64": np.complex64,
    "complex128": np.complex128,
}  # fmt: skip
FLOATS = ["float32", "float64", "float16", "bfloat16"]
INTS = ["int8", "int16", "int32", "int64", "uint8"]

OPTION_SETS = [
    {},
    {"precision": 2},
    {"precision": 8},
    {"precision": 0},
    {"threshold": 10},
    {"threshold": 20, "edgeitems": 1},
    {"threshold": 5, "edgeitems": 0},
    {"edgeitems": 0},
    {"linewidth": 40},
    {"linewidth": 200},
    {"linewidth": 10},
    {"sci_mode": True},
    {"sci_mode": False},
    {"profile": "short"},
    {"profile": "full"},
    {"profile": "short", "precision": 6, "sci_mode": True},
    {"threshold": 0},
]

SMALL_SHAPES = [(), (1,), (5,), (13,), (3, 4), (2, 3, 4), (2, 2, 2, 3), (1, 1, 7), (4, 1, 2)]
EMPTY_SHAPES = [(0,), (0, 3), (3, 0), (2, 0, 4), (0, 0)]
BIG_SHAPES = [(2000,), (40, 40), (3, 20, 30), (11, 12, 13), (2, 3, 11, 17), (1001,)]


def _float_values(rng, shape, kind):
    n = int(np.prod(shape))
    if kind == "normal":
        v = rng.standard_normal(n) * 10.0 ** rng.choice([-6, -3, -1, 0, 2, 4, 9])
    elif kind == "uniform":
        v = rng.uniform(-3, 3, n)
    elif kind == "integral":
        v = rng.integers(-50, 50, n).astype(np.float64) * rng.choice([1, 1000, 10**9])
    elif kind == "wide":
        v = np.exp(rng.uniform(-20, 20, n)) * rng.choice([-1, 1], n)
    elif kind == "special":
        v = rng.standard_normal(n) * 5
        pick = rng.choice([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0], n)
        mask = rng.random(n) < 0.4
        v[mask] = pick[mask]
    elif kind == "zeros":
        v = np.zeros(n) * rng.choice([1.0, -1.0])
    elif kind == "nonfinite":
        v = rng.choice([np.nan, np.inf, -np.inf, 0.0], n)
    else:  # "tiny"
        v = rng.uniform(1e-9, 1e-5, n)
    return v.reshape(shape)


FLOAT_KINDS = ["normal", "uniform", "integral", "wide", "special", "zeros", "nonfinite", "tiny"]


def _values(rng, shape, dt):
    n = int(np.prod(shape))
    if dt == "bool":
        return (rng.random(n) < 0.5).reshape(shape)
    if dt in INTS:
        info = np.iinfo(NP_DTYPES[dt])
        hi = min(info.max, rng.choice([10, 1000, 10**12]))
        lo = max(info.min, -hi)
        return rng.integers(lo, hi, n, endpoint=True).astype(NP_DTYPES[dt]).reshape(shape)
    if dt.startswith("complex"):
        re = _float_values(rng, shape, rng.choice(FLOAT_KINDS))
        im = _float_values(rng, shape, rng.choice(FLOAT_KINDS))
        out = np.empty(shape, NP_DTYPES[dt])
        out.real, out.imag = re, im
        return out
    v = _float_values(rng, shape, rng.choice(FLOAT_KINDS))
    with np.errstate(over="ignore"):
        return v.astype(NP_DTYPES[dt])


def _takes_grad(dt):
    return dt in FLOATS[:3] or dt.startswith("complex")


def _build_cases():
    rng = np.random.default_rng(1234)
    dtypes = FLOATS * 3 + INTS + ["bool", "complex64", "complex64", "complex128"]
    cases = []
    for i in range(520):
        r = rng.random()
        shapes = SMALL_SHAPES if r < 0.75 else EMPTY_SHAPES if r < 0.83 else BIG_SHAPES
        shape = shapes[rng.integers(len(shapes))]
        dt = dtypes[rng.integers(len(dtypes))]
        opts = OPTION_SETS[rng.integers(len(OPTION_SETS))] if i % 3 else {}
        grad = "none"
        if _takes_grad(dt):
            grad = ["none", "none", "requires_grad", "grad_fn"][rng.integers(4)]
        cases.append((_values(rng, shape, dt), dt, opts, grad))
    return cases


CASES = _build_cases()


@pytest.fixture(autouse=True)
def _reset_options():
    yield
    torch.set_printoptions(profile="default")
    ts.set_printoptions(profile="default")
    torch.set_default_dtype(torch.float32)
    tl_dtype.set_default_dtype(tl_dtype.float32)


def _torch_tensor(arr, dt, grad):
    t = torch.from_numpy(np.array(arr)).to(getattr(torch, dt))
    if grad == "requires_grad":
        t.requires_grad_()
    elif grad == "grad_fn":
        t = t.requires_grad_() * 1
    return t


def _ours(t, dt, grad):
    values = (t.detach().float() if dt == "bfloat16" else t.detach()).numpy()
    return ts.tensor_repr(
        values, getattr(tl_dtype, dt),
        requires_grad=t.requires_grad,
        grad_fn_name=type(t.grad_fn).__name__ if t.grad_fn is not None else None,
    )  # fmt: skip


@pytest.mark.parametrize(
    "index", range(len(CASES)),
    ids=[f"{i}-{c[1]}-{'x'.join(map(str, c[0].shape))}" for i, c in enumerate(CASES)],
)  # fmt: skip
def test_matches_torch(index):
    arr, dt, opts, grad = CASES[index]
    torch.set_printoptions(**opts)
    ts.set_printoptions(**opts)
    t = _torch_tensor(arr, dt, grad)
    assert _ours(t, dt, grad) == repr(t)


HAND_CASES = [
    (np.array(1.0), "float32"),
    (np.array(-0.0), "float32"),
    (np.array([-0.0, 0.0]), "float32"),
    (np.array([1.0, 2.5, -0.0]), "float64"),
    (np.array([1e-5, 1.0]), "float32"),
    (np.array([1e8, 1.0]), "float32"),
    (np.array([1.5e8, 1.0]), "float32"),
    (np.array([1000.0, 1.0]), "float32"),
    (np.array([1001.0, 1.0]), "float32"),
    (np.array([1e-4, 1e-4]), "float32"),
    (np.array([65504.0, -65504.0, 6e-8]), "float16"),
    (np.array([np.nan, np.inf, -np.inf]), "float32"),
    (np.array([np.nan, 1.5, -np.inf]), "float32"),
    (np.array([np.nan, 1e10, -np.inf]), "float32"),
    (np.array([1 + 2j, -3 - 0j, 0.5j]), "complex64"),
    (np.array([1e-6 + 1e6j, complex(np.nan, -np.inf)]), "complex64"),
    (np.array([True]), "bool"),
    (np.array(False), "bool"),
    (np.arange(40, dtype=np.int64), "int64"),
    (np.arange(3000, dtype=np.float32).reshape(3, 1000), "float32"),
    (np.arange(2000, dtype=np.float32) * 1e-7, "float32"),
    (np.full((2, 3), 3.14159), "bfloat16"),
    (np.array([[255, 0]], dtype=np.uint8), "uint8"),
]


HAND_GRAD_CASES = [
    (arr, dt, grad)
    for arr, dt in HAND_CASES
    for grad in ("none", "grad_fn")
    if grad == "none" or _takes_grad(dt)
]


@pytest.mark.parametrize("arr, dt, grad", HAND_GRAD_CASES)
def test_hand_picked(arr, dt, grad):
    t = _torch_tensor(arr, dt, grad)
    assert _ours(t, dt, grad) == repr(t)


@pytest.mark.parametrize("dt", ["float32", "float64", "complex64", "complex128", "int64"])
@pytest.mark.parametrize("shape", [(3,), (2, 2), (0,), (0, 2)])
def test_default_dtype_float64(dt, shape):
    torch.set_default_dtype(torch.float64)
    tl_dtype.set_default_dtype(tl_dtype.float64)
    t = _torch_tensor(np.arange(int(np.prod(shape))).reshape(shape) * 0.5, dt, "none")
    assert _ours(t, dt, "none") == repr(t)


def test_suffix_wrapping():
    # A long last line pushes the suffixes onto their own lines, indented under "tensor(".
    torch.set_printoptions(linewidth=60)
    ts.set_printoptions(linewidth=60)
    for n in range(1, 12):
        t = _torch_tensor(np.linspace(-1, 1, n), "float64", "grad_fn")
        assert _ours(t, "float64", "grad_fn") == repr(t)


def _torch_with_suffixes(t, suffixes):
    # torch's own suffix placement, for suffixes a CPU-only torch cannot produce.
    body = torch._tensor_str._tensor_str(t, len("tensor("))
    return torch._tensor_str._add_suffixes("tensor(" + body, suffixes, len("tensor("), False)


def test_device_suffix():
    arr = np.array([1.0, 2.0], dtype=np.float32)
    assert ts.tensor_repr(arr, tl_dtype.float32, device="cpu") == "tensor([1., 2.])"
    assert ts.tensor_repr(arr, tl_dtype.float32, device=None) == "tensor([1., 2.])"
    got = ts.tensor_repr(arr, tl_dtype.float64, device="cuda:0", requires_grad=True)
    assert got == "tensor([1., 2.], device='cuda:0', dtype=torch.float64, requires_grad=True)"
    for linewidth in (30, 40, 50, 60, 80):
        torch.set_printoptions(linewidth=linewidth)
        ts.set_printoptions(linewidth=linewidth)
        for shape in [(2,), (2, 2), (3, 5)]:
            t = torch.ones(shape, dtype=torch.float16)
            suffixes = ["device='cuda:1'", "dtype=torch.float16", "grad_fn=<AddBackward0>"]
            got = ts.tensor_repr(t.numpy(), tl_dtype.float16, device="cuda:1",
                                 grad_fn_name="AddBackward0")  # fmt: skip
            assert got == _torch_with_suffixes(t, suffixes)


def test_parameter():
    p = torch.nn.Parameter(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    ours = ts.tensor_repr(p.detach().numpy(), tl_dtype.float32, requires_grad=True,
                          is_parameter=True)  # fmt: skip
    assert ours == repr(p)


def test_bfloat16_from_unrounded_values():
    arr = np.array([3.14159, 1e-3], dtype=np.float32)
    t = torch.from_numpy(arr).to(torch.bfloat16)
    assert ts.tensor_repr(arr, tl_dtype.bfloat16) == repr(t)


def test_printoptions_api():
    assert ts.get_printoptions() == torch._tensor_str.get_printoptions()
    ts.set_printoptions(precision=2, sci_mode=True)
    torch.set_printoptions(precision=2, sci_mode=True)
    assert ts.get_printoptions() == torch._tensor_str.get_printoptions()
    # Leaving sci_mode out resets it, as in torch.
    ts.set_printoptions(linewidth=50)
    torch.set_printoptions(linewidth=50)
    assert ts.get_printoptions() == torch._tensor_str.get_printoptions()
    ts.set_printoptions(profile="full")
    torch.set_printoptions(profile="full")
    assert ts.get_printoptions() == torch._tensor_str.get_printoptions()
    ts.set_printoptions(profile="default")
    with ts.printoptions(precision=1, threshold=5):
        assert ts.get_printoptions()["precision"] == 1
        assert ts.tensor_repr(np.arange(10.0), tl_dtype.float64) == (
            "tensor([0., 1., 2.,  ..., 7., 8., 9.], dtype=torch.float64)"
        )
    assert ts.get_printoptions() == {
        "precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80, "sci_mode": None,
    }  # fmt: skip

    @ts.printoptions(precision=1)
    def show():
        return ts.tensor_repr(np.array([1.25, 2.0], np.float32), tl_dtype.float32)

    assert show() == "tensor([1.2, 2.0])"
    assert ts.get_printoptions()["precision"] == 4
