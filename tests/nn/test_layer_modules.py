"""Layer modules against torch with copied weights: outputs, grads (inputs and parameters),
buffers after training steps, grad_fn names and repr; default-init statistics."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike as tl
from tests._parity import assert_same
from tests.nn._layer_check import run_module

# fmt: off
MODULES = {
    "conv2d": (lambda m: m.nn.Conv2d(3, 4, (3, 2), padding=(1, 0), dilation=(2, 1)),
               (2, 3, 6, 5)),
    "conv2d_reflect": (lambda m: m.nn.Conv2d(2, 3, 3, padding=1, padding_mode="reflect"),
                       (1, 2, 4, 5)),
    "conv2d_circular": (lambda m: m.nn.Conv2d(2, 3, 3, padding=1, padding_mode="circular"),
                        (1, 2, 4, 5)),
    "conv_transpose2d": (lambda m: m.nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1,
                                                        output_padding=1, groups=2), (1, 4, 3, 3)),
    "maxpool2d_idx": (lambda m: m.nn.MaxPool2d(2, return_indices=True, ceil_mode=True),
                      (1, 2, 5, 5)),
    "avgpool2d": (lambda m: m.nn.AvgPool2d((2, 3), padding=1, count_include_pad=False),
                  (1, 2, 5, 6)),
    "adaptive_avg": (lambda m: m.nn.AdaptiveAvgPool2d((3, None)), (1, 2, 7, 4)),
    "adaptive_max": (lambda m: m.nn.AdaptiveMaxPool2d(3), (1, 2, 7, 4)),
    "layernorm": (lambda m: m.nn.LayerNorm([2, 3]), (4, 2, 3)),
    "groupnorm": (lambda m: m.nn.GroupNorm(2, 4), (2, 4, 3)),
}
# fmt: on


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_against_torch(name):
    ctor, shape = MODULES[name]
    run_module(ctor, shape)


@pytest.mark.parametrize("train", [True, False])
@pytest.mark.parametrize(
    "ctor, shape",
    [
        (lambda m: m.nn.BatchNorm1d(3), (4, 3)),
        (lambda m: m.nn.BatchNorm1d(3, momentum=None), (4, 3, 2)),
        (lambda m: m.nn.BatchNorm2d(2, affine=False, momentum=0.3), (3, 2, 2, 2)),
        (lambda m: m.nn.BatchNorm2d(2, track_running_stats=False), (3, 2, 2, 2)),
    ],
    ids=["bn1d", "bn1d_cumulative", "bn2d_noaffine", "bn2d_nostats"],
)
def test_batchnorm_against_torch(ctor, shape, train):
    run_module(ctor, shape, calls=3, train=train)


def test_float32_conv_and_batchnorm():
    run_module(lambda m: m.nn.Sequential(m.nn.Conv2d(2, 3, 3, padding=1), m.nn.BatchNorm2d(3),
                                         m.nn.ReLU(), m.nn.MaxPool2d(2)),
               (2, 2, 4, 4), dtype="float32", calls=2)  # fmt: skip


def test_lazy_modules():
    assert_same("""
        nn = torch.nn
        for m, x in ((nn.LazyConv2d(4, 3, padding=1), torch.ones(2, 3, 5, 5)),
                     (nn.LazyBatchNorm1d(), torch.ones(4, 3)),
                     (nn.LazyBatchNorm2d(momentum=0.2), torch.ones(2, 3, 2, 2))):
            print(type(m).__name__, m.has_uninitialized_params())
            y = m(x)
            print(m)
            print(type(m).__name__, y.shape, [(n, p.shape) for n, p in m.named_parameters()])
            print([(n, b.shape) for n, b in m.named_buffers()])
    """)


def test_reprs_and_errors():
    assert_same("""
        nn = torch.nn
        print(nn.Sequential(
            nn.Conv1d(2, 4, 3), nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False),
            nn.Conv2d(3, 6, (3, 5), padding='same', dilation=2, groups=3, padding_mode='circular'),
            nn.Conv2d(3, 6, 1, padding='valid'), nn.Conv3d(1, 2, 2),
            nn.ConvTranspose2d(4, 2, 3, stride=2, output_padding=1, dilation=2),
            nn.ConvTranspose1d(2, 2, 3, groups=2, bias=False),
            nn.MaxPool2d(2), nn.MaxPool2d((2, 3), stride=1, padding=1, dilation=2, ceil_mode=True),
            nn.MaxPool1d(3, 2), nn.AvgPool2d(2), nn.AvgPool2d(3, 1, 1), nn.AvgPool1d(2),
            nn.AdaptiveAvgPool2d((2, None)), nn.AdaptiveAvgPool2d(1), nn.AdaptiveMaxPool2d(2),
            nn.AdaptiveAvgPool1d(3),
            nn.BatchNorm1d(4), nn.BatchNorm2d(3, momentum=None, affine=False),
            nn.LayerNorm((2, 3), eps=1e-6), nn.LayerNorm(4, elementwise_affine=False),
            nn.GroupNorm(2, 4, affine=False)))
        for f in (lambda: nn.Conv2d(3, 4, 3, groups=2), lambda: nn.Conv2d(4, 3, 3, groups=2),
                  lambda: nn.Conv2d(3, 4, 3, padding='foo'),
                  lambda: nn.Conv2d(3, 4, 3, padding='same', stride=2),
                  lambda: nn.ConvTranspose2d(3, 4, 3, padding_mode='reflect'),
                  lambda: nn.GroupNorm(3, 4),
                  lambda: nn.BatchNorm2d(3)(torch.ones(2, 3)),
                  lambda: nn.BatchNorm1d(3)(torch.ones(2, 3, 1, 1))):
            try:
                f()
            except Exception as e:
                print(type(e).__name__, e)
    """)


def test_conv_transpose_output_size():
    assert_same("""
        torch.manual_seed(0)
        m = torch.nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1)
        print(m(torch.ones(1, 2, 4, 4), output_size=(8, 8)).shape)
        print(m(torch.ones(1, 2, 4, 4), output_size=[1, 3, 7, 8]).shape)
    """)


@pytest.mark.parametrize("ctor, fan_in", [
    (lambda: tl.nn.Conv2d(4, 64, 3), 36),
    (lambda: tl.nn.Conv1d(6, 64, 5, groups=2), 15),
    (lambda: tl.nn.ConvTranspose2d(64, 8, 3), 72),
])
def test_default_init_bounds(ctor, fan_in):
    """torch's reset_parameters: weight and bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in))."""
    m = ctor()
    bound = 1 / np.sqrt(fan_in)
    w = m.weight.detach().numpy()
    assert np.abs(w).max() <= bound
    assert np.abs(w).max() > 0.95 * bound
    assert abs(w.mean()) < 0.1 * bound
    assert abs(w.std() - bound / np.sqrt(3)) < 0.1 * bound
    b = m.bias.detach().numpy()
    assert np.abs(b).max() <= bound
    assert np.unique(b).size == b.size


