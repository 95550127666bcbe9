"""The pooling and sampling functionals of ``nn.functional`` against real torch: values, dtypes,
grad_fn names, gradients, warnings and argument errors (type and message)."""

from __future__ import annotations

import pytest

from tests._ci import ci_sample
from tests._parity import assert_same

pytest.importorskip("torch")

_X4 = "x = torch.arange(2 * 3 * 5 * 6, dtype=torch.float64).reshape(2, 3, 5, 6).sin()\n"
_X5 = "x = torch.arange(2 * 2 * 4 * 5 * 6, dtype=torch.float64).reshape(2, 2, 4, 5, 6).cos()\n"

_CASES = {
    # values, dtype, grad_fn and gradient of one call on a grad-requiring input
    "avg_pool3d": _X5 + "y = F.avg_pool3d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False)",
    "avg_pool3d_divisor": _X5 + "y = F.avg_pool3d(x, (2, 3, 2), divisor_override=5)",
    "adaptive_max_pool1d": _X4 + "y, i = F.adaptive_max_pool1d(x[0], 4, return_indices=True)\n"
    "print(i)",
    "adaptive_max_pool3d": _X5 + "y, i = F.adaptive_max_pool3d(x, (3, None, 4), True)\nprint(i)",
    "adaptive_avg_pool3d_mean": _X5 + "y = F.adaptive_avg_pool3d(x, 1)",
    "max_unpool1d": _X4 + "o, i = F.max_pool1d(x[0], 3, 2, return_indices=True)\n"
    "y = F.max_unpool1d(o, i, 3, 2, output_size=[12])",
    "max_unpool2d": _X4 + "o, i = F.max_pool2d(x, 3, 2, 1, return_indices=True)\n"
    "y = F.max_unpool2d(o, i, 3, 2, 1, output_size=(5, 6))",
    "max_unpool3d": _X5 + "o, i = F.max_pool3d(x, 2, return_indices=True)\n"
    "y = F.max_unpool3d(o, i, 2, output_size=(4, 5, 6))",
    "unfold": _X4 + "y = F.unfold(x, (2, 3), dilation=(2, 1), padding=1, stride=(1, 2))",
    "fold": "x = torch.arange(2 * 12 * 21, dtype=torch.float64).reshape(2, 12, 21).sin()\n"
    "y = F.fold(x, (5, 7), 2, dilation=(1, 2), padding=1, stride=(2, 1))",
    "upsample_nearest": _X4 + "y = F.upsample_nearest(x, scale_factor=2)",
    "upsample_bilinear": _X4 + "y = F.upsample_bilinear(x, size=(7, 4))",
    "grid_sample": _X4 + "g = torch.linspace(-1.3, 1.2, 2 * 4 * 3 * 2, dtype=torch.float64)\n"
    "y = F.grid_sample(x, g.reshape(2, 4, 3, 2), 'bicubic', 'reflection', align_corners=True)",
    "grid_sample_default": _X4 + "g = torch.linspace(-1, 1, 2 * 4 * 3 * 2, dtype=torch.float64)\n"
    "y = F.grid_sample(x, g.reshape(2, 4, 3, 2))",
    "embedding_bag_sum": "x = torch.arange(50, dtype=torch.float64).reshape(10, 5).cos()\n"
    "w = torch.tensor([1.0, 2, 3, 4, 5, 6], dtype=torch.float64, requires_grad=True)\n"
    "y = F.embedding_bag(torch.tensor([1, 2, 4, 5, 4, 9]), x, torch.tensor([0, 2, 2, 5]),"
    " mode='sum', per_sample_weights=w, padding_idx=-1)\n"
    "y.sum().backward()\nprint(w.grad)",
    "embedding_bag_mean_2d": "x = torch.arange(50, dtype=torch.float64).reshape(10, 5).cos()\n"
    "y = F.embedding_bag(torch.tensor([[1, 2, 4], [5, 4, 9]]), x, padding_idx=4)",
    "embedding_bag_max": "x = torch.arange(50, dtype=torch.float64).reshape(10, 5).cos()\n"
    "y = F.embedding_bag(torch.tensor([1, 2, 4, 5, 4, 9]), x, torch.tensor([0, 3, 3, 6]),"
    " mode='max', include_last_offset=True)",
    "fractional_max_pool2d": _X4 + "r = torch.tensor([[[0.1, 0.9]] * 3, [[0.5, 0.3]] * 3],"
    " dtype=torch.float64)\n"
    "y, i = F.fractional_max_pool2d(x, (2, 3), output_size=(3, 2), return_indices=True,"
    " _random_samples=r)\nprint(i)",
    "fractional_max_pool3d": _X5
    + "r = torch.tensor([[[0.1, 0.9, 0.4]] * 2, [[0.5, 0.3, 0.7]] * 2],"
    " dtype=torch.float64)\n"
    "y = F.fractional_max_pool3d(x, 2, output_ratio=(0.5, 0.5, 0.5), _random_samples=r)",
    "avg_pool2d_int64": "x = torch.tensor([[[-1, 0, -3, 1, 5, 6]]])\n"
    "print(F.avg_pool2d(x, (1, 3)), F.avg_pool1d(x, 3, 1, 1, count_include_pad=False))\n"
    "y = x.double().requires_grad_()",
}


