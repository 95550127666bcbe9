"""``torchlike.nn.functional`` pooling and sampling: average and adaptive pooling, max unpooling,
fractional max pooling, fold/unfold, grid sampling and embedding bags, in PyTorch's signatures.
Each function checks its arguments as PyTorch does and makes one call into the op table."""

from __future__ import annotations

import math
import warnings

import numpy as np

from .. import _dtype as D
from .._dispatch import call
from .._functions import mean
from .._functions.nn_ops import _pool_args, _tuple
from .._functions.nn_ops import adaptive_max_pool1d as _torch_adaptive_max_pool1d
from .._functions.nn_ops import embedding_renorm_ as _torch_embedding_renorm_
from .._functions.nn_ops import grid_sampler as _torch_grid_sampler
from .._ops import TABLE as T
from .._ops.layer_ops import adaptive_output_size

__all__ = ["avg_pool3d", "adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_max_pool1d",
           "adaptive_max_pool2d", "adaptive_max_pool3d", "adaptive_max_pool1d_with_indices",
           "adaptive_max_pool2d_with_indices", "adaptive_max_pool3d_with_indices", "max_unpool1d",
           "max_unpool2d", "max_unpool3d", "fractional_max_pool2d", "fractional_max_pool3d",
           "fractional_max_pool2d_with_indices", "fractional_max_pool3d_with_indices", "unfold",
           "fold", "grid_sample", "embedding_bag"]  # fmt: skip


# -- average pooling ------------------------------------------------------------------------------
def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):  # fmt: skip
    """3-D average pooling over ``(N, C, D, H, W)`` or ``(C, D, H, W)``."""
    k, s, p, _ = _pool_args(kernel_size, stride, padding, 1, 3)
    return call(T["avg_pool3d"], input, kernel=k, stride=s, padding=p, ceil_mode=bool(ceil_mode),
                count_include_pad=bool(count_include_pad),
                divisor_override=divisor_override)  # fmt: skip


# -- adaptive pooling -----------------------------------------------------------------------------
def _adaptive_avg(input, output_size, nd):
    size = adaptive_output_size(input.shape, output_size, nd, f"adaptive_avg_pool{nd}d")
    if all(o == 1 for o in size):
        return mean(input, tuple(range(-nd, 0)), keepdim=True)  # NOTE: torch takes the mean too
    return call(T[f"adaptive_avg_pool{nd}d"], input, output_size=size)


def adaptive_avg_pool2d(input, output_size):
    """Average pooling to a fixed output size (windows may overlap when sizes do not divide);
    ``None`` in ``output_size`` keeps that input size."""
    return _adaptive_avg(input, output_size, 2)


def adaptive_avg_pool3d(input, output_size):
    """3-D adaptive average pooling."""
    return _adaptive_avg(input, output_size, 3)


def _adaptive_max(input, output_size, nd):
    size = adaptive_output_size(input.shape, output_size, nd, f"adaptive_max_pool{nd}d")
    return call(T[f"adaptive_max_pool{nd}d"], input, output_size=size)


def adaptive_max_pool1d_with_indices(input, output_size, return_indices=False):
    """1-D adaptive max pooling and the index of each maximum."""
    return _torch_adaptive_max_pool1d(input, output_size)


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=False):
    """2-D adaptive max pooling and the flat index of each maximum within its plane."""
    return _adaptive_max(input, output_size, 2)


