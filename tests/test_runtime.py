"""Runtime settings, predicates, interchange and math-free Tensor attributes against torch."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import torchlike

from .test_indexing_ops import same, same_error

torch = pytest.importorskip("torch")


@pytest.fixture
def restore():
    """Put every process-wide setting a test touches back (in both libraries)."""
    saved = [(lib, lib.get_num_threads(), lib.are_deterministic_algorithms_enabled(),
              lib.is_deterministic_algorithms_warn_only_enabled(),
              lib.get_float32_matmul_precision(), lib.is_warn_always_enabled(),
              lib.get_default_dtype()) for lib in (torch, torchlike)]  # fmt: skip
    yield
    for lib, threads, det, warn_only, prec, warn_always, dt in saved:
        lib.set_num_threads(threads)
        lib.use_deterministic_algorithms(det, warn_only=warn_only)
        lib.set_float32_matmul_precision(prec)
        lib.set_warn_always(warn_always)
        lib.set_default_dtype(dt)


@pytest.mark.usefixtures("restore")
def test_settings_round_trip():
    def run(t):
        t.set_num_threads(3)
        t.use_deterministic_algorithms(True, warn_only=True)
        a = (t.get_num_threads(), t.are_deterministic_algorithms_enabled(),
             t.is_deterministic_algorithms_warn_only_enabled(),
             t.get_deterministic_debug_mode())  # fmt: skip
        t.set_deterministic_debug_mode("error")
        b = (t.get_deterministic_debug_mode(), t.is_deterministic_algorithms_warn_only_enabled())
        t.set_deterministic_debug_mode(0)
        c = t.are_deterministic_algorithms_enabled()
        t.set_float32_matmul_precision("high")
        d = t.get_float32_matmul_precision()
        t.set_float32_matmul_precision("highest")
        t.set_warn_always(True)
        e = t.is_warn_always_enabled()
        return a, b, c, d, e, t.compiled_with_cxx11_abi() in (True, False)

    same(run)
    same_error(lambda t: t.set_num_threads(0))
    same_error(lambda t: t.set_num_interop_threads(-1))
    same_error(lambda t: t.set_deterministic_debug_mode("x"))
    same_error(lambda t: t.set_deterministic_debug_mode(5))
    assert torchlike.get_num_interop_threads() >= 1
    assert torchlike.set_flush_denormal(True) is True
    with pytest.warns(UserWarning, match="is not one of 'highest'"):
        torchlike.set_float32_matmul_precision("x")


def test_anomaly_flags():
    assert torchlike.is_anomaly_enabled() is torch.is_anomaly_enabled() is False
    assert torchlike.is_anomaly_check_nan_enabled() is torch.is_anomaly_check_nan_enabled()
    torchlike.set_anomaly_enabled(True, check_nan=False)
    try:
        assert torchlike.is_anomaly_enabled() and not torchlike.is_anomaly_check_nan_enabled()
    finally:
        torchlike.set_anomaly_enabled(False)


def test_names_and_predicates():
    for a in (np.ones(2, np.float32), np.ones(2, np.int64), np.ones(2, bool), np.ones(2)):
        same(lambda t, x: (t.typename(x), t.numel(x), t.get_device(x), t.is_inference(x)), a)
    same(lambda t: (t.typename(1), t.typename(2.0), t.typename([])))
    same(lambda t: t.is_storage(t.ones(2).untyped_storage()))
    same(lambda t: t.is_storage(t.ones(2)))
    same_error(lambda t: t.numel(3))
    same_error(lambda t: t.is_inference(1))
    same(lambda t: (str(t.strided), str(t.ones(2).layout), t.ones(2).layout is t.strided))


@pytest.mark.usefixtures("restore")
def test_set_default_tensor_type():
    def run(t):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            t.set_default_tensor_type("torch.DoubleTensor")
        return str(t.ones(1).dtype), str(t.get_default_dtype())

    same(run)
    with pytest.warns(UserWarning, match="set_default_tensor_type\\(\\) is deprecated"):
        torchlike.set_default_tensor_type("torch.FloatTensor")


def test_asarray():
    same(lambda t: t.asarray([1, 2.0]))
    same(lambda t: t.asarray(3))
    same(lambda t: t.asarray(3.0))
    same(lambda t: t.asarray(np.ones(2)))
    same(lambda t: t.asarray([[1, 2], [3, 4]], dtype=t.int32))
    same(lambda t, x: t.asarray(x, dtype=t.float64), np.ones(2, np.float32))
    same_error(lambda t: t.asarray([1, 2], copy=False))
    same_error(lambda t, x: t.asarray(x, dtype=t.float64, copy=False), np.ones(2, np.float32))
    x = torchlike.ones(2)
    assert torchlike.asarray(x) is x
    assert torchlike.asarray(x, copy=True) is not x
    y = torchlike.asarray(x, requires_grad=True)
    assert y.requires_grad and not x.requires_grad


def test_buffers_and_dlpack():
    buf = bytearray(np.arange(4, dtype=np.float32).tobytes())
    same(lambda t: t.frombuffer(buf, dtype=t.float32))
    same(lambda t: t.frombuffer(buf, dtype=t.int32, count=1, offset=4))
    same_error(lambda t: t.frombuffer(bytearray(3), dtype=t.float32))
    same_error(lambda t: t.frombuffer(bytearray(8), dtype=t.int32, count=3))
    a = np.arange(6.0).reshape(2, 3)
    t = torchlike.from_dlpack(a)
    np.testing.assert_array_equal(t.numpy(), a)
    np.testing.assert_array_equal(torchlike.from_dlpack(torch.arange(3)).numpy(), [0, 1, 2])
    np.testing.assert_array_equal(np.from_dlpack(torchlike.arange(3.0)), [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(torch.from_dlpack(torchlike.arange(3)).numpy(), [0, 1, 2])
    assert torchlike.to_dlpack(torchlike.ones(2)) is not None


def test_vmap():
    out = torchlike.vmap(lambda v: v * 2)(torchlike.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(out.numpy(), np.arange(6.0).reshape(2, 3) * 2)


def test_tensor_attributes():
    names = ("is_sparse", "is_sparse_csr", "is_quantized", "is_meta", "is_mkldnn", "is_nested",
             "is_xla", "is_xpu", "is_mps", "is_vulkan", "is_ipu", "is_maia", "is_mtia")  # fmt: skip
    same(lambda t: tuple(getattr(t.ones(2), n) for n in names))
    same(lambda t: (t.ones(2).name, t.ones(2).output_nr, t.ones(2).is_pinned()))
    same(lambda t, x: (x.dim_order(), x.t().dim_order(), x[None].dim_order()), np.ones((2, 3)))
    same(lambda t, x: x.unbind()[1].output_nr, np.ones((2, 3)), grad=(0,))
    same_error(lambda t: t.ones(2).pin_memory())

    def shared(t):
        x = t.ones(2)
        before = x.is_shared()
        return x.share_memory_() is x, before, x.is_shared()

    same(shared)

    class Sub(torchlike.Tensor):
        pass

    x = torchlike.ones(2, requires_grad=True) * 2
    s = x.as_subclass(Sub)
    assert type(s) is Sub and s.grad_fn is x.grad_fn and s.shape == (2,)


def test_apply_and_map():
    same(lambda t: t.tensor([1.0, 2.0]).apply_(lambda v: v * 3 + 1))
    same(lambda t: t.ones(2, 3).map_(t.arange(3.0), lambda a, b: a + b))
    same(lambda t: t.ones(2).map2_(t.ones(2), t.tensor([5.0, 6.0]), lambda a, b, c: a + b * c))
    same(lambda t: t.arange(4).apply_(lambda v: v * v))
    same_error(lambda t: t.ones(2, requires_grad=True).apply_(lambda v: v))
    for lib in (torch, torchlike):
        with pytest.warns(UserWarning, match="TypedStorage is deprecated"):
            lib.ones(2).storage()
