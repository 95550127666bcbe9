"""Batch normalisation: BatchNorm1d/2d and their lazy forms."""

from __future__ import annotations

from ... import _dtype as D
from ..._creation import ones, tensor, zeros
from ...autograd.grad_mode import no_grad
from .. import _functional_layers as F
from ..parameter import UninitializedBuffer
from ._params import add_weight_and_bias, factory_kwargs, reset_ones_zeros
from .lazy import LazyModuleMixin
from .module import Module

__all__ = ["BatchNorm1d", "BatchNorm2d", "LazyBatchNorm1d", "LazyBatchNorm2d"]


def _add_running_stats(module, track: bool, new_mean, new_var) -> None:
    """Register ``running_mean`` (``new_mean()``), ``running_var`` (``new_var()``) and a zero
    ``num_batches_tracked``; all three as None when not ``track``."""
    if track:
        module.register_buffer("running_mean", new_mean())
        module.register_buffer("running_var", new_var())
        module.register_buffer("num_batches_tracked", tensor(0, dtype=D.int64))
    else:
        for name in ("running_mean", "running_var", "num_batches_tracked"):
            module.register_buffer(name, None)


class _BatchNorm(Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True, device=None, dtype=None, *, bias=True):  # fmt: skip
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        add_weight_and_bias(self, (num_features,), (num_features,), bias=bias, affine=affine,
                            device=device, dtype=dtype)  # fmt: skip
        kw = factory_kwargs(device, dtype)
        _add_running_stats(self, track_running_stats, lambda: zeros(num_features, **kw),
                           lambda: ones(num_features, **kw))  # fmt: skip
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        self.reset_running_stats()
        if self.affine:
            reset_ones_zeros(self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.bias is not None}, "
                f"track_running_stats={self.track_running_stats}")  # fmt: skip

    def forward(self, input):
        self._check_input_dim(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:  # cumulative moving average
                factor = 1.0 / float(self.num_batches_tracked)
        bn_training = self.training or (self.running_mean is None and self.running_var is None)
        keep = not self.training or self.track_running_stats
        return F.batch_norm(input, self.running_mean if keep else None,
                            self.running_var if keep else None, self.weight, self.bias,
                            bn_training, factor, self.eps)  # fmt: skip


class BatchNorm1d(_BatchNorm):
    """Batch normalisation over ``(N, C)`` or ``(N, C, L)`` inputs."""

    def _check_input_dim(self, input):
        if input.dim() not in (2, 3):
            raise ValueError(f"expected 2D or 3D input (got {input.dim()}D input)")


class BatchNorm2d(_BatchNorm):
    """Batch normalisation over ``(N, C, H, W)`` inputs."""

    def _check_input_dim(self, input):
        if input.dim() != 4:
            raise ValueError(f"expected 4D input (got {input.dim()}D input)")


class _LazyBatchNorm(LazyModuleMixin):
    """A ``cls_to_become`` batch norm whose ``num_features`` is inferred from the first input."""

    def __init__(self, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True,
                 device=None, dtype=None):  # fmt: skip
        Module.__init__(self)
        self.num_features, self.eps, self.momentum = 0, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        add_weight_and_bias(self, None, None, affine=affine, device=device, dtype=dtype)
        kw = {"device": device, "dtype": dtype}
        _add_running_stats(self, track_running_stats, lambda: UninitializedBuffer(**kw),
                           lambda: UninitializedBuffer(**kw))  # fmt: skip
        LazyModuleMixin._setup(self)

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.num_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input) -> None:
        if not self.has_uninitialized_params():
            return
        self.num_features = input.shape[1]
        with no_grad():
            for name in ("weight", "bias", "running_mean", "running_var"):
                t = getattr(self, name)
                if t is not None:
                    t.materialize((self.num_features,))
            self.reset_parameters()


class LazyBatchNorm1d(_LazyBatchNorm, BatchNorm1d):
    """BatchNorm1d whose ``num_features`` is inferred from the first input."""

    cls_to_become = BatchNorm1d


class LazyBatchNorm2d(_LazyBatchNorm, BatchNorm2d):
    """BatchNorm2d whose ``num_features`` is inferred from the first input."""

    cls_to_become = BatchNorm2d