def adaptive_max_pool3d_with_indices(input, output_size, return_indices=False):
    """3-D adaptive max pooling and the flat index of each maximum within its volume."""
    return _adaptive_max(input, output_size, 3)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """1-D adaptive max pooling; with ``return_indices`` also the index of each maximum."""
    out = _torch_adaptive_max_pool1d(input, output_size)
    return out if return_indices else out[0]


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Max pooling to a fixed output size; with ``return_indices`` also the flat indices."""
    out = _adaptive_max(input, output_size, 2)
    return out if return_indices else out[0]


def adaptive_max_pool3d(input, output_size, return_indices=False):
    """3-D adaptive max pooling; with ``return_indices`` also the flat indices."""
    out = _adaptive_max(input, output_size, 3)
    return out if return_indices else out[0]


# -- max unpooling --------------------------------------------------------------------------------
def _unpool_size(input, kernel, stride, padding, output_size):
    """torch's ``_unpool_output_size``: the inverse pooling size, or a checked ``output_size``."""
    nd = len(kernel)
    default = [(input.shape[input.ndim - nd + d] - 1) * stride[d] + kernel[d] - 2 * padding[d]
               for d in range(nd)]  # fmt: skip
    if output_size is None:
        return default
    size = list(output_size)
    if len(size) == nd + 2:
        size = size[2:]
    if len(size) != nd:
        raise ValueError(f"output_size should be a sequence containing {nd} or {nd + 2} elements, "
                         f"but it has a length of '{len(size)}'")  # fmt: skip
    for d in range(nd):
        lo, hi = default[d] - stride[d], default[d] + stride[d]
        if not lo < size[d] < hi:
            raise ValueError(
                f'invalid output_size "{output_size}" (dim {d} must be between {lo} and {hi})'
            )
    return [int(o) for o in size]


def _max_unpool(input, indices, kernel_size, stride, padding, output_size, nd):
    k = _tuple(kernel_size, nd, "kernel_size")
    s = k if stride is None else _tuple(stride, nd, "stride")
    size = _unpool_size(input, k, s, _tuple(padding, nd, "padding"), output_size)
    if nd == 1:  # NOTE: as torch, 1-D runs as 2-D over a unit width
        return _unpool(input.unsqueeze(-1), indices.unsqueeze(-1), [*size, 1]).squeeze(-1)
    return _unpool(input, indices, size)


def _unpool(input, indices, size):
    nd = len(size)
    if indices.dtype != D.int64:
        raise RuntimeError("elements in indices should be type int64" + (
            f" but got: {D._LEGACY[indices.dtype]}" if nd == 2 else ""))  # fmt: skip
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"Input to max_unpooling{nd}d should be a {nd + 1}d or {nd + 2}d "
                           f"Tensor, but got a tensor with {input.ndim} dimensions.")  # fmt: skip
    if input.shape == indices.shape and indices.numel():
        idx = np.asarray(indices._array)
        bad = idx[(idx < 0) | (idx >= np.prod(size))]
        if bad.size:
            raise RuntimeError(f"Found an invalid max index: {bad.flat[0]} (output volumes are of "
                               f"size {'x'.join(map(str, size))})")  # fmt: skip
    return call(T[f"max_unpool{nd}d"], input, indices, output_size=tuple(size))


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Partial inverse of :func:`max_pool1d`: each value written back at its index, zeros
    elsewhere."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 1)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Partial inverse of :func:`max_pool2d` (indices flat within each ``H * W`` plane)."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 2)


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Partial inverse of :func:`max_pool3d` (indices flat within each ``D * H * W`` volume)."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 3)


# -- fractional max pooling -----------------------------------------------------------------------
def _fractional_starts(n, o, k, u, dtype):
    """Window starts along one dim for the random samples ``u`` (one per plane), computed in
    the input's floating dtype as ATen's ``generate_intervals``."""
    u = u.astype(dtype)
    if o == 1:
        return np.full((*u.shape, 1), n - k)
    alpha = dtype.type(n - k) / dtype.type(o - 1)
    i = np.arange(o - 1, dtype=dtype)
    starts = ((i + u[..., None]) * alpha).astype(np.int64) - (u * alpha).astype(np.int64)[..., None]
    return np.concatenate([starts, np.full((*u.shape, 1), n - k)], axis=-1)


_FRACTIONAL_DIMS = {2: ("height", "width"), 3: ("time", "height", "width")}


