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
