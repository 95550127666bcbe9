"""``torch._logging``'s switch for what ``torchlike.compile`` reports: ``set_logs(recompiles=True,
graph_breaks=True)``, or the environment variable ``TORCHLIKE_LOGS`` (``TORCH_LOGS`` is read too)
holding a comma-separated list such as ``recompiles,graph_breaks``, read at import.

Each trace is logged on ``torchlike.compile.recompiles`` with its reason ("first call", "an
argument's shape, dtype or requires_grad changed"...), each eager fallback on
``torchlike.compile.graph_breaks``; both are ordinary ``logging`` loggers.
"""

from __future__ import annotations

import logging
import os
import sys

__all__ = ["set_logs"]

_ARTIFACTS = ("recompiles", "graph_breaks")
_handler = None


def set_logs(*, recompiles: bool = False, graph_breaks: bool = False, **others) -> None:
    """Print (to stderr) the retraces and/or graph breaks of compiled functions; switches not
    listed are accepted and have nothing to show here."""
    global _handler
    if _handler is None:
        _handler = logging.StreamHandler(sys.stderr)
        _handler.setFormatter(logging.Formatter("[torchlike.compile] %(message)s"))
        parent = logging.getLogger("torchlike.compile")
        parent.addHandler(_handler)
    for name, on in zip(_ARTIFACTS, (recompiles, graph_breaks)):
        logging.getLogger(f"torchlike.compile.{name}").setLevel(
            logging.INFO if on else logging.NOTSET
        )


def _from_environment() -> None:
    spec = os.environ.get("TORCHLIKE_LOGS") or os.environ.get("TORCH_LOGS") or ""
    names = {s.strip().lstrip("+") for s in spec.split(",") if s.strip()}
    if names & set(_ARTIFACTS):
        set_logs(**{n: True for n in names & set(_ARTIFACTS)})


_from_environment()