def _fractional_max_pool(input, kernel_size, output_size, output_ratio, _random_samples, nd):
    from .._creation import rand, tensor

    name = f"fractional_max_pool{nd}d"
    if output_size is None and output_ratio is None:
        raise ValueError(f"{name} requires specifying either an output_size or an output_ratio")
    if output_size is None:
        if nd == 2 and len(output_ratio) > 2:  # NOTE: len() of a float raises, as in torch
            raise ValueError(f"{name} requires output_ratio to either be a single Int or tuple "
                             "of Ints.")  # fmt: skip
        ratio = tuple(output_ratio) if isinstance(output_ratio, (list, tuple)) else (output_ratio,)
        ratio = ratio * nd if len(ratio) == 1 else ratio
        output_size = [int(input.shape[input.ndim - nd + d] * ratio[d]) for d in range(nd)]
    k = _tuple(kernel_size, nd, "kernel_size")
    size = _tuple(output_size, nd, "output_size")
    sizes = input.shape[input.ndim - nd :]
    for what, kk, o, n in zip(_FRACTIONAL_DIMS[nd], k, size, sizes, strict=True):
        if o + kk - 1 > n:
            where = f"{name}()" if nd == 2 else "fractional_max_pool3d_out()"
            raise RuntimeError(f"{where}: pool {what} {kk} too large relative to input {what} {n}")
    batch = 1 if input.ndim == nd + 1 else input.shape[0]
    if _random_samples is None:
        _random_samples = rand(batch, input.shape[-nd - 1], nd, dtype=input.dtype)
    if _random_samples.shape[1] != input.shape[-nd - 1]:
        raise RuntimeError("Expect _random_samples.size(1) equals to input channel size.")
    u = np.asarray(_random_samples.detach().numpy())
    dtype = np.dtype(u.dtype)
    # NOTE: a plane's samples are (w, h) in 2-D but (t, h, w) in 3-D, as ATen reads them.
    order = (1, 0) if nd == 2 else (0, 1, 2)
    acc = 0
    for d in range(nd):
        starts = _fractional_starts(sizes[d], size[d], k[d], u[..., order[d]], dtype)
        pos = starts[..., :, None] + np.arange(k[d])  # [N, C, O_d, K_d]
        shape = [*u.shape[:2]] + [1] * (2 * nd)
        shape[2 + d], shape[2 + nd + d] = size[d], k[d]
        acc = acc + pos.reshape(shape) * math.prod(sizes[d + 1 :])
    flat = np.broadcast_to(acc, (*u.shape[:2], *size, *k))
    flat = flat.reshape(*u.shape[:2], *size, math.prod(k))
    if input.ndim == nd + 1:
        flat = flat[0]
    return call(T[name], input, tensor(flat), nd=nd)


def fractional_max_pool2d_with_indices(input, kernel_size, output_size=None, output_ratio=None,
                                       return_indices=False, _random_samples=None):  # fmt: skip
    """2-D fractional max pooling (Graham, 2014) and the flat index of each maximum: windows
    of ``kernel_size`` at pseudo-random, increasing starts drawn from ``_random_samples``."""
    return _fractional_max_pool(input, kernel_size, output_size, output_ratio, _random_samples, 2)


def fractional_max_pool3d_with_indices(input, kernel_size, output_size=None, output_ratio=None,
                                       return_indices=False, _random_samples=None):  # fmt: skip
    """3-D fractional max pooling and the flat index of each maximum."""
    return _fractional_max_pool(input, kernel_size, output_size, output_ratio, _random_samples, 3)


def fractional_max_pool2d(input, kernel_size, output_size=None, output_ratio=None,
                          return_indices=False, _random_samples=None):  # fmt: skip
    """2-D fractional max pooling; with ``return_indices`` also the flat indices."""
    out = _fractional_max_pool(input, kernel_size, output_size, output_ratio, _random_samples, 2)
    return out if return_indices else out[0]


def fractional_max_pool3d(input, kernel_size, output_size=None, output_ratio=None,
                          return_indices=False, _random_samples=None):  # fmt: skip
    """3-D fractional max pooling; with ``return_indices`` also the flat indices."""
    out = _fractional_max_pool(input, kernel_size, output_size, output_ratio, _random_samples, 3)
    return out if return_indices else out[0]