def test_norm_init():
    bn, ln, gn = tl.nn.BatchNorm2d(3), tl.nn.LayerNorm(3), tl.nn.GroupNorm(1, 3)
    for m in (bn, ln, gn):
        assert (m.weight.detach().numpy() == 1).all() and (m.bias.detach().numpy() == 0).all()
    assert (bn.running_var.numpy() == 1).all() and int(bn.num_batches_tracked) == 0


@pytest.mark.slow  # ~10 s of compiles: nox -s slow
def test_weight_bias_registration_variants():
    """The shared weight/bias helpers: bias=False / affine=False / lazy / no-stats forms, a zero
    fan-in Linear (bias from U(0, 0)) and Conv (bias left), dtype and parameter order."""
    assert_same("""
        nn = torch.nn
        torch.set_default_dtype(torch.float64)
        try:
            mods = [nn.Linear(3, 2, bias=False), nn.Bilinear(2, 3, 4, bias=False),
                    nn.Conv1d(2, 4, 3, bias=False), nn.ConvTranspose1d(2, 4, 3, bias=False),
                    nn.LayerNorm(3, bias=False), nn.GroupNorm(1, 2, bias=False),
                    nn.BatchNorm1d(2, bias=False), nn.BatchNorm1d(2, affine=False),
                    nn.BatchNorm1d(2, track_running_stats=False),
                    nn.Linear(3, 2, dtype=torch.float32), nn.Bilinear(2, 3, 4)]
        finally:
            torch.set_default_dtype(torch.float32)
        for m in mods:
            print(m, [(n, p.dtype, p.shape) for n, p in m.named_parameters()],
                  [(n, None if b is None else b.shape) for n, b in m._buffers.items()],
                  list(m._parameters))
        for m in (nn.LazyLinear(3, bias=False), nn.LazyConv1d(2, 3, bias=False),
                  nn.LazyBatchNorm1d(affine=False), nn.LazyBatchNorm1d(track_running_stats=False)):
            print(type(m).__name__, list(m._parameters), list(m._buffers),
                  m.has_uninitialized_params())
            m(torch.ones(2, 3, 4) if "Conv" in type(m).__name__ else torch.ones(4, 3))
            print(type(m).__name__, [(n, p.shape) for n, p in m.named_parameters()],
                  [(n, None if b is None else b.shape) for n, b in m._buffers.items()])
        lin = nn.Linear(0, 3)
        print(lin.weight.shape, lin.bias)
        conv = nn.Conv1d(0, 2, 3)
        print(conv.weight.shape, conv.bias.shape)
        w = torch.empty(0, 4)
        print(nn.init.kaiming_normal_(w) is w, nn.init.kaiming_uniform_(w) is w)
    """)
