"""Shared test set-up. Reference tests compare against real PyTorch 2.13 (a test-only
dependency); they skip without it, except when TORCHLIKE_REQUIRE_TORCH=1 (CI), where a missing
torch is an error."""

from __future__ import annotations

import os

import pytest

if os.environ.get("TORCHLIKE_REQUIRE_TORCH") == "1":
    import torch  # noqa: F401  (fails loudly: reference tests are mandatory here)


@pytest.fixture
def torch_ref():
    """Real PyTorch, or a clean skip when it is not installed (outside CI)."""
    return pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def _torch_backends_as_fresh():
    """Importing torch's OpInfo database (torch.testing._internal) calls
    ``torch.backends.disable_global_flags()`` for the whole process, after which user code such
    as ``torch.backends.cudnn.benchmark = True`` raises. Parity tests run user code on real
    torch as a fresh process has it, so the flag is restored before each test."""
    import sys

    backends = sys.modules.get("torch.backends")
    if backends is not None and backends.flags_frozen():  # op_db imported at collection
        # the flag is a global of the module's own namespace (the module object is wrapped)
        backends.flags_frozen.__globals__["__allow_nonbracketed_mutation_flag"] = True