# -- fold / unfold --------------------------------------------------------------------------------
def _fold_args(kernel_size, dilation, padding, stride):
    k, d, p, s = (_tuple(v, 2, n) for v, n in ((kernel_size, "kernel_size"),
                  (dilation, "dilation"), (padding, "padding"), (stride, "stride")))  # fmt: skip
    for what, names, v, least in (
        ("kernel size", ("kernel_height", "kernel_width"), k, 1),
        ("stride", ("dH", "dW"), s, 1),
        ("dilation", ("dilation_height", "dilation_width"), d, 1),
        ("padding", ("pad_height", "pad_width"), p, 0),
    ):
        if min(v) < least:
            rule = "be non-negative" if least == 0 else "be greater than zero"
            raise RuntimeError(f"{what} should {rule}, but got {names[0]}: {v[0]} "
                               f"{names[1]}: {v[1]}")  # fmt: skip
    return k, d, p, s


def _blocks(size, k, d, p, s):
    return tuple((n + 2 * pp - dd * (kk - 1) - 1) // ss + 1
                 for n, kk, dd, pp, ss in zip(size, k, d, p, s, strict=True))  # fmt: skip


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Extract sliding local blocks (im2col): ``(N, C, H, W)`` -> ``(N, C * kh * kw, L)``."""
    k, d, p, s = _fold_args(kernel_size, dilation, padding, stride)
    if input.ndim not in (3, 4) or 0 in input.shape[-3:]:
        raise RuntimeError(
            "Expected 3D or 4D (batch mode) tensor input with possible 0 batch size and non-zero "
            f"dimensions for input, but got: {list(input.shape)}"
        )
    blocks = _blocks(input.shape[-2:], k, d, p, s)
    if min(blocks) < 1:
        raise RuntimeError(
            f"Given input with spatial size {tuple(input.shape[-2:])}, kernel_size={k}, "
            f"dilation={d}, padding={p}, calculated shape of the array of sliding blocks as "
            f"{blocks}, but its components must be at least one."
        )
    return call(T["im2col"], input, kernel=k, dilation=d, padding=p, stride=s)


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Combine sliding local blocks into a tensor, summing overlaps (col2im): the adjoint of
    :func:`unfold`."""
    k, d, p, s = _fold_args(kernel_size, dilation, padding, stride)
    size = _tuple(output_size, 2, "output_size")
    if input.ndim not in (2, 3) or 0 in input.shape[-2:]:
        raise RuntimeError(
            "Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and "
            f"non-zero dimensions for input, but got: {list(input.shape)}"
        )
    if input.shape[-2] % (k[0] * k[1]):
        raise RuntimeError("Expected size of input's dimension 1 to be divisible by the product "
                           f"of kernel_size, but got input.size(1)={input.shape[-2]} and "
                           f"kernel_size={k}.")  # fmt: skip
    blocks = _blocks(size, k, d, p, s)
    if input.shape[-1] != blocks[0] * blocks[1]:
        raise RuntimeError(
            f"Given output_size={size}, kernel_size={k}, dilation={d}, padding={p}, stride={s}, "
            "expected size of input's dimension 2 to match the calculated number of sliding "
            f"blocks {blocks[0]} * {blocks[1]} = {blocks[0] * blocks[1]}, but got "
            f"input.size(2)={input.shape[-1]}."
        )
    if min(blocks) < 1:
        raise RuntimeError(
            f"Given output_size={size}, kernel_size={k}, dilation={d}, padding={p}, stride={s}, "
            f"calculated shape of the array of sliding blocks as {blocks}, which is too small "
            "(non-positive)"
        )
    return call(T["col2im"], input, output_size=size, kernel=k, dilation=d, padding=p, stride=s)


