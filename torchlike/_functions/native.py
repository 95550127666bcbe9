"""ATen kernels torch exposes under their own names (``torch.native_layer_norm``,
``torch.native_group_norm``, ``torch.native_batch_norm``, ``torch.grid_sampler_2d``,
``torch.grid_sampler_3d``): the positional signatures of ATen, over the op table's ``native``
entries."""

from __future__ import annotations

import numbers

from .. import _dtype as D
from .._dispatch import call
from .._ops import TABLE as T
from .._tensor import Tensor
from ._surface import public

__all__ = ["native_layer_norm", "native_group_norm", "native_batch_norm", "grid_sampler_2d",
           "grid_sampler_3d"]  # fmt: skip


def _shape(t) -> list[int]:
    return list(t.shape)


# -- normalisation with statistics ----------------------------------------------------------------
@public
def native_layer_norm(
    input: Tensor, normalized_shape, weight: Tensor | None, bias: Tensor | None, eps: float
) -> tuple[Tensor, Tensor, Tensor]:
    """Layer normalisation over the last ``len(normalized_shape)`` dims, also returning the
    mean and reciprocal standard deviation (shape ``input.shape[:-k] + (1,) * k``).

    >>> out, mean, rstd = torchlike.native_layer_norm(x, [4], None, None, 1e-5)
    """
    if isinstance(normalized_shape, numbers.Integral):
        normalized_shape = (normalized_shape,)
    shape = [int(s) for s in normalized_shape]
    n = len(shape)
    if n == 0:
        raise RuntimeError(
            "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
            "element, but got normalized_shape = []"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and _shape(t) != shape:
            raise RuntimeError(
                f"Expected {name} to be of same shape as normalized_shape, but got {name} of "
                f"shape {_shape(t)} and normalized_shape = {shape}"
            )
    if input.ndim < n or _shape(input)[input.ndim - n :] != shape:
        star = ", ".join(["*", *map(str, shape)])
        raise RuntimeError(
            f"Given normalized_shape={shape}, expected input with shape [{star}], but got input "
            f"of size{_shape(input)}"
        )
    wb = [t for t in (weight, bias) if t is not None]
    return call(T["native_layer_norm"], input, *wb, ndim=n, eps=float(eps),
                has_w=weight is not None, has_b=bias is not None)  # fmt: skip


@public
def native_group_norm(
    input: Tensor,
    weight: Tensor | None,
    bias: Tensor | None,
    N: int,
    C: int,
    HxW: int,
    group: int,
    eps: float,
) -> tuple[Tensor, Tensor, Tensor]:
    """Group normalisation of ``input`` seen as (N, C, HxW) in ``group`` groups of channels,
    also returning the per-(sample, group) mean and reciprocal standard deviation, (N, group).
    A float16/bfloat16 input may take float32 ``weight``/``bias`` (statistics then float32)."""
    # NOTE: ATen's order: the group count, divisibility, the parameters' shapes, then numel.
    if group <= 0:
        raise RuntimeError(f"Expected num groups to be greater than 0, got {group}")
    if C % group:
        raise RuntimeError(
            "Expected number of channels in input to be divisible by num_groups, but got input "
            f"of shape {_shape(input)} and num_groups={group}"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.ndim != 1 or t.numel() != C):
            raise RuntimeError(
                f"Expected {name} to be a vector of size equal to the number of channels in "
                f"input, but got {name} of shape {_shape(t)} and input of shape {_shape(input)}"
            )
    if input.numel() != N * C * HxW:
        raise RuntimeError(
            "Expected X.numel() == N * C * HxW to be true, but got false.  (Could this error "
            "message be improved?  If so, please report an enhancement request to PyTorch.)"
        )
    wb = [t for t in (weight, bias) if t is not None]
    if any(t.dtype != input.dtype for t in wb):
        if any(t.dtype != D.float32 for t in wb):
            raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")
        if input.dtype not in (D.float16, D.bfloat16):
            raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")
    elif input.dtype._cat != D._FLOAT:
        raise NotImplementedError(
            f"\"GroupNormKernelImpl\" not implemented for '{D._LEGACY[input.dtype]}'"
        )
    return call(T["native_group_norm"], input, *wb, n=int(N), c=int(C), hxw=int(HxW),
                groups=int(group), eps=float(eps), has_w=weight is not None,
                has_b=bias is not None)  # fmt: skip


def _affine_slots(input, weight, bias):
    """``[weight, bias]`` of a batch norm op, a constant standing in for a missing one (torch's
    node has an edge for each: ``(None, 0)`` when absent)."""
    if weight is None or bias is None:
        one = input.new_ones(input.shape[1])
    return [one if weight is None else weight, one if bias is None else bias]


@public
def native_batch_norm(
    input: Tensor,
    weight: Tensor | None,
    bias: Tensor | None,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    training: bool,
    momentum: float,
    eps: float,
) -> tuple[Tensor, Tensor, Tensor]:
    """Batch normalisation over dim 1, returning ``(out, save_mean, save_invstd)``: in training
    the batch mean and 1/sqrt(biased var + eps) (and the running stats, when given, updated in
    place with the unbiased variance); in evaluation two empty tensors."""
    has_stats = running_mean is not None and running_var is not None
    if not training and not has_stats:
        raise RuntimeError("running_mean must be defined in evaluation mode")
    args = _affine_slots(input, weight, bias)
    if has_stats:
        args += [running_mean, running_var]
    out, mean, invstd, rm, rv = call(T["native_batch_norm"], input, *args,
                                     training=bool(training), momentum=float(momentum),
                                     eps=float(eps), has_w=weight is not None,
                                     has_b=bias is not None, has_stats=has_stats)  # fmt: skip
    if training and has_stats:
        # NOTE: ATen writes the running stats without bumping their version counter.
        running_mean._storage.array = rm._storage.array
        running_var._storage.array = rv._storage.array
    return out, mean, invstd


# -- grid sampling ------------------------------------------------------------------------------
def _grid_sampler(name, input, grid, interpolation_mode, padding_mode, align_corners, nd):
    if input.shape[0] != grid.shape[0]:
        raise RuntimeError(
            "grid_sampler(): expected grid and input to have same batch size, but got input "
            f"with sizes {_shape(input)} and grid with sizes {_shape(grid)}"
        )
    # NOTE: ATen's order: batch, then the grid's last dim against input.dim() - 2, then ranks.
    if grid.shape[-1] != input.ndim - 2:
        raise RuntimeError(
            f"grid_sampler(): expected grid to have size {input.ndim - 2} in last dimension, "
            f"but got grid with sizes {_shape(grid)}"
        )
    dims = nd + 2
    if input.ndim != dims or grid.ndim != dims:
        raise RuntimeError(
            f"grid_sampler(): expected {dims}D input and grid with same number of dimensions, "
            f"but got input with sizes {_shape(input)} and grid with sizes {_shape(grid)}"
        )
    if int(interpolation_mode) == 2 and nd != 2:
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    if input.dtype._cat < D._FLOAT or input.dtype._cat == D._COMPLEX:
        raise NotImplementedError(
            f"\"{name}_cpu_kernel_impl\" not implemented for '{D._LEGACY[input.dtype]}'"
        )
    if grid.dtype != input.dtype:
        raise RuntimeError(
            f"expected scalar type {D._LEGACY[input.dtype]} but found {D._LEGACY[grid.dtype]}"
        )
    return call(T[name], input, grid, interpolation=int(interpolation_mode),
                padding=int(padding_mode), align_corners=bool(align_corners))  # fmt: skip


@public
def grid_sampler_2d(
    input: Tensor, grid: Tensor, interpolation_mode: int, padding_mode: int, align_corners: bool
) -> Tensor:
    """Sample ``input`` (N, C, H, W) at ``grid`` (N, Ho, Wo, 2) of (x, y) in [-1, 1]:
    ``interpolation_mode`` 0 bilinear, 1 nearest, 2 bicubic; ``padding_mode`` 0 zeros,
    1 border, 2 reflection. ``F.grid_sample`` with the modes as integers."""
    return _grid_sampler("grid_sampler_2d", input, grid, interpolation_mode, padding_mode,
                         align_corners, 2)  # fmt: skip


@public
def grid_sampler_3d(
    input: Tensor, grid: Tensor, interpolation_mode: int, padding_mode: int, align_corners: bool
) -> Tensor:
    """``grid_sampler_2d`` for volumes: ``input`` (N, C, D, H, W), ``grid`` (N, Do, Ho, Wo, 3)
    of (x, y, z); interpolation 0 trilinear or 1 nearest."""
    return _grid_sampler("grid_sampler_3d", input, grid, interpolation_mode, padding_mode,
                         align_corners, 3)  # fmt: skip
