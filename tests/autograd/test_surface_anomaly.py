"""Anomaly detection beside torch: the flags, ``detect_anomaly`` / ``set_detect_anomaly`` as
contexts, the NaN check (and ``check_nan=False``), the warning showing the forward call of the
node whose backward failed, and the in-place error's hint under anomaly mode."""

from __future__ import annotations

import pytest

from tests._parity import assert_same

# The forward traceback in the warning starts in the test harness (which calls torch and
# torchlike from different lines): compare the snippet's own frames only.
_PRELUDE = """
import warnings

def backward(out):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out.sum().backward()
        except RuntimeError as e:
            print(e)
    for w in caught:
        head, *frames = str(w.message).split("\\n  File ")
        print(head, [f for f in frames if f.startswith('"<string>"')])
"""

SNIPPETS = {
    "flags_and_nan_check": """
        print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
        torch.autograd.set_detect_anomaly(True)
        print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
        torch.autograd.set_detect_anomaly(False)
        with torch.autograd.detect_anomaly():
            print(torch.is_anomaly_enabled())
            x = torch.tensor([0.0, 1.0], requires_grad=True)
            w = torch.tensor([1.0, 2.0], requires_grad=True)
            backward(x / 0 * w)
        print(torch.is_anomaly_enabled())
        with torch.autograd.detect_anomaly(check_nan=False):
            print(torch.is_anomaly_check_nan_enabled())
            x = torch.tensor([0.0, 1.0], requires_grad=True)
            (x / 0 * 0).sum().backward()
            print(x.grad)
        with torch.autograd.set_detect_anomaly(True, check_nan=False):
            print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
        print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
    """,
    "errors_name_the_forward_call": """
        class Boom(torch.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                return t.clone()

            @staticmethod
            def backward(ctx, g):
                raise RuntimeError("Some error in backward")

        x = torch.ones(3, requires_grad=True)
        before = x.exp()
        before.add_(1)
        with torch.autograd.set_detect_anomaly(True):
            y = x.exp()
            y.add_(1)
            z = Boom.apply(x)
            print(sorted(y.grad_fn.metadata), sorted(before.grad_fn.metadata))
            for out in (y, before, z):
                backward(out)
    """,
}


@pytest.mark.parametrize("name", SNIPPETS)
def test_same_as_torch(name):
    assert_same(_PRELUDE + SNIPPETS[name])
