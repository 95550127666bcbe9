"""Anomaly detection: while on, each new graph node keeps the traceback of the forward call that
made it (``node.metadata["traceback_"]``), an error in its backward is preceded by a warning
showing that traceback, and (``check_nan``) a backward that returns NaN raises."""

from __future__ import annotations

import os
import traceback
import warnings

from .._grad_state import anomaly as _anomaly

__all__ = ["detect_anomaly", "set_detect_anomaly"]

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def is_anomaly_enabled() -> bool:
    return _anomaly.enabled


def is_anomaly_check_nan_enabled() -> bool:
    return _anomaly.check_nan


def set_anomaly_enabled(enabled: bool, check_nan: bool = True) -> None:
    _anomaly.enabled, _anomaly.check_nan = bool(enabled), bool(check_nan)


class detect_anomaly:
    """Context manager that turns anomaly detection on (warning that it is slow).

    >>> with torch.autograd.detect_anomaly():
    ...     out = f(x)
    ...     out.backward()     # a NaN gradient raises, naming the node and its forward call
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.prev, self.prev_check_nan = _anomaly.enabled, _anomaly.check_nan
        self.check_nan = check_nan
        warnings.warn(
            "Anomaly Detection has been enabled. This mode will increase the runtime and should "
            "only be enabled for debugging.",
            stacklevel=2,
        )

    def __enter__(self) -> None:
        set_anomaly_enabled(True, self.check_nan)

    def __exit__(self, *exc) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)


class set_detect_anomaly:
    """Sets anomaly detection on or off: at once, and back when used as a context exits."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev, self.prev_check_nan = _anomaly.enabled, _anomaly.check_nan
        set_anomaly_enabled(mode, check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)


def forward_trace() -> list:
    """The user's stack at a node's creation, torchlike's own frames left out (torch's forward
    runs in C++, below the user's last Python frame)."""
    frames = [f for f in traceback.extract_stack() if not f.filename.startswith(_PACKAGE)]
    return traceback.format_list(frames)


def warn_error_in(node) -> None:
    """Before an error in ``node``'s backward propagates: where its forward was called."""
    trace = node.metadata.get("traceback_")
    if trace is None:
        warnings.warn(
            f"Error detected in {node.name()}. No forward pass information available. Enable "
            "detect anomaly during forward pass for more information.",
            stacklevel=2,
        )
        return
    warnings.warn(
        f"Error detected in {node.name()}. Traceback of forward call that caused the error:\n"
        + "".join(trace),
        stacklevel=2,
    )
