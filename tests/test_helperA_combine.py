"""cat / stack / hstack of a list holding a non-tensor, against torch: TypeError naming the
element and its type."""

from __future__ import annotations

import numpy as np
import pytest

from tests.test_indexing_ops import same_error

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("other", [None, 3, "a", [1.0, 2.0], np.zeros(2)])
@pytest.mark.parametrize("name", ["cat", "stack", "hstack", "vstack"])
def test_join_rejects_non_tensor(name, other):
    same_error(lambda t, x: getattr(t, name)((x, other)), np.zeros(2, np.float32))
    same_error(lambda t, x: getattr(t, name)([other, x]), np.zeros(2, np.float32))
