"""mode's index among equal values on rows longer than 16 (where torch's CPU std::sort is no
longer an insertion sort), against real torch."""

from __future__ import annotations

import numpy as np
import pytest

from tests.test_indexing_ops import same

torch = pytest.importorskip("torch")


def test_mode_ties_long_rows():
    x = np.random.default_rng(7).integers(-5, 6, (3, 40))
    # the last occurrence (an insertion sort's answer) is not torch's for these rows
    last = [max(np.flatnonzero(r == torch.mode(torch.tensor(r)).values.item())) for r in x]
    assert last != torch.mode(torch.tensor(x)).indices.tolist()
    same(lambda t, a: t.mode(a), x)
