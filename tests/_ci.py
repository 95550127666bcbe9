"""Which parametrizations CI's suite runs: a deterministic 1-in-n subset of a sweep (by a hash of
the case id, so the subset does not move when cases are added elsewhere); the rest are marked
``slow`` and run in ``nox -s slow``."""

from __future__ import annotations

import zlib

import pytest


def ci_marks(case_id: str, share: int) -> list:
    """``[pytest.mark.slow]`` unless ``case_id`` is in CI's 1-in-``share`` subset."""
    return [pytest.mark.slow] if share > 1 and zlib.crc32(case_id.encode()) % share else []


def ci_sample(values, share: int, ids=str) -> list:
    """``values`` as pytest params, all but CI's 1-in-``share`` subset marked ``slow``."""
    return [pytest.param(v, id=ids(v), marks=ci_marks(ids(v), share)) for v in values]
