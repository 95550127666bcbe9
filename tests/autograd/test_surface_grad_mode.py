"""Grad-mode objects as torch uses them: bare decorators, generators, methods, nesting,
``set_grad_enabled`` as a decorator; ``inference_mode`` and its inference tensors; the errors
for ``.grad`` of the wrong size or dtype and for ``backward`` of a tensor that needs no grad."""

from __future__ import annotations

import pytest

from tests._parity import assert_same

SNIPPETS = {
    "bare_decorators": """
        x = torch.ones(2, requires_grad=True)

        @torch.no_grad
        def f(t):
            return t * 2

        @torch.enable_grad
        def g(t):
            return t * 2

        @torch.inference_mode
        def h():
            return torch.is_inference_mode_enabled(), torch.is_grad_enabled()

        print(f(x).requires_grad, h())
        with torch.no_grad():
            print(g(x).requires_grad)
    """,
    "generators_methods_nesting": """
        x = torch.ones(2, requires_grad=True)

        @torch.no_grad()
        def gen():
            got = yield (x * 2).requires_grad
            yield got, torch.is_grad_enabled()

        it = gen()
        print(next(it), torch.is_grad_enabled())
        print(it.send("sent"), torch.is_grad_enabled())

        class M:
            @torch.no_grad()
            def m(self, t):
                return t * 3

        print(M().m(x).requires_grad)

        @torch.no_grad()
        def nested():
            with torch.enable_grad():
                print(torch.is_grad_enabled())
                with torch.set_grad_enabled(False):
                    print(torch.is_grad_enabled())
            print(torch.is_grad_enabled())

        nested()

        @torch.set_grad_enabled(False)
        def off():
            return torch.is_grad_enabled()

        print(off(), torch.is_grad_enabled())
    """,
    "inference_tensors": """
        x = torch.ones(2, requires_grad=True)
        with torch.inference_mode():
            y = x * 2
            z = torch.ones(3)
            v = x[:1]
            print(y.is_inference(), y.requires_grad, z.is_inference(), v.is_inference())
            print(torch.is_inference_mode_enabled(), torch.is_grad_enabled())
            with torch.inference_mode(mode=False):
                print(torch.is_inference_mode_enabled(), torch.is_grad_enabled())
                print(torch.ones(2).is_inference())
            z.add_(1)
        print(x.is_inference(), z.view(3).is_inference(), z.clone().is_inference())
        for bad in (lambda: z.add_(1), lambda: z.__setitem__(0, 1.0),
                    lambda: (y * x).sum().backward(), lambda: z.requires_grad_(),
                    lambda: z._version):
            try:
                bad()
            except RuntimeError as e:
                print(e)
        print((y + x).requires_grad, (y * 3).is_inference())

        @torch.inference_mode()
        def f(a):
            return a * 2

        @torch.inference_mode(False)
        def g(a):
            return a * 2

        print(f(x).is_inference(), g(x).is_inference(), g(x).requires_grad)
    """,
    "inference_mode_nesting_and_threads": """
        import threading

        x = torch.ones(2, requires_grad=True)
        with torch.inference_mode():
            with torch.enable_grad():
                print(torch.is_grad_enabled(), torch.is_inference_mode_enabled())
                y = x * 2
                print(y.requires_grad, y.grad_fn, y.is_inference())
            with torch.no_grad():
                print(torch.is_inference_mode_enabled())
            t = threading.Thread(
                target=lambda: print(torch.is_inference_mode_enabled(), torch.is_grad_enabled())
            )
            t.start()
            t.join()
        with torch.no_grad():
            with torch.inference_mode(False):
                print(torch.is_grad_enabled())
            with torch.inference_mode():
                pass
            print(torch.is_grad_enabled())
    """,
    "grad_assignment_and_backward_errors": """
        x = torch.ones(2, 3, requires_grad=True)
        for g in (torch.ones(3), torch.ones(2, 3, dtype=torch.float64),
                  torch.ones(2, 3, dtype=torch.int64), torch.ones(3, 2, dtype=torch.half), 3):
            try:
                x.grad = g
            except (RuntimeError, TypeError) as e:
                print(type(e).__name__, e)
        try:
            torch.ones(2).sum().backward()
        except RuntimeError as e:
            print(e)
    """,
}


@pytest.mark.parametrize("name", SNIPPETS)
def test_same_as_torch(name):
    assert_same(SNIPPETS[name])
