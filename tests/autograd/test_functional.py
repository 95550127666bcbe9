"""``autograd.functional`` against real torch: values, tuple nesting, create_graph, strict mode."""

from __future__ import annotations

import pytest

from tests._parity import assert_same

_PRE = """
    AF = torch.autograd.functional
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = torch.tensor([0.5, -1.0, 3.0])
    cube = lambda x: x ** 3
    def pair(a, b):
        return a.exp() * b.sum(), (a.sin() * 2).sum() + (b ** 2).sum()
    def scalar(a, b):
        return (a ** 2).sum() * (b ** 2).sum() + a.sin().sum() * b.sum()
"""

SNIPPETS = {
    "jacobian_single_and_tuples": _PRE + """
    print(AF.jacobian(cube, x))
    print(AF.jacobian(cube, x, vectorize=True))
    print(AF.jacobian(pair, (x, y)))
    print(AF.jacobian(lambda a: (a * 2, a.sum()), x))
    print(AF.jacobian(lambda a, b: a.exp() * b.sum(), (x, y)))
    print(AF.jacobian(lambda m: m @ m, torch.arange(4.0).reshape(2, 2)).shape)
    """,
    "jacobian_create_graph": _PRE + """
    j = AF.jacobian(cube, x, create_graph=True)
    print(j)
    j.sum().backward()
    print(x.grad)
    print(AF.jacobian(cube, x.detach(), create_graph=True))
    """,
    "hessian": _PRE + """
    print(AF.hessian(lambda a: (a ** 3).sum(), x))
    # + 0.0: -0.0 and 0.0 print alike (the sign of a zero depends on summation order).
    print([[h + 0.0 for h in row] for row in AF.hessian(scalar, (x, y))])
    h = AF.hessian(lambda a: (a ** 3).sum(), x, create_graph=True)
    print(h)
    h.sum().backward()
    print(x.grad)
    """,
    "vjp_jvp": _PRE + """
    print(AF.vjp(cube, x, torch.ones(2)))
    print(AF.vjp(lambda a: a.sum(), x))
    print(AF.vjp(pair, (x, y), (torch.ones(2), torch.tensor(2.0))))
    print(AF.jvp(cube, x, torch.tensor([1.0, -1.0])))
    print(AF.jvp(pair, (x, y), (torch.ones(2), torch.ones(3))))
    print(AF.vjp(cube, x, torch.ones(2), create_graph=True))
    print(AF.jvp(cube, x, torch.ones(2), create_graph=True))
    """,
    "hvp_vhp": _PRE + """
    f = lambda a: (a ** 3).sum()
    print(AF.hvp(f, x, torch.tensor([1.0, 0.5])))
    print(AF.vhp(f, x, torch.tensor([1.0, 0.5])))
    print(AF.hvp(scalar, (x, y), (torch.ones(2), torch.ones(3))))
    print(AF.vhp(scalar, (x, y), (torch.ones(2), torch.ones(3))))
    print(AF.hvp(f, x, torch.ones(2), create_graph=True))
    """,
    "closure_over_parameters": """
        AF = torch.autograd.functional
        w = torch.tensor([[1.0, 2.0], [0.5, -1.0]], requires_grad=True)
        f = lambda inp: torch.tanh(w @ inp)
        print(AF.jacobian(f, torch.tensor([0.3, -0.2])))
        j = AF.jacobian(f, torch.tensor([0.3, -0.2]), create_graph=True)
        j.sum().backward()
        print(w.grad)
    """,
    "errors": _PRE + """
    for call in [
        lambda: AF.vjp(cube, x),
        lambda: AF.jacobian(lambda a: 1.0, x),
        lambda: AF.jacobian(cube, x, strategy="forward-mode"),
        lambda: AF.jacobian(cube, x, strategy="sideways"),
        lambda: AF.jacobian(lambda a, b: a, (x, y), strict=True),
        lambda: AF.jacobian(lambda a: torch.ones(2), x, strict=True),
        lambda: AF.jacobian(lambda a: a * 2, x, create_graph=True, strict=True),
        lambda: AF.vjp(lambda a, b: a * 2, (x, y), torch.ones(2), strict=True),
        lambda: AF.vjp(cube, x, torch.ones(3)),
        lambda: AF.vjp(pair, (x, y), (torch.ones(2),)),
        lambda: AF.jvp(cube, x),
        lambda: AF.jacobian(cube, [x]),
        lambda: AF.jacobian(cube, 1.0),
        lambda: AF.hessian(cube, x),
        lambda: AF.hessian(lambda a: (a, a), x),
        lambda: AF.hvp(cube, x, torch.ones(2)),
    ]:
        try:
            print(call())
        except Exception as e:
            print(type(e).__name__, e)
    """,
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_functional_matches_torch(name):
    assert_same(SNIPPETS[name])


# -- autograd.profiler (torchlike only: it records torchlike's op calls, not aten's) ---------
def test_profiler_records_ops_and_builds_a_table():
    import torchlike
    from torchlike._ops._registry import TABLE

    profiler = torchlike.autograd.profiler
    x = torchlike.ones(3, 3, requires_grad=True)
    w = torchlike.full((3, 2), 0.5)
    with profiler.profile() as prof:
        with profiler.record_function("my_forward"):
            y = (x @ w).relu()
            y = (y * y).sum()
        y.backward()
    avg = {e.key: e for e in prof.key_averages()}
    assert avg["torchlike::mul"].count == 1 and avg["torchlike::relu"].count == 1
    assert avg["torchlike::matmul_backward"].count == 1 and avg["my_forward"].count == 1
    assert all(e.cpu_time_total >= 0 for e in avg.values())
    assert avg["my_forward"].cpu_time_total >= avg["torchlike::relu"].cpu_time_total
    table = prof.key_averages().table(sort_by="cpu_time_total", row_limit=3)
    lines = table.splitlines()
    assert "Self CPU %" in lines[1] and "# of Calls" in lines[1]
    assert len(lines) == 3 + 3 + 2 and lines[-1].startswith("Self CPU time total:")
    # sorted by total time: the first row is the largest (which one depends on timing: a
    # backward that compiles its kernel can outlast the forward range)
    assert lines[3].split()[0] == max(avg.values(), key=lambda e: e.cpu_time_total).key
    # Outside the block nothing is recorded and the kernel caches are plain again.
    assert all(type(op._kernels) is dict and type(op._vjps) is dict for op in TABLE.values())
    n = len(prof.events())
    (x * 2).sum()
    assert len(prof.events()) == n


def test_profiler_errors():
    import torchlike

    p = torchlike.autograd.profiler.profile()
    with pytest.raises(RuntimeError, match="Profiler didn't finish running"):
        p.key_averages()
    with p:
        torchlike.ones(2) + 1
    with pytest.raises(AttributeError):
        p.key_averages().table(sort_by="nonsense")
