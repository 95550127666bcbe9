"""Setitem and getitem as torch: a value with extra leading size-1 dims, and advanced indices
that do not broadcast together (torch's IndexError, for both reading and writing)."""

from __future__ import annotations

from tests._parity import assert_same


def test_setitem_and_mismatched_advanced_indices():
    assert_same("""
        x = torch.zeros(3, 4)
        x[0] = torch.ones(1, 4)
        x[1:3] = torch.ones(1, 1, 2, 4) * 2
        print(x)
        for k in [(torch.tensor([0, 1]), torch.tensor([0, 1, 2])),
                  (torch.tensor([[0], [1]]), torch.tensor([0, 1, 2])),
                  (torch.tensor([True, False, True]), torch.tensor([0, 1, 2])),
                  (torch.tensor([0, 1]), slice(None))]:
            try:
                x[k] = 1.0
                print(x.sum())
            except IndexError as e:
                print("IndexError", e)
            try:
                print(x[k].shape)
            except IndexError as e:
                print("IndexError", e)
    """)
