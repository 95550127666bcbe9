"""Once-per-process warnings (torch's TORCH_WARN_ONCE, ``torchlike/_warn_once.py``): one warning
per key, from any number of threads; every call warns under ``set_warn_always(True)``, as in
torch."""

from __future__ import annotations

import inspect
import threading
import warnings

import pytest

import torchlike
from torchlike import _warn_once

torch = pytest.importorskip("torch")

_CYCLE = "backward create_graph cycle"


def _count_cycle_warnings(lib, times):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(times):
            x = lib.ones(2, requires_grad=True)
            (x * x).sum().backward(create_graph=True)
    return sum("reference cycle" in str(w.message) for w in caught)


@pytest.fixture
def warn_always_restored():
    saved = (torch.is_warn_always_enabled(), torchlike.is_warn_always_enabled())
    yield
    torch.set_warn_always(saved[0])
    torchlike.set_warn_always(saved[1])


def test_cycle_warning_once_per_process(warn_always_restored):
    torchlike.set_warn_always(False)
    _warn_once._warned.discard(_CYCLE)  # NOTE: another test may have used it up already
    assert _count_cycle_warnings(torchlike, 3) == 1
    assert _count_cycle_warnings(torchlike, 2) == 0


def test_warn_always_warns_every_time_as_torch(warn_always_restored):
    for lib in (torch, torchlike):
        lib.set_warn_always(True)
        assert lib.is_warn_always_enabled() is True
        assert _count_cycle_warnings(lib, 3) == 3
        lib.set_warn_always(False)
        assert lib.is_warn_always_enabled() is False


def test_warn_always_does_not_use_up_the_key(warn_always_restored):
    key = object()
    torchlike.set_warn_always(True)
    with pytest.warns(UserWarning, match="first"):
        _warn_once.warn_once(key, "first")
    torchlike.set_warn_always(False)
    with pytest.warns(UserWarning, match="second"):
        _warn_once.warn_once(key, "second")


def test_one_warning_from_many_threads():
    key, start = object(), threading.Barrier(8)

    def worker():
        start.wait()
        for _ in range(50):
            _warn_once.warn_once(key, "raced", RuntimeWarning)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert [(w.category, str(w.message)) for w in caught] == [(RuntimeWarning, "raced")]


def test_stacklevel_names_the_callers_caller():
    def op():
        _warn_once.warn_once(object(), "here", stacklevel=2)

    with pytest.warns(UserWarning) as record:
        line = inspect.currentframe().f_lineno + 1
        op()
    assert (record[0].filename, record[0].lineno) == (__file__, line)
