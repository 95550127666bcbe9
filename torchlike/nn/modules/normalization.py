"""LayerNorm and GroupNorm."""

from __future__ import annotations

import numbers

from .. import _functional_layers as F
from ._params import add_weight_and_bias, reset_ones_zeros
from .module import Module

__all__ = ["LayerNorm", "GroupNorm"]


class LayerNorm(Module):
    """Normalise over the trailing ``normalized_shape`` dimensions, with an optional affine."""

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True,
                 device=None, dtype=None):  # fmt: skip
        super().__init__()
        if isinstance(normalized_shape, numbers.Integral):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        add_weight_and_bias(self, self.normalized_shape, self.normalized_shape, bias=bias,
                            affine=elementwise_affine, device=device, dtype=dtype)  # fmt: skip
        self.reset_parameters()

    def reset_parameters(self) -> None:
        if self.elementwise_affine:
            reset_ones_zeros(self.weight, self.bias)

    def forward(self, input):
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}, "
                f"bias={self.bias is not None}")  # fmt: skip


class GroupNorm(Module):
    """Normalise over groups of channels, with a per-channel affine."""

    def __init__(self, num_groups, num_channels, eps=1e-5, affine=True, device=None,
                 dtype=None, *, bias=True):  # fmt: skip
        super().__init__()
        if num_channels % num_groups != 0:
            raise ValueError(f"num_channels ({num_channels}) must be divisible by num_groups "
                             f"({num_groups})")  # fmt: skip
        self.num_groups, self.num_channels = num_groups, num_channels
        self.eps, self.affine = eps, affine
        add_weight_and_bias(self, (num_channels,), (num_channels,), bias=bias, affine=affine,
                            device=device, dtype=dtype)  # fmt: skip
        self.reset_parameters()

    def reset_parameters(self) -> None:
        if self.affine:
            reset_ones_zeros(self.weight, self.bias)

    def forward(self, input):
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")  # fmt: skip
