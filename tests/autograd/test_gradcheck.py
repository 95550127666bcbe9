"""``torchlike.autograd.gradcheck`` / ``gradgradcheck`` beside torch's: the same functions pass,
the same wrong backwards fail with the same ``GradcheckError`` text (or return False), the same
warnings, and the options (fast mode, tolerances, ``nondet_tol``, ``check_undefined_grad``,
``grad_outputs``) are accepted and act alike."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike
from tests._parity import assert_same

torch = pytest.importorskip("torch")

# Inputs, a custom Function with a wrong first derivative (``Bad``: d(x*x) given as x) and one
# whose backward is right but not differentiable (``BadGG``: detaches x, so its gradgrad is 0).
_PRELUDE = """
x = torch.tensor([0.5, -1.25, 2.0], dtype=torch.float64, requires_grad=True)
a = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], dtype=torch.float64, requires_grad=True)
b = torch.tensor([[1.0, 2.0], [-0.5, 0.75], [0.3, -1.2]], dtype=torch.float64, requires_grad=True)
z = torch.tensor([0.5 + 1j, -1.25 + 0.5j, 2j], dtype=torch.complex128, requires_grad=True)

class Bad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, t):
        ctx.save_for_backward(t)
        return t * t

    @staticmethod
    def backward(ctx, g):
        t, = ctx.saved_tensors
        return g * t

class BadGG(torch.autograd.Function):
    @staticmethod
    def forward(ctx, t):
        ctx.save_for_backward(t)
        return t * t * t

    @staticmethod
    def backward(ctx, g):
        t, = ctx.saved_tensors
        return g * 3 * t.detach() ** 2

def two(p, q):
    return p @ q, p.sum() * q

def attempt(f, *args, **kwargs):
    try:
        print(f(*args, **kwargs))
    except RuntimeError as e:
        print(type(e).__name__, isinstance(e, RuntimeError), e)
