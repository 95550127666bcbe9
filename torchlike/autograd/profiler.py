"""``torch.autograd.profiler``: a CPU profiler of op-table calls.

>>> with torchlike.autograd.profiler.profile() as prof:
...     y = (x @ w).relu().sum()
...     y.backward()
>>> print(prof.key_averages().table(sort_by="cpu_time_total", row_limit=10))

What it records, honestly: every forward kernel call of the op table (named
``torchlike::<op>``), every backward (VJP) kernel call (``torchlike::<op>_backward``) and
``record_function`` ranges. Each op's time is wall time including waiting for its result: while
profiling, each kernel call blocks until its output is ready (JAX otherwise dispatches
asynchronously), so profiled code runs slower than unprofiled code. Ops that run inside a
traced program (``torchlike.func``, compile) are not recorded. The table has torch's columns
but its exact layout may differ from torch's.
"""

from __future__ import annotations

import threading
import time

import jax

__all__ = ["profile", "record_function", "EventList", "FunctionEvent", "FunctionEventAvg"]

_lock = threading.Lock()
_active: list = []  # NOTE: the running profilers (nested `with` blocks all record)
_saved_kernels: dict = {}


class FunctionEvent:
    """One recorded call: ``name``, ``cpu_time_total`` (µs), ``input_shapes``."""

    def __init__(self, name, start_us, end_us, input_shapes=None, is_range=False):
        self.name = self.key = name
        self.time_range = (start_us, end_us)
        self.input_shapes = input_shapes or []
        self.is_range = is_range
        self.count = 1

    @property
    def cpu_time_total(self) -> float:
        return self.time_range[1] - self.time_range[0]

    @property
    def self_cpu_time_total(self) -> float:
        # NOTE: a record_function range's self time excludes the op calls it contains.
        return 0.0 if self.is_range else self.cpu_time_total

    cpu_time = cpu_time_total

    def __repr__(self) -> str:
        return (f"<FunctionEvent name={self.name} cpu_time_total={self.cpu_time_total:.3f}us "
                f"input_shapes={self.input_shapes}>")  # fmt: skip


class FunctionEventAvg:
    """All calls of one name: ``count``, ``cpu_time_total``, ``self_cpu_time_total``,
    ``cpu_time`` (average)."""

    def __init__(self, key):
        self.key = self.name = key
        self.count = 0
        self.cpu_time_total = 0.0
        self.self_cpu_time_total = 0.0
        self.input_shapes = None

    def add(self, event) -> FunctionEventAvg:
        self.count += 1
        self.cpu_time_total += event.cpu_time_total
        self.self_cpu_time_total += event.self_cpu_time_total
        return self

    @property
    def cpu_time(self) -> float:
        return self.cpu_time_total / self.count if self.count else 0.0

    def __repr__(self) -> str:
        return (f"<FunctionEventAvg key={self.key} self_cpu_time={self.self_cpu_time_total:.3f}us "
                f"cpu_time={self.cpu_time:.3f}us count={self.count}>")  # fmt: skip


_SORT_KEYS = {
    "cpu_time_total": "cpu_time_total", "self_cpu_time_total": "self_cpu_time_total",
    "cpu_time": "cpu_time", "count": "count", "calls": "count",
    "self_cpu_time": "self_cpu_time_total",
}  # fmt: skip


def _fmt_time(us: float) -> str:
    if us >= 1e6:
        return f"{us / 1e6:.3f}s"
    if us >= 1e3:
        return f"{us / 1e3:.3f}ms"
    return f"{us:.3f}us"


class EventList(list):
    """A list of events (or averages) with PyTorch's ``table()`` and ``key_averages()``."""

    def key_averages(self, group_by_input_shape: bool = False) -> EventList:
        groups: dict = {}
        for e in self:
            key = (e.key, str(e.input_shapes)) if group_by_input_shape else e.key
            avg = groups.get(key)
            if avg is None:
                avg = groups[key] = FunctionEventAvg(e.key)
                avg.input_shapes = e.input_shapes if group_by_input_shape else None
            avg.add(e)
        return EventList(groups.values())

    @property
    def self_cpu_time_total(self) -> float:
        return sum(e.self_cpu_time_total for e in self)

    def table(self, sort_by=None, row_limit: int = 100, max_name_column_width: int = 55,
              header=None, top_level_events_only: bool = False, **kwargs) -> str:  # fmt: skip
        """A text table: Name, Self CPU %, Self CPU, CPU total %, CPU total, CPU time avg,
        # of Calls (sorted by ``sort_by``, descending), then the total self CPU time."""
        rows = list(self)
        if sort_by is not None:
            if sort_by not in _SORT_KEYS:
                raise AttributeError(f"'FunctionEventAvg' object has no attribute '{sort_by}'")
            attr = _SORT_KEYS[sort_by]
            rows.sort(key=lambda e: getattr(e, attr), reverse=True)
        if row_limit is not None and row_limit > 0:
            rows = rows[:row_limit]
        total = self.self_cpu_time_total or 1.0
        names = [e.key if len(e.key) <= max_name_column_width
                 else e.key[:max_name_column_width - 3] + "..." for e in rows]  # fmt: skip
        width = max([len("Name"), *map(len, names)]) + 2
        cols = ["Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg",
                "# of Calls"]  # fmt: skip
        line = "-" * width + ("  " + "-" * 12) * len(cols)
        out = []
        if header:
            out.append(header)
        out += [line, "Name".rjust(width) + "".join("  " + c.rjust(12) for c in cols), line]
        for name, e in zip(names, rows, strict=True):
            vals = [
                f"{100 * e.self_cpu_time_total / total:.2f}%", _fmt_time(e.self_cpu_time_total),
                f"{100 * e.cpu_time_total / total:.2f}%", _fmt_time(e.cpu_time_total),
                _fmt_time(e.cpu_time), str(e.count),
            ]  # fmt: skip
            out.append(name.rjust(width) + "".join("  " + v.rjust(12) for v in vals))
        out.append(line)
        out.append(f"Self CPU time total: {_fmt_time(self.self_cpu_time_total)}")
        return "\n".join(out) + "\n"


