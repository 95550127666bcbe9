"""``torchlike.nn.functional`` layers: convolution, pooling, normalisation, padding, resampling
and attention, in PyTorch's signatures. Each function normalises its arguments and makes one call
into the op table (``_ops/layer_ops.py``)."""

from __future__ import annotations

import math
import warnings

import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._dispatch import call, wrap
from .._functions import mean, squeeze, unsqueeze, view
from .._functions.nn_ops import _max_pool, _pool_args, _tuple
from .._functions.nn_ops import adaptive_avg_pool1d as adaptive_avg_pool1d
from .._functions.nn_ops import avg_pool1d as avg_pool1d
from .._functions.nn_ops import batch_norm as _torch_batch_norm
from .._functions.nn_ops import conv1d as conv1d
from .._functions.nn_ops import conv2d as conv2d
from .._functions.nn_ops import conv3d as conv3d
from .._functions.nn_ops import conv_transpose1d as conv_transpose1d
from .._functions.nn_ops import conv_transpose2d as conv_transpose2d
from .._functions.nn_ops import group_norm as _torch_group_norm
from .._functions.nn_ops import layer_norm as _torch_layer_norm
from .._functions.nn_ops import max_pool1d as _torch_max_pool1d
from .._functions.padding import pad as pad
from .._ops import TABLE as T
from ._pooling import adaptive_avg_pool2d, adaptive_avg_pool3d

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "max_pool1d",
           "max_pool2d", "max_pool3d", "max_pool1d_with_indices", "max_pool2d_with_indices",
           "max_pool3d_with_indices", "avg_pool1d", "avg_pool2d", "adaptive_avg_pool1d",
           "batch_norm", "layer_norm", "group_norm", "pad", "interpolate", "upsample",
           "upsample_nearest", "upsample_bilinear",
           "scaled_dot_product_attention", "multi_head_attention_forward"]  # fmt: skip


# NOTE: the convolutions and avg_pool1d are torch's own functions (``F.conv2d is
# torch.conv2d``), defined with their ATen signatures in ``_functions/nn_ops.py``.
def max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=False):  # fmt: skip
    """1-D max pooling over ``(N, C, L)`` or ``(C, L)`` and the index of each maximum
    (``return_indices`` is accepted and ignored, as torch: both are returned)."""
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, 1)


def max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=False):  # fmt: skip
    """2-D max pooling and the index of each maximum, flat within its ``H * W`` plane."""
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, 2)


def max_pool3d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=False):  # fmt: skip
    """3-D max pooling and the index of each maximum, flat within its ``D * H * W`` volume."""
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, 3)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):  # fmt: skip
    """1-D max pooling; with ``return_indices`` also the index of each maximum."""
    if not return_indices:  # NOTE: torch.max_pool1d, whose argument errors differ
        return _torch_max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode)
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, 1)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):  # fmt: skip
    """2-D max pooling; with ``return_indices`` also the flat index of each maximum."""
    out = _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, 2)
    return out if return_indices else out[0]


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):  # fmt: skip
    """3-D max pooling; with ``return_indices`` also the flat index of each maximum."""
    out = _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, 3)
    return out if return_indices else out[0]


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):  # fmt: skip
    """2-D average pooling."""
    k, s, p, _ = _pool_args(kernel_size, stride, padding, 1)
    return call(T["avg_pool2d"], input, kernel=k, stride=s, padding=p, ceil_mode=bool(ceil_mode),
                count_include_pad=bool(count_include_pad),
                divisor_override=divisor_override)  # fmt: skip


# -- normalisation --------------------------------------------------------------------------------
def _verify_batch_size(size):
    if size[0] * math.prod(size[2:]) == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size "
                         f"{size}")  # fmt: skip


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):  # fmt: skip
    """Batch normalisation over the channel dimension (dim 1). In training it normalises with the
    batch statistics and, given running stats, updates them in place:
    ``running = (1 - momentum) * running + momentum * batch`` (unbiased variance)."""
    if training and input.ndim:
        _verify_batch_size(input.shape)
    return _torch_batch_norm(input, weight, bias, running_mean, running_var, training, momentum,
                             eps)  # fmt: skip


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalise over the last ``len(normalized_shape)`` dimensions."""
    return _torch_layer_norm(input, normalized_shape, weight, bias, eps)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Normalise over groups of channels."""
    if input.ndim < 2:
        raise RuntimeError(
            f"Expected at least 2 dimensions for input tensor but received {input.ndim}"
        )
    _verify_batch_size([input.shape[0] * input.shape[1] // num_groups, num_groups,
                        *input.shape[2:]])  # fmt: skip
    return _torch_group_norm(input, num_groups, weight, bias, eps)