@pytest.mark.parametrize("name", ci_sample(sorted(_CASES), 2))  # CI: half; slow: all
def test_values_and_grad(name):
    assert_same(
        "F = torch.nn.functional\n"
        + _CASES[name].replace("x = torch.", "x = torch.", 1)
        + "\nx.requires_grad_()\n"
        + _CASES[name].splitlines()[-1]
        + "\nprint(y, y.dtype, type(y.grad_fn).__name__)\n"
        "y.backward(torch.ones_like(y).cumsum(-1))\nprint(x.grad)\n"
    )


_ERRORS = [
    "F.avg_pool1d(torch.zeros(0, 1, 49), 2, 50, -1)",
    "F.avg_pool2d(torch.zeros(0, 1, 49), (3, 2), 50, -1)",
    "F.avg_pool2d(torch.zeros(3, 3, 3), (2, 2), divisor_override=0)",
    "F.avg_pool1d(torch.zeros(2, 2, 2, 2), 1)",
    "F.avg_pool3d(torch.zeros(2, 2, 2, 2), 3)",
    "F.avg_pool3d(torch.zeros(2, 2, 2, 0), 1)",
    "F.max_pool1d(torch.zeros(0, 1, 49), 2, 50, -1, return_indices=True)",
    "F.max_pool1d(torch.zeros(()), 1)",
    "F.max_pool1d(torch.zeros(3, 3, 3), 1, 0)",
    "F.max_pool1d(torch.zeros(3, 3, 3), 1, 1, 0, 0)",
    "F.max_pool1d(torch.zeros(2, 2, 2), 5, 1)",
    "F.max_pool1d(torch.zeros(2, 3, 4), 3, 1, 2)",
    "F.max_pool1d(torch.zeros(2, 3, 4), (1, 2))",
    "F.max_pool2d(torch.zeros(0, 1, 49), 2, 50, -1, return_indices=True)",
    "F.max_pool2d(torch.zeros(2, 1, 10, 0), 1)",
    "F.max_pool2d(torch.zeros(1, 1, 4), 2)",
    "F.max_pool2d(torch.zeros(2, 2, 2), 3, 1, 2, 2)",
    "F.max_pool3d(torch.zeros(2, 1, 0, 1, 2), 1)",
    "F.adaptive_avg_pool1d(torch.zeros(1, 2, 3), ())",
    "F.adaptive_avg_pool1d(torch.zeros(1, 1, 1), (-1,))",
    "F.adaptive_avg_pool2d(torch.zeros(2, 2), (2, 2))",
    "F.adaptive_avg_pool2d(torch.zeros(1, 2, 3, 4), ())",
    "F.adaptive_avg_pool3d(torch.zeros(1, 1, 1, 1, 1), (-1, 0, 2))",
    "F.adaptive_max_pool1d(torch.zeros(1, 1, 1), (-1,))",
    "F.adaptive_max_pool2d(torch.zeros(1, 2, 3, 4), ())",
    "F.adaptive_max_pool2d(torch.zeros(3, 0, 3, 3), (2, 2))",
    "F.adaptive_max_pool3d(torch.zeros(3, 3, 3, 3, 3, 3), (2, 2, 2))",
    "F.max_unpool2d(torch.zeros(1, 1, 4, 4), torch.zeros(1, 1, 4, 1, dtype=torch.long), 3, 2)",
    "F.max_unpool2d(torch.zeros(1, 1, 2, 2), torch.zeros(1, 1, 2, 2, dtype=torch.int), 2)",
    "F.max_unpool2d(torch.zeros(1, 1, 2, 2), torch.zeros(1, 1, 2, 2, dtype=torch.long), 2,"
    " output_size=(9, 9))",
    "F.max_unpool2d(torch.zeros(1, 1, 2, 2), torch.full((1, 1, 2, 2), 99), 2)",
    "F.max_unpool1d(torch.zeros(8, 8), torch.zeros(8, 7, dtype=torch.long), 3, 2)",
    "F.unfold(torch.zeros(1, 2, 4, 4), 5)",
    "F.unfold(torch.zeros(1, 2, 4, 4), 0)",
    "F.fold(torch.zeros(2, 12, 20), (5, 7), 3)",
    "F.fold(torch.zeros(2, 12, 20), (5, 7), 2)",
    "F.grid_sample(torch.zeros(1, 1, 2, 2), torch.zeros(1, 2, 2, 2), mode='linear')",
    "F.grid_sample(torch.zeros(1, 1, 2, 2), torch.zeros(1, 2, 2, 2), padding_mode='edge')",
    "F.embedding_bag(torch.tensor([[1, 2]]), torch.zeros(3, 2), torch.tensor([0]))",
    "F.embedding_bag(torch.tensor([1, 2]), torch.zeros(3, 2))",
    "F.embedding_bag(torch.tensor([1, 2]), torch.zeros(3, 2), torch.tensor([0]), mode='prod')",
    "F.embedding_bag(torch.tensor([1, 2]), torch.zeros(3, 2), torch.tensor([0]), mode='max',"
    " per_sample_weights=torch.ones(2))",
]


