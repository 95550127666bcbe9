"""Grad mode: context managers, decorators, nesting, and thread-locality."""

from __future__ import annotations

import threading

import pytest

import torchlike
from tests._parity import assert_same

SNIPPETS = {
    "no_grad_block_and_detach": """
        x = torch.ones(5)
        w = torch.ones(5, 3, requires_grad=True)
        b = torch.ones(3, requires_grad=True)
        z = torch.matmul(x, w) + b
        print(z.requires_grad)
        with torch.no_grad():
            z2 = torch.matmul(x, w) + b
            print(z2.requires_grad, torch.is_grad_enabled())
        print(z.detach().requires_grad, torch.is_grad_enabled())
    """,
    "decorators_and_nesting": """
        x = torch.ones(2, requires_grad=True)

        @torch.no_grad()
        def f(t):
            return t * 2

        @torch.enable_grad()
        def g(t):
            return t * 2

        print(f(x).requires_grad)
        with torch.no_grad():
            print(g(x).requires_grad)
            with torch.enable_grad():
                print((x * 2).requires_grad)
            print((x * 2).requires_grad)
    """,
    "set_grad_enabled": """
        x = torch.ones(2, requires_grad=True)
        with torch.set_grad_enabled(False):
            print((x * 2).requires_grad)
        torch.set_grad_enabled(False)
        print((x * 2).requires_grad)
        torch.set_grad_enabled(True)
        print((x * 2).requires_grad)
    """,
    "inference_mode": """
        x = torch.ones(2, requires_grad=True)
        with torch.inference_mode():
            y = x * 2
            print(y.requires_grad, torch.is_grad_enabled())
        print(torch.is_grad_enabled())
    """,
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_grad_mode_matches_torch(name):
    assert_same(SNIPPETS[name])


def test_grad_mode_is_thread_local():
    seen = {}
    inside = threading.Event()
    release = threading.Event()

    def worker():
        with torchlike.no_grad():
            seen["worker"] = torchlike.is_grad_enabled()
            inside.set()
            release.wait(5)

    t = threading.Thread(target=worker)
    t.start()
    inside.wait(5)
    seen["main"] = torchlike.is_grad_enabled()
    x = torchlike.ones(2, requires_grad=True)
    seen["main_records"] = (x * 2).requires_grad
    release.set()
    t.join()
    assert seen == {"worker": False, "main": True, "main_records": True}