def _now_us() -> float:
    return time.perf_counter_ns() / 1e3


def _record(event) -> None:
    for prof in list(_active):
        prof._events.append(event)


class _TimedKernels(dict):
    """Stands in for an op's kernel cache while profiling: hands out timed kernels."""

    def __init__(self, inner, name):
        super().__init__(inner)
        self._name = name

    def get(self, key, default=None):
        k = dict.get(self, key)
        return default if k is None else self._timed(k)

    def setdefault(self, key, default=None):
        return self._timed(dict.setdefault(self, key, default))

    def _timed(self, k):
        name = self._name

        def timed(*args):
            start = _now_us()
            out = jax.block_until_ready(k(*args))
            shapes = [list(getattr(a, "shape", ())) for a in args]
            _record(FunctionEvent(name, start, _now_us(), shapes))
            return out

        return timed


def _install() -> None:
    from .._ops._registry import TABLE

    for op in TABLE.values():
        _saved_kernels[op] = (op._kernels, op._vjps)
        op._kernels = _TimedKernels(op._kernels, f"torchlike::{op.name}")
        op._vjps = _TimedKernels(op._vjps, f"torchlike::{op.name}_backward")


def _uninstall() -> None:
    for op, (kernels, vjps) in _saved_kernels.items():
        # NOTE: kernels compiled while profiling are kept.
        kernels.update(dict.items(op._kernels))
        vjps.update(dict.items(op._vjps))
        op._kernels, op._vjps = kernels, vjps
    _saved_kernels.clear()


class profile:
    """Context manager recording op calls: ``with profile() as prof: ...`` then
    ``prof.key_averages().table(sort_by="cpu_time_total")``. Options other than ``enabled``
    are accepted for compatibility (``record_shapes`` shapes are always recorded)."""

    def __init__(self, enabled: bool = True, *, use_cuda: bool = False, use_device=None,
                 record_shapes: bool = False, with_flops: bool = False,
                 profile_memory: bool = False, with_stack: bool = False,
                 with_modules: bool = False, use_kineto: bool = False, use_cpu: bool = True,
                 experimental_config=None, acc_events: bool = False,
                 custom_trace_id_callback=None):  # fmt: skip
        self.enabled = enabled
        self.record_shapes = record_shapes
        self._events: list = []
        self.function_events = None
        self.entered = False

    def __enter__(self):
        if not self.enabled:
            return self
        if self.entered:
            raise RuntimeError("Profiler context manager is not reentrant")
        self.entered = True
        with _lock:
            if not _active:
                _install()
            _active.append(self)
        return self

    def __exit__(self, *exc):
        if not self.enabled:
            return
        with _lock:
            _active.remove(self)
            if not _active:
                _uninstall()
        self.function_events = EventList(self._events)

    def _check(self):
        if self.function_events is None:
            raise RuntimeError("Profiler didn't finish running")

    def events(self) -> EventList:
        self._check()
        return self.function_events

    def key_averages(self, group_by_input_shape: bool = False, group_by_stack_n: int = 0,
                     group_by_overload_name: bool = False) -> EventList:  # fmt: skip
        self._check()
        return self.function_events.key_averages(group_by_input_shape)

    def table(self, sort_by=None, row_limit: int = 100, **kwargs) -> str:
        self._check()
        return self.function_events.table(sort_by=sort_by, row_limit=row_limit, **kwargs)

    @property
    def self_cpu_time_total(self) -> float:
        self._check()
        return self.function_events.self_cpu_time_total

    def __str__(self) -> str:
        return self.table() if self.function_events is not None else "<unfinished profile>"


class record_function:
    """Label a block of code in the profile (``with record_function("my_block"): ...``); also
    usable as a decorator."""

    def __init__(self, name: str, args=None):
        self.name = name

    def __enter__(self):
        self._start = _now_us()
        return self

    def __exit__(self, *exc):
        if _active:
            _record(FunctionEvent(self.name, self._start, _now_us(), is_range=True))

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with record_function(self.name):
                return fn(*args, **kwargs)

        return wrapper