# -- grid sampling --------------------------------------------------------------------------------
_GRID_MODES = {"bilinear": 0, "nearest": 1, "bicubic": 2}
_GRID_PADDING = {"zeros": 0, "border": 1, "reflection": 2}


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    """Sample ``input`` (N, C, H, W) or (N, C, D, H, W) at the normalised ``[-1, 1]`` locations
    of ``grid`` (N, Ho, Wo, 2) or (N, Do, Ho, Wo, 3), with bilinear, nearest or bicubic
    interpolation and zeros, border or reflection padding."""
    if mode not in _GRID_MODES:
        raise ValueError("nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' "
                         f"or 'bicubic', but got: '{mode}'")  # fmt: skip
    if padding_mode not in _GRID_PADDING:
        raise ValueError("nn.functional.grid_sample(): expected padding_mode to be 'zeros', "
                         f"'border', or 'reflection', but got: '{padding_mode}'")  # fmt: skip
    if align_corners is None:
        warnings.warn(
            "Default grid_sample and affine_grid behavior has changed to align_corners=False "
            "since 1.3.0. Please specify align_corners=True if the old behavior is desired. See "
            "the documentation of grid_sample for details.",
            stacklevel=2,
        )
        align_corners = False
    return _torch_grid_sampler(input, grid, _GRID_MODES[mode], _GRID_PADDING[padding_mode],
                               bool(align_corners))  # fmt: skip


# -- embedding bags -------------------------------------------------------------------------------
def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False,
                  mode="mean", sparse=False, per_sample_weights=None, include_last_offset=False,
                  padding_idx=None):  # fmt: skip
    """Sums, means or maxima of ``weight``'s rows over bags of indices: a 2-D ``input`` holds
    one bag per row; a 1-D one is cut into bags at ``offsets``."""
    from .._creation import arange, tensor

    if weight.dtype == D.int64 and input.is_floating_point():
        warnings.warn("Argument order of nn.functional.embedding_bag was changed. Usage "
                      "`embedding_bag(weight, input, ...)` is deprecated, and should now be "
                      "`embedding_bag(input, weight, ...)`.", stacklevel=2)  # fmt: skip
        weight, input = input, weight
    if per_sample_weights is not None and input.shape != per_sample_weights.shape:
        raise ValueError(
            f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, "
            f"then it must have the same shape as the input ({input.shape})"
        )
    if weight.ndim != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.ndim}")
    if input.ndim == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is "
                             "a mini-batch of fixed length sequences. However, found offsets of "
                             f"type {type(offsets)}")  # fmt: skip
        offsets = arange(0, input.numel(), input.shape[1], dtype=input.dtype)
        include_last_offset = False
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif input.ndim == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.ndim != 1:
            raise ValueError("offsets has to be a 1D Tensor")
    else:
        raise ValueError(
            f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.ndim}"
        )
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("max mode does not support scaling the gradient by the frequency")
    if mode == "max" and sparse:
        raise ValueError("max mode does not support sparse weights")
    if max_norm is not None:
        _torch_embedding_renorm_(weight, input, max_norm, norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            "embedding_bag: per_sample_weights was not None. per_sample_weights is only supported "
            f"for mode='sum' (got mode='{mode}'). Please open a feature request on GitHub."
        )
    if padding_idx is not None:
        n = weight.shape[0]
        if not -n <= padding_idx < n:
            raise RuntimeError(f"padding_idx must be within the number of embeddings, -{n} "
                               f"through {n - 1}, but got {padding_idx}")  # fmt: skip
        padding_idx %= n
    if scale_grad_by_freq:
        raise NotImplementedError(
            "torchlike does not implement embedding_bag(scale_grad_by_freq=True) yet"
        )
    offs = np.asarray(offsets.numpy(), np.int64)
    starts = offs[:-1] if include_last_offset else offs
    n = input.shape[0]
    bag = np.searchsorted(starts, np.arange(n), side="right") - 1
    if include_last_offset and offs.size:
        bag[np.arange(n) >= offs[-1]] = starts.size  # NOTE: past the last offset: in no bag
    extra = () if per_sample_weights is None else (per_sample_weights,)
    return call(
        T["embedding_bag"],
        weight,
        input,
        tensor(bag),
        *extra,
        mode=mode,
        bags=int(starts.size),
        padding_idx=-1 if padding_idx is None else padding_idx,
    )
