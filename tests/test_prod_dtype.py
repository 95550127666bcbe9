"""``prod(..., dtype=)`` against torch: the input is converted, then multiplied in ``dtype`` (an
integer dtype wraps; bool stays bool), rather than promoted to int64 as without ``dtype``."""

from __future__ import annotations

from tests._parity import assert_same


def test_prod_dtype_matches_torch():
    assert_same("""
        x = (torch.arange(1, 31).reshape(5, 6) % 7 + 1).to(torch.int8)
        for t in (torch.prod(x, 1, dtype=torch.int8), x.prod(dtype=torch.int16),
                  torch.prod(x, 0, keepdim=True, dtype=torch.float64),
                  torch.prod(x.bool(), 1, dtype=torch.bool), torch.prod(x, 1)):
            print(t.dtype, t)
        y = x.float().requires_grad_()
        p = torch.prod(y, 1, dtype=torch.float64)
        p.sum().backward()
        print(p.grad_fn.name(), y.grad)
    """)
