"""Functional layers (conv, pooling, normalisation, padding, interpolation) against real torch:
values, grad_fn names and input/weight gradients, float32 and float64; error parity."""

from __future__ import annotations

import numpy as np
import pytest

from tests._ci import ci_marks
from tests._parity import assert_same
from tests.nn._layer_check import G, run_case


def F(m):
    return m.nn.functional


# id -> (fn(m, *tensors), input specs)
# fmt: off
CASES = {
    "conv2d": (lambda m, x, w, b: F(m).conv2d(x, w, b), [G(2, 3, 5, 5), G(4, 3, 3, 3), G(4)]),
    "conv2d_stride_pad_dil": (lambda m, x, w: F(m).conv2d(x, w, stride=(2, 1), padding=(1, 2),
                                                          dilation=(1, 2)),
                              [G(1, 2, 7, 6), G(3, 2, 3, 2)]),
    "conv2d_same": (lambda m, x, w: F(m).conv2d(x, w, padding="same", dilation=2),
                    [G(1, 2, 6, 5), G(2, 2, 2, 3)]),
    "conv2d_valid_groups": (lambda m, x, w: F(m).conv2d(x, w, padding="valid", groups=2),
                            [G(2, 4, 5, 5), G(6, 2, 3, 3)]),
    "conv2d_unbatched": (lambda m, x, w: F(m).conv2d(x, w, padding=1), [G(2, 4, 4), G(3, 2, 3, 3)]),
    "conv_transpose2d_unbatched": (lambda m, x, w: F(m).conv_transpose2d(x, w),
                                   [G(2, 3, 3), G(2, 3, 2, 2)]),
    "conv1d": (lambda m, x, w, b: F(m).conv1d(x, w, b, stride=2, padding=1),
               [G(2, 3, 9), G(4, 3, 3), G(4)]),
    "conv1d_same_groups": (lambda m, x, w: F(m).conv1d(x, w, padding="same", groups=3),
                           [G(1, 3, 8), G(6, 1, 5)]),
    "conv_transpose2d": (lambda m, x, w, b: F(m).conv_transpose2d(x, w, b),
                         [G(2, 3, 4, 4), G(3, 2, 3, 3), G(2)]),
    "conv_transpose2d_full": (lambda m, x, w: F(m).conv_transpose2d(
        x, w, stride=(2, 3), padding=(1, 0), output_padding=(1, 2), groups=2, dilation=(1, 1)),
        [G(1, 4, 3, 3), G(4, 3, 3, 3)]),
    "conv_transpose2d_dil": (lambda m, x, w: F(m).conv_transpose2d(x, w, stride=2, padding=1,
                                                                   dilation=2),
                             [G(1, 2, 3, 4), G(2, 3, 2, 3)]),
    "conv_transpose1d": (lambda m, x, w: F(m).conv_transpose1d(x, w, stride=2, output_padding=1),
                         [G(2, 2, 5), G(2, 3, 3)]),
    "max_pool2d": (lambda m, x: F(m).max_pool2d(x, 2), [G(2, 2, 4, 5)]),
    "max_pool2d_idx": (lambda m, x: F(m).max_pool2d(x, 3, stride=2, padding=1, dilation=1,
                                                    ceil_mode=True, return_indices=True),
                       [G(1, 2, 7, 6)]),
    "max_pool2d_dil": (lambda m, x: F(m).max_pool2d(x, (2, 3), stride=(1, 2), dilation=(2, 1),
                                                    return_indices=True),
                       [G(1, 1, 6, 7)]),
    "max_pool2d_overlap_unbatched": (lambda m, x: F(m).max_pool2d(x, 3, 1), [G(2, 5, 5)]),
    "max_pool1d": (lambda m, x: F(m).max_pool1d(x, 3, 2, 1, ceil_mode=True, return_indices=True),
                   [G(2, 3, 8)]),
    "avg_pool2d": (lambda m, x: F(m).avg_pool2d(x, 2), [G(2, 2, 4, 6)]),
    "avg_pool2d_pad_ceil": (lambda m, x: F(m).avg_pool2d(x, 3, 2, 1, ceil_mode=True),
                            [G(1, 2, 6, 7)]),
    "avg_pool2d_exclude_pad": (lambda m, x: F(m).avg_pool2d(x, (3, 2), (2, 1), (1, 1),
                                                            ceil_mode=True,
                                                            count_include_pad=False),
                               [G(1, 2, 6, 5)]),
    "avg_pool2d_divisor": (lambda m, x: F(m).avg_pool2d(x, 2, divisor_override=3),
                           [G(1, 1, 4, 4)]),
    "avg_pool1d": (lambda m, x: F(m).avg_pool1d(x, 3, 2, 1, count_include_pad=False),
                   [G(2, 2, 7)]),
    "adaptive_avg_pool2d": (lambda m, x: F(m).adaptive_avg_pool2d(x, (3, 2)), [G(2, 2, 7, 5)]),
    "adaptive_avg_pool2d_none": (lambda m, x: F(m).adaptive_avg_pool2d(x, (None, 4)),
                                 [G(1, 2, 3, 6)]),
    "adaptive_avg_pool2d_1": (lambda m, x: F(m).adaptive_avg_pool2d(x, 1), [G(2, 3, 4, 4)]),
    "adaptive_avg_pool1d": (lambda m, x: F(m).adaptive_avg_pool1d(x, 3), [G(2, 2, 7)]),
    "adaptive_max_pool2d": (lambda m, x: F(m).adaptive_max_pool2d(x, (3, 4), return_indices=True),
                            [G(2, 2, 7, 5)]),
    "layer_norm": (lambda m, x, w, b: F(m).layer_norm(x, (3, 4), w, b),
                   [G(2, 3, 4), G(3, 4), G(3, 4)]),
    "layer_norm_plain": (lambda m, x: F(m).layer_norm(x, [5], eps=1e-3), [G(2, 5)]),
    "group_norm": (lambda m, x, w, b: F(m).group_norm(x, 2, w, b), [G(2, 4, 3, 2), G(4), G(4)]),
    "group_norm_plain": (lambda m, x: F(m).group_norm(x, 3), [G(2, 6, 5)]),
    "batch_norm_train": (lambda m, x, w, b: F(m).batch_norm(x, None, None, w, b, training=True),
                         [G(4, 3, 2, 2), G(3), G(3)]),
    "batch_norm_eval": (lambda m, x, rm, rv, w, b: F(m).batch_norm(x, rm, rv, w, b),
                        [G(4, 3, 5), G(3, grad=False), G(3, grad=False, kind="pos"), G(3),
                         G(3)]),
    "pad_constant": (lambda m, x: F(m).pad(x, (1, 2, 0, 1), value=1.5), [G(2, 3, 4)]),
    "pad_negative": (lambda m, x: F(m).pad(x, (-1, 2, 1, -2)), [G(1, 2, 4, 5)]),
    "pad_reflect2d": (lambda m, x: F(m).pad(x, (1, 2, 2, 0), mode="reflect"), [G(1, 2, 4, 5)]),
    "pad_reflect1d": (lambda m, x: F(m).pad(x, (2, 1), mode="reflect"), [G(2, 2, 4)]),
    "pad_replicate2d": (lambda m, x: F(m).pad(x, (1, 2, 3, 0), mode="replicate"),
                        [G(1, 2, 3, 3)]),
    "pad_replicate1d": (lambda m, x: F(m).pad(x, (3, 1), mode="replicate"), [G(2, 3)]),
    # NOTE: circular padding's compile is slow; tests/nn/test_pad.py covers it in CI
    "pad_circular": (lambda m, x: F(m).pad(x, (1, 2, 2, 1), mode="circular"), [G(1, 2, 3, 4)]),
    "interp_nearest2d": (lambda m, x: F(m).interpolate(x, scale_factor=2), [G(1, 2, 3, 4)]),
    "interp_nearest_size": (lambda m, x: F(m).interpolate(x, size=(5, 7)), [G(1, 2, 3, 4)]),
    "interp_nearest_down": (lambda m, x: F(m).interpolate(x, size=(2, 3)), [G(1, 1, 5, 7)]),
    "interp_nearest1d": (lambda m, x: F(m).interpolate(x, scale_factor=1.7), [G(2, 2, 5)]),
    "interp_bilinear": (lambda m, x: F(m).interpolate(x, size=(5, 7), mode="bilinear"),
                        [G(1, 2, 3, 4)]),
    "interp_bilinear_ac": (lambda m, x: F(m).interpolate(x, scale_factor=2, mode="bilinear",
                                                         align_corners=True),
                           [G(1, 2, 3, 4)]),
    "interp_bilinear_down": (lambda m, x: F(m).interpolate(x, scale_factor=0.6, mode="bilinear"),
                             [G(1, 1, 5, 6)]),
    "interp_linear": (lambda m, x: F(m).interpolate(x, size=7, mode="linear"), [G(2, 2, 4)]),
}
# fmt: on