@pytest.mark.parametrize("nd", [2, 3])
def test_fractional_max_pool_random_shape(nd):
    """Without ``_random_samples`` the windows are random: the shape, dtype and grad_fn match."""
    assert_same(
        "F = torch.nn.functional\n"
        f"x = torch.randn(2, 3, *[9] * {nd}, requires_grad=True)\n"
        f"y = F.fractional_max_pool{nd}d(x, 3, output_ratio=0.5)\n"
        "print(y.shape, y.dtype, type(y.grad_fn).__name__)"
    )


_ERRORS += [
    "F.fractional_max_pool2d(torch.zeros(1, 3, 9, 9), 3, output_size=(8, 8))",
    "F.fractional_max_pool2d(torch.zeros(1, 3, 9, 9), 3)",
    "F.fractional_max_pool2d(torch.zeros(1, 3, 9, 9), 3, output_size=2,"
    " _random_samples=torch.rand(1, 2, 2))",
    "F.fractional_max_pool3d(torch.zeros(1, 1, 3, 9, 9), 3, output_size=(8, 8, 8))",
]


@pytest.mark.parametrize("expr", _ERRORS)
def test_argument_errors(expr):
    assert_same(f"F = torch.nn.functional\nprint({expr})")


def test_pooling_modules():
    assert_same(
        "nn = torch.nn\n"
        "x = (torch.arange(2 * 3 * 6 * 6 * 6, dtype=torch.float32).reshape(2, 3, 6, 6, 6) % 7)\n"
        "for m in [nn.AvgPool3d(2), nn.MaxPool3d(2), nn.AdaptiveAvgPool3d(2),"
        " nn.AdaptiveMaxPool3d(2, True)]:\n"
        "    print(repr(m), m(x))\n"
        "print(nn.AdaptiveMaxPool1d(3)(x[0, 0]), nn.AdaptiveMaxPool2d(2)(x[0]))\n"
        "o, i = nn.MaxPool2d(2, return_indices=True)(x[0])\n"
        "print(nn.MaxUnpool2d(2)(o, i))\n"
        "print(nn.MaxUnpool1d(2)(*nn.MaxPool1d(2, return_indices=True)(x[0, 0])))\n"
        "r = torch.full((2, 3, 2), 0.3)\n"
        "print(nn.FractionalMaxPool2d(2, output_size=3, _random_samples=r)(x[:, :, 0]))\n"
    )


def test_embedding_bag_module():
    assert_same(
        "m = torch.nn.EmbeddingBag(10, 3, mode='max', padding_idx=2)\n"
        "m.weight.data = torch.arange(30, dtype=torch.float32).reshape(10, 3) % 7\n"
        "print(repr(m), m(torch.tensor([[1, 2, 4], [4, 3, 2]])))\n"
        "print(torch.nn.EmbeddingBag(5, 2)(torch.tensor([1, 2, 3]), torch.tensor([0, 2])).shape)\n"
    )