"""


def _same(code: str) -> None:
    assert_same(_PRELUDE + code)


def test_functions_that_pass():
    _same("""
        cases = [
            (torch.sin, (x,)),
            (torch.matmul, (a, b)),
            (two, (a, b)),
            (lambda t: torch.exp(t) * t, (z,)),
            (lambda t: torch.polar(t.abs() + 1, t), (x,)),
            (lambda t: (t.sin(), t.argmax(), t.detach() * 2), (x,)),
            (torch.cos, (x,)),
        ]
        for check in (torch.autograd.gradcheck, torch.autograd.gradgradcheck):
            for fast in (False, True):
                print([check(f, args, fast_mode=fast) for f, args in cases])
    """)


def test_backward_reentrant_when_its_graph_repeats():
    # Each Jacobian column reruns one graph: the first run goes node by node, later ones would run
    # as one fused XLA program, whose contracted multiply-adds differ in the last bit (this failed
    # torch's reentrancy check, which compares the two Jacobians exactly).
    _same("""
        import torch.nn.functional as F
        t = torch.tensor([1.0, -1.0], dtype=torch.float64)
        y = torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]], dtype=torch.float64)
        cases = [
            (lambda p: F.cosine_embedding_loss(p, p.flip(0) * 0.5 + 0.1, t, margin=0.3), (a,)),
            (lambda p: F.multilabel_soft_margin_loss(p, y), (a,)),
        ]
        for check in (torch.autograd.gradcheck, torch.autograd.gradgradcheck):
            print([check(f, args) for f, args in cases])
    """)


def test_wrong_backward_fails_alike():
    _same("""
        gc, ggc = torch.autograd.gradcheck, torch.autograd.gradgradcheck
        attempt(gc, Bad.apply, (x,))
        attempt(gc, lambda t: Bad.apply(t) * 1j, (z,))
        print(gc(Bad.apply, (x,), raise_exception=False))
        print(gc(BadGG.apply, (x,)), gc(BadGG.apply, (x,), fast_mode=True))
        # NOTE: given grad_outputs: the default random ones come from each library's generator.
        g = torch.tensor([1.0, -0.5, 2.0], dtype=torch.float64, requires_grad=True)
        attempt(ggc, BadGG.apply, (x,), (g,))
        print(ggc(BadGG.apply, (x,), raise_exception=False))
        print(ggc(BadGG.apply, (x,), (torch.ones(3, dtype=torch.float64),), raise_exception=False))
    """)


@pytest.mark.parametrize("values", [[0.5, -1.25, 2.0], [0.5 + 1j, -1.25, 2j]])
def test_fast_mode_failure_message(values):
    """Fast mode projects on random vectors (torch's and torchlike's generators differ), so the
    numbers differ: the error's type, first line and layout are compared."""
    msgs = []
    for lib in (torch, torchlike):
        dtype = lib.complex128 if isinstance(values[0], complex) else lib.float64
        x = lib.tensor(values, dtype=dtype, requires_grad=True)

        class Bad(lib.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                ctx.save_for_backward(t)
                return t * t

            @staticmethod
            def backward(ctx, g):
                return g * ctx.saved_tensors[0]

        with pytest.raises(RuntimeError) as info:
            lib.autograd.gradcheck(Bad.apply, (x,), fast_mode=True)
        assert type(info.value).__name__ == "GradcheckError"
        passed = lib.autograd.gradcheck(Bad.apply, (x,), fast_mode=True, raise_exception=False)
        assert passed is False
        msgs.append(str(info.value))
    ref, mine = (m.splitlines() for m in msgs)
    assert mine[0] == ref[0]
    assert mine[0].endswith("Jacobian mismatch for output 0 with respect to input 0,")
    for line in (1, 2):  # numerical:<number>, analytical:<number>, as torch's 0-d f-strings
        head, _, number = mine[line].partition(":")
        assert head == ref[line].partition(":")[0]
        complex(number)
    assert mine[3:] == ref[3:]  # the slow-mode recomputation is deterministic


def test_not_double_precision_warns():
    assert_same("""
        x = torch.tensor([0.5, -1.25, 2.0], requires_grad=True)
        print(torch.autograd.gradcheck(lambda t: t * 2, (x,), raise_exception=False))
        print(torch.autograd.gradcheck(lambda t: t * 2, (x,), atol=0.1))
        print(torch.autograd.gradgradcheck(lambda t: t * t, (x,), atol=0.5))
    """)


def test_tolerances_nondet_tol_and_undefined_grad_options():
    _same("""
        class Skewed(torch.autograd.Function):  # 1e-4 relative error in its gradient
            @staticmethod
            def forward(ctx, t):
                return t * 2

            @staticmethod
            def backward(ctx, g):
                return g * 2.0002

        calls = [0]

        class Noisy(torch.autograd.Function):  # a backward that differs from call to call
            @staticmethod
            def forward(ctx, t):
                return t * 2

            @staticmethod
            def backward(ctx, g):
                calls[0] += 1
                return g * (2 + calls[0] * 1e-9)

        gc = torch.autograd.gradcheck
        print(gc(Skewed.apply, (x,)), gc(Skewed.apply, (x,), rtol=1e-5, atol=1e-8,
                                         raise_exception=False))
        attempt(gc, Skewed.apply, (x,), rtol=0, atol=1e-6)
        attempt(gc, Noisy.apply, (x,))
        print(gc(Noisy.apply, (x,), nondet_tol=1e-6))
        print(gc(torch.sin, (x,), check_undefined_grad=False, nondet_tol=1e-12, atol=1e-6,
                 rtol=1e-4, fast_mode=True, check_grad_dtypes=True))
        print(torch.autograd.gradgradcheck(two, (a, b), check_undefined_grad=False,
                                           nondet_tol=1e-12, atol=1e-6, rtol=1e-4))
    """)


def test_inputs_checked():
    assert_same("""
        x = torch.tensor([0.5, -1.25], dtype=torch.float64)
        for f in (lambda: torch.autograd.gradcheck(torch.sin, (x,)),
                  lambda: torch.autograd.gradcheck(torch.sin, (x.requires_grad_(),),
                                                   check_forward_ad=False,
                                                   check_backward_ad=False)):
            try:
                f()
            except (ValueError, AssertionError) as e:
                print(type(e).__name__, e)
    """)


def test_gradcheck_error_class():
    from torch.autograd.gradcheck import GradcheckError as TorchError

    from torchlike.autograd.gradcheck import GradcheckError

    assert issubclass(GradcheckError, RuntimeError) and issubclass(TorchError, RuntimeError)
    assert GradcheckError.__name__ == TorchError.__name__
    x = torchlike.tensor(np.array([0.5, 2.0]), requires_grad=True)
    with pytest.raises(GradcheckError, match=r"^Jacobian mismatch for output 0 with respect"):
        torchlike.autograd.gradcheck(_wrong_sq, (x,))


def _wrong_sq(t):
    class Half(torchlike.autograd.Function):
        @staticmethod
        def forward(ctx, u):
            return u * u

        @staticmethod
        def backward(ctx, g):
            return g

    return Half.apply(t)
