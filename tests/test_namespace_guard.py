"""The public names torchlike had before the op-surface redesign (``namespace_pinned.tsv``,
written from the code as it was) must all still exist: moving declarations loses nothing."""

from __future__ import annotations

from pathlib import Path

import torchlike
import torchlike.nn.functional as F

_PINNED = Path(__file__).with_name("namespace_pinned.tsv")
_OWNERS = {"torch": torchlike, "Tensor": torchlike.Tensor, "nn.functional": F}


def test_no_public_name_lost():
    lost = []
    for line in _PINNED.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        owner, name = line.split("\t")
        if not hasattr(_OWNERS[owner], name):
            lost.append(f"{owner}.{name}")
    assert not lost, f"names lost: {lost}"
