"""nn.DataParallel as torch runs it on a machine without CUDA: against real torch."""

from __future__ import annotations

from tests._parity import assert_same


def test_data_parallel_matches_torch():
    assert_same("""
        torch.manual_seed(0)
        inner = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU())
        m = torch.nn.DataParallel(inner)
        print(m)
        print(list(m.state_dict().keys()), m.device_ids, m.module is inner)
        x = torch.ones(4, 2)
        print(m(x).shape, torch.equal(m(x), inner(x)), len(list(m.parameters())))
        m.eval()
        print(inner.training, [n for n, _ in m.named_modules()])
    """)