# -- padding and resampling -----------------------------------------------------------------------
# NOTE: ``pad`` is defined in ``_functions/padding.py`` (torch-level functions pad too).


_LINEAR_MODES = {"linear": 1, "bilinear": 2, "trilinear": 3}


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):  # fmt: skip
    """Resize the spatial dimensions by ``size`` or ``scale_factor``: nearest, nearest-exact,
    (bi|tri)linear, bicubic or area."""
    nd = input.ndim - 2
    if not 1 <= nd <= 3 or (mode == "bicubic" and nd != 2):
        raise NotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.ndim}D) for the "
            "modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | area | "
            f"nearest-exact (got {mode})"
        )
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError(
                "align_corners option can only be set with the interpolating modes: "
                "linear | bilinear | bicubic | trilinear"
            )
    elif align_corners is None:
        align_corners = False
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        out = _tuple(size, nd, "size") if isinstance(size, (list, tuple)) else (int(size),) * nd
        if len(out) != nd:
            raise ValueError(
                f"Input and output must have the same number of spatial dimensions, but got "
                f"input with spatial dimensions of {list(input.shape[2:])} and output size of "
                f"{list(size)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
                "output size in (o1, o2, ...,oK) format."
            )
        scales = (None,) * nd
    elif scale_factor is not None:
        sf = (
            tuple(scale_factor)
            if isinstance(scale_factor, (list, tuple))
            else (float(scale_factor),) * nd
        )
        out = tuple(math.floor(float(input.shape[2 + i]) * sf[i]) for i in range(nd))
        scales = (None,) * nd if recompute_scale_factor else tuple(float(s) for s in sf)
    else:
        raise ValueError("either size or scale_factor should be defined")
    if mode in ("nearest", "nearest-exact"):
        return call(T["upsample_nearest"], input, size=out, scales=scales,
                    exact=mode == "nearest-exact")  # fmt: skip
    if mode == "area":
        return (adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d)[nd - 1](input, out)
    if mode == "bicubic":
        return call(T["upsample_linear"], input, size=out, scales=scales,
                    align_corners=bool(align_corners), cubic=True)  # fmt: skip
    if mode in _LINEAR_MODES:
        if _LINEAR_MODES[mode] != nd:
            raise NotImplementedError(
                f"Got {input.ndim}D input, but {mode} mode needs {_LINEAR_MODES[mode] + 2}D input"
            )
        return call(T["upsample_linear"], input, size=out, scales=scales,
                    align_corners=bool(align_corners))  # fmt: skip
    raise NotImplementedError(f"interpolate mode {mode!r} is not supported by torchlike")


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Deprecated alias of :func:`interpolate`."""
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """Deprecated: ``interpolate(input, size, scale_factor, mode="nearest")``."""
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` "
                  "instead.", stacklevel=2)  # fmt: skip
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """Deprecated: ``interpolate(input, size, scale_factor, mode="bilinear",
    align_corners=True)``."""
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use "
                  "`nn.functional.interpolate` instead.", stacklevel=2)  # fmt: skip
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# -- attention ------------------------------------------------------------------------------------
def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None, enable_gqa=False):  # fmt: skip
    """``softmax(q @ k^T * scale + mask) @ v``; a bool ``attn_mask`` marks positions to KEEP.
    ``dropout_p`` drops attention weights with torchlike's generator (not torch's draws)."""
    if attn_mask is not None and is_causal:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set "
                           "when is_causal=True")  # fmt: skip
    # NOTE: with enable_gqa, each key/value head serves a group of query heads
    kv_batch = (*key.shape[:-3], query.shape[-3]) if enable_gqa else key.shape[:-2]
    batch = np.broadcast_shapes(tuple(query.shape[:-2]), tuple(kv_batch))
    if 0 in (query.numel(), key.numel(), value.numel()):
        # NOTE: torch's early exit for empty inputs: zeros, linked to each input by a 0 * sum
        zeros = query.new_zeros((*batch, query.shape[-2], value.shape[-1]))
        return zeros + call(T["mul_scalar"], query.sum() + key.sum() + value.sum(), 0)
    kind = None
    extra = []
    if attn_mask is not None:
        kind = "bool" if attn_mask.dtype == D.bool else "float"
        extra.append(attn_mask)
    p = float(dropout_p)
    if p > 0:
        extra.append(_dropout_scale((*batch, query.shape[-2], key.shape[-2]), p, query.dtype))
    return call(T["scaled_dot_product_attention"], query, key, value, *extra,
                scale=None if scale is None else float(scale), is_causal=bool(is_causal),
                mask_kind=kind, dropout_p=p, enable_gqa=bool(enable_gqa))  # fmt: skip


def _dropout_scale(shape, p, dtype):
    """The factor torch's dropout multiplies attention weights by: a keep-mask drawn as torch
    draws it (``bernoulli_(1 - p)``), divided by ``1 - p``; zeros, with no draw, for p = 1."""
    from .._random import _bernoulli_noise

    if p == 1:
        return wrap(jnp.zeros(shape, dtype._np))
    return wrap(_bernoulli_noise(shape, 1.0 - p, dtype._np) / np.asarray(1.0 - p, dtype._np))


def _float_mask(mask, dtype):
    """MHA's bool masks (True = masked out) as additive float masks, as torch's _canonical_mask."""
    if mask is None or mask.dtype != D.bool:
        return mask
    return call(T["mask_to_float"], mask, dtype=dtype._np)


def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads,
                                 in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn,
                                 dropout_p, out_proj_weight, out_proj_bias, training=True,
                                 key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None,
                                 k_proj_weight=None, v_proj_weight=None, static_k=None,
                                 static_v=None, average_attn_weights=True,
                                 is_causal=False):  # fmt: skip
    """The computation of ``nn.MultiheadAttention`` on ``(L, N, E)`` (or unbatched ``(L, E)``)
    inputs; returns ``(output, weights or None)``."""
    if bias_k is not None or add_zero_attn or use_separate_proj_weight or static_k is not None:
        raise NotImplementedError("torchlike: bias_k/bias_v, add_zero_attn and separate "
                                  "projection weights are not supported")  # fmt: skip
    unbatched = query.ndim == 2
    if unbatched:
        query, key, value = unsqueeze(query, 1), unsqueeze(key, 1), unsqueeze(value, 1)
        if key_padding_mask is not None:
            key_padding_mask = unsqueeze(key_padding_mask, 0)
    L, N, E = query.shape
    if E != embed_dim_to_check:
        raise AssertionError(
            f"was expecting embedding dimension of {embed_dim_to_check}, but got {E}"
        )
    if E % num_heads:
        raise AssertionError(f"embed_dim {E} not divisible by num_heads {num_heads}")
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the "
                           "Transformer module method `generate_square_subsequent_mask` to "
                           "create this mask.")  # fmt: skip
    masks = []
    for m in (attn_mask, key_padding_mask):
        if m is not None:
            masks.append(_float_mask(m, query.dtype))
    extra = [a for a in (in_proj_bias, out_proj_bias) if a is not None]
    p = float(dropout_p) if training else 0.0
    if p:
        masks.append(_dropout_scale((query.shape[1] * num_heads, query.shape[0], key.shape[0]),
                                    p, query.dtype))  # fmt: skip
    out, w = call(T["multi_head_attention"], query, key, value, in_proj_weight, *extra[:1],
                  out_proj_weight, *extra[1:], *masks, num_heads=int(num_heads),
                  has_in_b=in_proj_bias is not None, has_out_b=out_proj_bias is not None,
                  has_attn_mask=attn_mask is not None,
                  has_kpm=key_padding_mask is not None, dropout_p=p)  # fmt: skip
    S = key.shape[0]
    out = view(out, L, N, E)
    if unbatched:
        out = squeeze(out, 1)
    if not need_weights:
        return out, None
    w = view(w, N, num_heads, L, S)
    if average_attn_weights:
        w = mean(w, dim=1)
    if unbatched:
        w = squeeze(w, 0)
    return out, w