# CI: half of the cases (crc32 of the name), never pad_circular; nox -s slow: all
@pytest.mark.parametrize("name", [
    pytest.param(n, marks=[pytest.mark.slow] if n == "pad_circular" else ci_marks(n, 2))
    for n in sorted(CASES)
])
def test_functional_against_torch(name):
    fn, specs = CASES[name]
    run_case(fn, *specs)


def test_max_pool_ties_take_first():
    x = np.array([[[[1.0, 1.0, 0.0], [1.0, 2.0, 2.0], [0.0, 2.0, 2.0]]]])
    run_case(lambda m, x: F(m).max_pool2d(x, 2, 1, return_indices=True), x.astype(np.float32),
             dtypes=("float32",), backward=False)
    run_case(lambda m, x: F(m).max_pool2d(x.requires_grad_(), 2, 1), x, dtypes=("float64",))


SNIPPETS = {
    "batch_norm_running_stats": """
        F = torch.nn.functional
        x = torch.arange(24.0).reshape(4, 3, 2)
        rm, rv = torch.zeros(3), torch.ones(3)
        for m in (0.1, 0.5):
            y = F.batch_norm(x, rm, rv, training=True, momentum=m)
        print(rm, rv)
        print(F.batch_norm(x, rm, rv)[0])
        w = torch.ones(3, requires_grad=True)
        y = F.batch_norm(x, rm, rv, w, training=True)
        print(y.grad_fn, rm._version)
        (y * y).sum().backward()
        print(w.grad)
    """,
    "errors": """
        F = torch.nn.functional
        x = torch.ones(2, 3, 5, 5)
        for f in (lambda: F.conv2d(x, torch.ones(2, 3, 3, 3), padding='foo'),
                  lambda: F.conv2d(x, torch.ones(2, 3, 3, 3), padding='same', stride=2),
                  lambda: F.conv2d(x, torch.ones(2, 4, 3, 3)),
                  lambda: F.conv2d(x, torch.ones(2, 3, 3, 3, dtype=torch.float64)),
                  lambda: F.max_pool2d(x, 2, padding=2),
                  lambda: F.avg_pool2d(x, 2, padding=2),
                  lambda: F.layer_norm(x, (4,)),
                  lambda: F.group_norm(x, 2),
                  lambda: F.batch_norm(torch.ones(1, 3), torch.zeros(3), torch.ones(3),
                                       training=True),
                  lambda: F.pad(x, (3, 3), mode='reflect'),
                  lambda: F.pad(x, (1, 1, 1)),
                  lambda: F.interpolate(x, scale_factor=2, align_corners=True),
                  lambda: F.interpolate(x, scale_factor=2, mode='linear'),
                  lambda: F.interpolate(x)):
            try:
                f()
            except Exception as e:
                print(type(e).__name__, e)
    """,
    "print_results": """
        F = torch.nn.functional
        x = torch.arange(32.0).reshape(1, 2, 4, 4)
        print(F.max_pool2d(x, 2, return_indices=True))
        print(F.avg_pool2d(x, 3, 1, 1))
        print(F.interpolate(x[:, :, :2, :2], scale_factor=2, mode='bilinear'))
        print(F.pad(x[0, 0], (1, 1), mode='circular'))
    """,
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_snippet_matches_torch(name):
    assert_same(SNIPPETS[name])



@pytest.mark.filterwarnings("ignore:Using padding='same'")
def test_same_padding_even_kernel():
    run_case(lambda m, x, w: F(m).conv1d(x, w, padding="same"), G(1, 2, 7), G(3, 2, 4))
