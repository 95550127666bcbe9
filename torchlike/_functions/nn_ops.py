"""The ``torch.*`` spellings of the neural-network ops (``torch.conv2d``, ``torch.batch_norm``,
``torch.dropout``, ``torch.selu``, ``torch.cosine_similarity``...): ATen's positional signatures
(an ``int reduction`` — 0 none, 1 mean, 2 sum — where ``nn.functional`` takes a string), over
the op table. ``nn.functional`` builds its keyword-friendly spellings on these."""

from __future__ import annotations

import functools
import math
import numbers

import jax
import numpy as np

from .. import _dtype as D
from .._dispatch import call, wrap
from .._ops import TABLE as T
from .._ops.layer_ops import adaptive_output_size, check_max_pool1d
from .._tensor import Tensor, _wrap_dim
from .._warn_once import warn_once
from ..autograd.grad_mode import is_grad_enabled
from ._surface import public
from .combine import cat, stack
from .native import _affine_slots, grid_sampler_2d, grid_sampler_3d
from .numeric import _broadcast_pair_error
from .pointwise import where

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d", "convolution", "conv_tbc", "max_pool1d", "max_pool2d",
           "max_pool1d_with_indices", "avg_pool1d", "adaptive_avg_pool1d", "adaptive_max_pool1d",
           "batch_norm", "instance_norm", "layer_norm", "group_norm", "rms_norm", "dropout",
           "alpha_dropout", "feature_dropout", "feature_alpha_dropout", "native_dropout", "selu",
           "selu_", "celu", "celu_", "threshold", "threshold_", "hardshrink", "prelu", "rrelu",
           "rrelu_",
           "relu_", "bilinear", "embedding", "embedding_renorm_", "pixel_shuffle",
           "pixel_unshuffle", "channel_shuffle", "native_channel_shuffle", "cosine_similarity",
           "pairwise_distance", "pdist", "norm_except_dim",
           "binary_cross_entropy_with_logits", "kl_div", "hinge_embedding_loss",
           "margin_ranking_loss", "cosine_embedding_loss", "triplet_margin_loss",
           "poisson_nll_loss", "rnn_tanh_cell", "rnn_relu_cell", "gru_cell",
           "lstm_cell", "rnn_tanh", "rnn_relu", "gru", "lstm", "max_pool3d",
           "affine_grid_generator", "grid_sampler", "embedding_bag", "ctc_loss"]  # fmt: skip

# ATen's at::Reduction enum. NOTE: torch's Python bindings default these functions'
# ``reduction`` to 0 (none), not to the schema's Mean; torchlike follows what torch does.
_REDUCTION = {0: "none", 1: "mean", 2: "sum"}


def _reduce(loss: Tensor, reduction: int) -> Tensor:
    r = _REDUCTION[int(reduction)]
    return loss.mean() if r == "mean" else loss.sum() if r == "sum" else loss


def _tuple(v, n, name="argument"):
    if isinstance(v, (list, tuple)):
        if len(v) == 1:
            return tuple(int(v[0]) for _ in range(n))
        if len(v) != n:
            raise RuntimeError(f"expected {name} to be a single integer value or a list of {n} "
                               f"values to match the convolution dimensions, but got "
                               f"{name}={list(v)}")  # fmt: skip
        return tuple(int(a) for a in v)
    return (int(v),) * n


# -- convolution ----------------------------------------------------------------------------------
def _c10_name(dt):
    return D.cpp_type_name(dt)


def _type_string(dt):
    """How torch's error messages name a CPU tensor type: ``Tensor::toString()`` (``CPUBoolType``),
    with the legacy Python class name for the types that have one (``torch.FloatTensor``)."""
    legacy = D._LEGACY[dt]
    return f"CPU{legacy}Type" if dt in (D.bool, D.bfloat16) or dt._cat == D._COMPLEX else (
        f"torch.{legacy}Tensor")  # fmt: skip


def _batchify(input, nd, name):
    """``(batched input, was batched)``: ATen runs an unbatched input as a batch of one."""
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to "
                           f"{name}, but got input of size: {list(input.shape)}")  # fmt: skip
    return (input, True) if input.ndim == nd + 2 else (input.unsqueeze(0), False)


def _same_padding(input, weight, stride, dilation, groups):
    """ATen's ``conv_padding_same``: ``(input, padding)``, the input padded on the right where
    the total padding ``dilation * (k - 1)`` is odd."""
    k = weight.ndim
    if k <= 2:
        raise RuntimeError("weight should have at least three dimensions")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if k != input.ndim:
        raise RuntimeError(f"Expected {k}-dimensional input for {k}-dimensional weight"
                           f"{list(weight.shape)}, but got {input.ndim}-dimensional input of size "
                           f"{list(input.shape)} instead")  # fmt: skip
    for name, v in (("stride", stride), ("dilation", dilation)):
        if isinstance(v, (list, tuple)) and len(v) not in (1, k - 2):
            raise RuntimeError(f"{name} cannot broadcast to {k - 2} dimensions")
    if any(s != 1 for s in _tuple(stride, k - 2)):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    total = [d * (n - 1) for d, n in zip(_tuple(dilation, k - 2), weight.shape[2:], strict=True)]
    left = [t // 2 for t in total]
    extra = [t - 2 * p for t, p in zip(total, left, strict=True)]
    if any(extra):
        warn_once("conv padding='same'", "Using padding='same' with even kernel lengths and odd "
                  "dilation may require a zero-padded copy of the input be created",
                  UserWarning, stacklevel=4)  # fmt: skip
        from .padding import constant_pad_nd

        input = constant_pad_nd(input, [n for e in reversed(extra) for n in (0, e)])
    return input, left


def _conv(input, weight, bias, stride, padding, dilation, groups, nd, transposed=False,
          output_padding=0):  # fmt: skip
    """``torch.conv{nd}d`` / ``conv_transpose{nd}d``: ATen's checks in its order, then
    :func:`convolution` on a batch of one for an unbatched input."""
    if not transposed and bias is not None and bias._dtype is not input._dtype:
        raise RuntimeError(f"Input type ({_c10_name(input._dtype)}) and bias type "
                           f"({_c10_name(bias._dtype)}) should be the same")  # fmt: skip
    name = f"conv_transpose{nd}d" if transposed else f"conv{nd}d"
    input, batched = _batchify(input, nd, name)
    # NOTE: the schema's int[nd] arguments: an int is nd copies before the weight is seen
    stride, dilation, output_padding = (v if isinstance(v, (list, tuple)) else (v,) * nd
                                        for v in (stride, dilation, output_padding))  # fmt: skip
    if isinstance(padding, int):
        padding = (padding,) * nd
    if not isinstance(padding, str) and input._dtype._cat == D._COMPLEX and (
            weight._dtype is not input._dtype):  # fmt: skip
        # NOTE: ATen's complex_convolution checks the types first
        raise RuntimeError(f"Input type ({_type_string(input._dtype)}) and weight type "
                           f"({_type_string(weight._dtype)}) should be the same")  # fmt: skip
    if isinstance(padding, str):
        if padding == "same":
            input, padding = _same_padding(input, weight, stride, dilation, groups)
        elif padding == "valid":
            padding = 0
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    out = convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding,
                      groups)  # fmt: skip
    return out if batched else out.squeeze(0)


@public
def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D convolution over an input of shape ``(N, C_in, L)`` (or unbatched ``(C_in, L)``)."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 1)


@public
def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution; ``padding`` may be an int, a pair, ``'valid'`` or ``'same'``."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 2)


@public
def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """3-D convolution."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 3)


@public
def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):  # fmt: skip
    """1-D transposed convolution (the gradient of conv1d with respect to its input)."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 1, True, output_padding)


@public
def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):  # fmt: skip
    """2-D transposed convolution; ``weight`` has shape ``(C_in, C_out / groups, kH, kW)``."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 2, True, output_padding)


@public
def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):  # fmt: skip
    """3-D transposed convolution."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 3, True, output_padding)


_HWD = ("width", "height", "depth")


def _named_sizes(kind, values):
    """ATen's slow-kernel spelling of per-dimension sizes: ``dilation_height: 1, ...``."""
    return [f"{kind}_{_HWD[len(values) - 1 - i]}: {v}" for i, v in enumerate(values)]


def _kernel_checks(input, weight, stride, dilation, transposed, output_padding):
    """The checks of ATen's CPU kernels (1-D runs as 2-D, so its lists gain a leading 1/0)."""
    one_d = len(dilation) == 1
    dil, st, op = ((1, *dilation), (1, *stride), (0, *output_padding)) if one_d else (
        dilation, stride, output_padding)  # fmt: skip
    if min(dil) < 1:
        got = ", ".join(_named_sizes("dilation", dil)) if transposed else list(dil)
        raise RuntimeError(f"dilation should be greater than zero, but got {got}")
    if transposed and any(o >= s and o >= d for o, s, d in zip(op, st, dil, strict=True)):
        got = " ".join(_named_sizes("output_padding", op) + _named_sizes("stride", st)
                       + _named_sizes("dilation", dil))  # fmt: skip
        raise RuntimeError("output padding must be smaller than either stride or dilation, but "
                           f"got {got}")  # fmt: skip
    if weight._dtype is not input._dtype:
        if input._dtype in (D.float32, D.bfloat16) and input.shape[0] > 1:
            # NOTE: torch's CPU backend choice: a float32/bfloat16 batch of more than one goes
            # to mkldnn, which checks the types in its own words
            raise RuntimeError(
                f"Input type ({_type_string(input._dtype)}) and weight type "
                f"({_type_string(weight._dtype)}) should be the same or input should be a MKLDNN "
                "tensor and weight is a dense tensor"
            )
        raise RuntimeError(f"expected scalar type {D._LEGACY[input._dtype]} but found "
                           f"{D._LEGACY[weight._dtype]}")  # fmt: skip
    if input._dtype is D.bool:
        nd = len(dilation)
        kernel = (f"slow_conv_transpose{max(nd, 2)}d_out_cpu" if transposed else
                  "slow_conv_dilated<>" if max(dilation) > 1 else
                  "compute_columns3d" if nd == 3 else "slow_conv2d_cpu")  # fmt: skip
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _check_shape_forward(input, weight, bias, stride, padding, dilation, transposed,
                         output_padding, groups):  # fmt: skip
    """ATen's ``check_shape_forward``."""
    for bad, what in ((min(padding) < 0, "negative padding"),
                      (min(output_padding) < 0, "negative output_padding"),
                      (min(stride) < 1, "non-positive stride")):  # fmt: skip
        if bad:
            raise RuntimeError(f"{what} is not supported")
    if min(dilation) < 0:
        raise RuntimeError("dilation should be greater than zero")
    ws, k = list(weight.shape), weight.ndim
    if input.ndim != k:
        raise RuntimeError(f"Expected {k}-dimensional input for {k}-dimensional weight {ws}, but "
                           f"got {input.ndim}-dimensional input of size {list(input.shape)} "
                           "instead")  # fmt: skip
    if ws[0] < groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be at least {groups} at "
                           f"dimension 0, but got weight of size {ws} instead")  # fmt: skip
    if ws[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} "
                           f"at dimension 0, but got weight of size [{ws}] instead")  # fmt: skip
    cin, n_out = (ws[0], ws[1] * groups) if transposed else (ws[1] * groups, ws[0])
    given = "transposed=1" if transposed else f"groups={groups}"
    if input.shape[1] != cin:
        raise RuntimeError(f"Given {given}, weight of size {ws}, expected input"
                           f"{list(input.shape)} to have {cin} channels, but got "
                           f"{input.shape[1]} channels instead")  # fmt: skip
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != n_out):
        given = "transposed=1, weight" if transposed else "weight"
        raise RuntimeError(
            f"Given {given} of size {ws}, expected bias to be 1-dimensional with "
            f"{n_out} elements, but got bias of size {list(bias.shape)} instead"
        )
    if transposed:
        return
    padded = [n + 2 * p for n, p in zip(input.shape[2:], padding, strict=True)]
    kernel = [d * (n - 1) + 1 for d, n in zip(dilation, ws[2:], strict=True)]
    if any(p < kk for p, kk in zip(padded, kernel, strict=True)):
        raise RuntimeError(
            f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). Kernel "
            f"size: ({' x '.join(map(str, kernel))}). Kernel size can't be greater than actual "
            "input size"
        )


@public
def convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding,
                groups):  # fmt: skip
    """The general convolution every ``conv*`` spelling reduces to (ATen's ``convolution``): a
    batched input, no string padding."""
    if weight.ndim < 3:
        raise RuntimeError("weight should have at least three dimensions")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    nd = weight.ndim - 2
    stride, padding, dilation, output_padding = (
        _tuple(v, nd, name) for v, name in ((stride, "stride"), (padding, "padding"),
                                            (dilation, "dilation"),
                                            (output_padding, "output_padding")))  # fmt: skip
    _check_shape_forward(input, weight, bias, stride, padding, dilation, transposed,
                         output_padding, groups)  # fmt: skip
    _kernel_checks(input, weight, stride, dilation, transposed, output_padding)
    extra = ()
    if bias is not None:
        # NOTE: ATen adds the bias into the output: it takes the input's dtype.
        if bias._dtype._cat > input._dtype._cat:
            raise RuntimeError(f"result type {D._LEGACY[bias._dtype]} can't be cast to the "
                               f"desired output type {D._LEGACY[input._dtype]}")  # fmt: skip
        extra = (bias if bias._dtype is input._dtype else bias.to(input._dtype),)
    return call(T["convolution"], input, weight, *extra, stride=stride,
                padding=tuple((p, p) for p in padding), dilation=dilation, groups=int(groups),
                transposed=bool(transposed), output_padding=output_padding)  # fmt: skip


@public
def conv_tbc(input, weight, bias, pad=0):
    """1-D convolution over a time-batch-channel input ``(T, B, C_in)`` with a weight
    ``(K, C_in, C_out)``; returns ``(T', B, C_out)``."""
    out = conv1d(input.permute(1, 2, 0), weight.permute(2, 1, 0), bias, padding=pad)
    return out.permute(2, 0, 1)


# -- pooling --------------------------------------------------------------------------------------
def _pool_args(kernel_size, stride, padding, dilation, n=2):
    k = _tuple(kernel_size, n, "kernel_size")
    s = (
        k
        if stride is None or (isinstance(stride, (list, tuple)) and not stride)
        else _tuple(stride, n, "stride")
    )
    p = _tuple(padding, n, "padding")
    d = _tuple(dilation, n, "dilation")
    for pp, kk, dd in zip(p, k, d, strict=True):
        if pp > ((kk - 1) * dd + 1) // 2:
            raise RuntimeError(
                f"pad should be at most half of effective kernel size, but got pad={pp}, "
                f"kernel_size={kk} and dilation={dd}"
            )
    return k, s, p, d


def _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, nd):
    """``(values, indices)`` of an ``nd``-D max pooling, each index flat within its plane
    (``H * W`` for 2-D); 1-D runs as 2-D over a unit height, as ATen's."""
    k, s, p, d = _pool_args(kernel_size, stride, padding, dilation, nd)
    if nd == 1:
        out, idx = call(T["max_pool2d"], input.unsqueeze(-2), kernel=(1, *k), stride=(1, *s),
                        padding=(0, *p), dilation=(1, *d), ceil_mode=bool(ceil_mode))  # fmt: skip
        return out.squeeze(-2), idx.squeeze(-2)
    return call(T[f"max_pool{nd}d"], input, kernel=k, stride=s, padding=p, dilation=d,
                ceil_mode=bool(ceil_mode))  # fmt: skip


@public
def max_pool2d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    """2-D max pooling (``nn.functional.max_pool2d`` without ``return_indices``)."""
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, 2)[0]


@public
def max_pool3d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    """3-D max pooling over ``(N, C, D, H, W)`` or ``(C, D, H, W)``."""
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, 3)[0]


@public
def max_pool1d_with_indices(input, kernel_size, stride=(), padding=0, dilation=1,
                            ceil_mode=False):  # fmt: skip
    """1-D max pooling over ``(N, C, L)`` or ``(C, L)``, and the index of each maximum."""
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, 1)


@public
def max_pool1d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    """1-D max pooling."""
    check_max_pool1d(input.shape, kernel_size, stride, padding, dilation, ceil_mode)
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, 1)[0]


@public
def avg_pool1d(input, kernel_size, stride=(), padding=0, ceil_mode=False,
               count_include_pad=True):  # fmt: skip
    """1-D average pooling."""
    if input.ndim not in (2, 3):
        raise RuntimeError(
            f"Expected 2 to 3 dimensions, but got {input.ndim}-dimensional tensor for argument "
            "#1 'self' (while checking arguments for avg_pool1d)"
        )
    k, s, p, _ = _pool_args(kernel_size, stride, padding, 1, 1)
    out = call(T["avg_pool2d"], input.unsqueeze(-2), kernel=(1, *k), stride=(1, *s),
               padding=(0, *p), ceil_mode=bool(ceil_mode),
               count_include_pad=bool(count_include_pad), divisor_override=None)  # fmt: skip
    return out.squeeze(-2)


@public
def adaptive_avg_pool1d(input, output_size):
    """1-D adaptive average pooling."""
    size = adaptive_output_size(input.shape, output_size, 1, "adaptive_avg_pool1d")
    out = call(T["adaptive_avg_pool2d"], input.unsqueeze(-2), output_size=(1, *size))
    return out.squeeze(-2)


@public
def adaptive_max_pool1d(input, output_size):
    """1-D adaptive max pooling: ``(values, indices)``."""
    size = adaptive_output_size(input.shape, output_size, 1, "adaptive_max_pool1d")
    out, idx = call(T["adaptive_max_pool2d"], input.unsqueeze(-2), output_size=(1, *size))
    return out.squeeze(-2), idx.squeeze(-2)


# -- normalisation --------------------------------------------------------------------------------
def _empty_affine(input, weight, bias):
    """ATen's normalisation of an empty input: a copy (not a view, so the graph goes on) with
    the affine parameters applied per channel."""
    out = input.clone()
    shape = (1, -1) + (1,) * (input.ndim - 2) if input.ndim >= 2 else (-1,)
    if weight is not None and weight.numel():
        out = out * weight.reshape(shape)
    if bias is not None and bias.numel():
        out = out + bias.reshape(shape)
    return out


@public
def batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps,
               cudnn_enabled=True):  # fmt: skip
    """Batch normalisation over the channel dimension (dim 1). In training it normalises with the
    batch statistics and, given running stats, updates them in place:
    ``running = (1 - momentum) * running + momentum * batch`` (unbiased variance)."""
    if input.numel() == 0:
        return _empty_affine(input, weight, bias)
    has_stats = running_mean is not None and running_var is not None
    if not training and not has_stats:
        raise RuntimeError("running_mean must be defined in evaluation mode")
    args = _affine_slots(input, weight, bias)
    if has_stats:
        args += [running_mean, running_var]
    out, rm, rv = call(T["batch_norm"], input, *args, float(momentum or 0.0),
                       training=bool(training), eps=float(eps), has_w=weight is not None,
                       has_b=bias is not None, has_stats=has_stats)  # fmt: skip
    if training and has_stats:
        # NOTE: torch's kernel writes the running stats without bumping their version counter.
        running_mean._storage.array = rm._storage.array
        running_var._storage.array = rv._storage.array
    return out


@public
def instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps,
                  cudnn_enabled=True):  # fmt: skip
    """Normalise each (sample, channel) over its spatial dims: batch norm of the input seen as
    one sample of ``N * C`` channels; running stats get the batch's mean of the updates."""
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError(
            "Expected running_mean and running_var to be defined when use_input_stats is false"
        )
    n, c = input.shape[0], input.shape[1]
    x = input.reshape(1, n * c, *input.shape[2:])
    w = weight.repeat(n) if weight is not None else None
    b = bias.repeat(n) if bias is not None else None
    rm = running_mean.repeat(n) if running_mean is not None else None
    rv = running_var.repeat(n) if running_var is not None else None
    out = batch_norm(x, w, b, rm, rv, use_input_stats, momentum, eps)
    if use_input_stats:
        for run, new in ((running_mean, rm), (running_var, rv)):
            if run is not None:
                run._storage.array = new.view(n, c).mean(0)._array.astype(run._dtype._np)
    return out.view(input.shape)


def _normalized_shape(input, normalized_shape, weight=None, star="*, "):
    """ATen's checks of ``normalized_shape`` (and ``weight``'s shape) against ``input``;
    ``star`` is how the message spells the leading dims (rms_norm's reads ``[*2, 2]``)."""
    if isinstance(normalized_shape, numbers.Integral):
        normalized_shape = (normalized_shape,)
    shape = tuple(int(s) for s in normalized_shape)
    n = len(shape)
    if not n:
        raise RuntimeError(
            "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least "
            "one element, but got normalized_shape = []"
        )
    if weight is not None and tuple(weight.shape) != shape:
        raise RuntimeError(
            "Expected weight to be of same shape as normalized_shape, but got weight of shape "
            f"{list(weight.shape)} and normalized_shape = {list(shape)}"
        )
    if input.ndim < n or tuple(input.shape[input.ndim - n :]) != shape:
        dims = ", ".join(map(str, shape))
        raise RuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape [{star}{dims}], but "
            f"got input of size{list(input.shape)}"
        )
    return shape


@public
def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5, cudnn_enable=True):
    """Normalise over the last ``len(normalized_shape)`` dimensions."""
    n = len(_normalized_shape(input, normalized_shape, weight))
    wb = [a for a in (weight, bias) if a is not None]
    return call(T["layer_norm"], input, *wb, ndim=n, eps=float(eps), has_w=weight is not None,
                has_b=bias is not None)  # fmt: skip


@public
def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5, cudnn_enabled=True):
    """Normalise over groups of channels."""
    c = input.shape[_wrap_dim(1, input.ndim)]
    if num_groups <= 0:
        raise RuntimeError(f"Expected num groups to be greater than 0, got {num_groups}")
    if c % num_groups:
        raise RuntimeError(
            "Expected number of channels in input to be divisible by num_groups, but got input of "
            f"shape {list(input.shape)} and num_groups={num_groups}"
        )
    # NOTE: ATen's bias message shows the weight's shape ([0] when there is none)
    w_shape = [0] if weight is None else list(weight.shape)
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.ndim != 1 or t.numel() != c):
            raise RuntimeError(
                f"Expected {name} to be a vector of size equal to the number of channels in "
                f"input, but got {name} of shape {w_shape} and input of shape "
                f"{list(input.shape)}"
            )
    wb = [a for a in (weight, bias) if a is not None]
    return call(T["group_norm"], input, *wb, groups=int(num_groups), eps=float(eps),
                has_w=weight is not None, has_b=bias is not None)  # fmt: skip


@public
def rms_norm(input, normalized_shape, weight=None, eps=None):
    """``input / sqrt(mean(input**2) + eps) * weight`` over the last
    ``len(normalized_shape)`` dims; ``eps`` defaults to the dtype's machine epsilon."""
    shape = _normalized_shape(input, normalized_shape, weight, star="*")
    if eps is None:
        eps = float(np.finfo(input._dtype._np).eps)
    dims = tuple(range(input.ndim - len(shape), input.ndim))
    out = input * (input.pow(2).mean(dims, keepdim=True) + eps).rsqrt()
    return out if weight is None else out * weight


# -- dropout --------------------------------------------------------------------------------------
_ALPHA = 1.7580993408473766  # SELU's -scale * alpha: alpha dropout drops to this value


def _check_p(p):
    if p < 0 or p > 1:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")


def _noise(input, p, feature):
    """A 0/1 keep-mask in ``input``'s dtype: per element, or per (sample, channel)."""
    from .._random import _bernoulli_noise

    shape = (*input.shape[:2], *(1,) * (input.ndim - 2)) if feature else tuple(input.shape)
    return wrap(_bernoulli_noise(shape, 1.0 - p, input._dtype._np))


def _returns_input(input, p, train, *, feature=False):
    """Whether dropout returns ``input`` itself. NOTE: torch checks ``p`` and a feature dropout's
    rank before this and before an in-place form's leaf check, so those errors are raised here
    (the in-place forms' ``identity_when``)."""
    _check_p(p)
    if p == 0 or not train or input.numel() == 0:
        return True
    if feature and p != 1 and input.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    return False


_feature_returns_input = functools.partial(_returns_input, feature=True)


def _dropout(input, p, train, *, alpha, feature):
    if _returns_input(input, p, train, feature=feature):
        return input
    if p == 1:
        return input * wrap(jax.numpy.zeros((), input._dtype._np))
    noise = _noise(input, p, feature)
    if not alpha:
        return input * (noise / (1 - p))
    a = 1.0 / math.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
    b = (noise - 1) * (_ALPHA * a) + _ALPHA * a * p
    return input * (noise * a) + b


@public(torch_inplace=True, identity_when=_returns_input)
def dropout(input, p, train):
    """Zero each element with probability ``p`` and scale the rest by ``1/(1-p)`` when ``train``
    (the mask is torch's draw from the generator)."""
    return _dropout(input, p, train, alpha=False, feature=False)


@public(torch_inplace=True, identity_when=_feature_returns_input)
def feature_dropout(input, p, train):
    """Dropout of whole channels: one draw per (sample, channel) of an ``(N, C, ...)`` input."""
    return _dropout(input, p, train, alpha=False, feature=True)


@public(torch_inplace=True, identity_when=_returns_input)
def alpha_dropout(input, p, train):
    """Dropout that keeps SELU's self-normalising mean and variance: dropped elements become
    SELU's negative saturation value, then an affine map restores the moments."""
    return _dropout(input, p, train, alpha=True, feature=False)


@public(torch_inplace=True, identity_when=_feature_returns_input)
def feature_alpha_dropout(input, p, train):
    """Alpha dropout of whole channels."""
    return _dropout(input, p, train, alpha=True, feature=True)


@public
def native_dropout(input, p, train):
    """ATen's dropout kernel: ``(output, mask)`` with a bool ``mask`` of the kept elements."""
    _check_p(p)
    if train is None or train:
        keep = _noise(input, p, False)
        scale = 0.0 if p == 1 else 1.0 / (1 - p)
        return input * (keep * scale), keep.bool()
    return input.clone(), wrap(jax.numpy.ones(tuple(input.shape), bool))


# -- activations ----------------------------------------------------------------------------------
def _activation(input, op, inplace, *args, **opts):
    """Table op ``op`` on ``input``; with ``inplace``, written into ``input`` (the op reads a
    snapshot, so its saved input is not the tensor the write bumps). Where torch's in-place
    overload is an op of its own (``elu_``: node ``EluBackward1``), so is torchlike's."""
    if not inplace:
        return call(T[op], input, *args, **opts)
    from .inplace import _check_inplace, _inplace, _snapshot

    _check_inplace(input)
    op = op + "_" if op + "_" in T else op
    return _inplace(input, call(T[op], _snapshot(input), *args, **opts))


@public
def selu(input):
    """``scale * elu(input, alpha)`` with SELU's fixed ``alpha`` and ``scale``."""
    return _activation(input, "selu", False)


@public
def selu_(input):
    """In-place :func:`selu`."""
    return _activation(input, "selu", True)


def _celu(input, alpha, inplace):
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError")
    return _activation(input, "celu", inplace, alpha=float(alpha))


@public
def celu(input, alpha=1.0):
    """``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``."""
    return _celu(input, alpha, False)


@public
def celu_(input, alpha=1.0):
    """In-place :func:`celu`."""
    return _celu(input, alpha, True)


@public
def threshold(input, threshold, value):
    """``input`` where it exceeds ``threshold``, else ``value``."""
    return _activation(input, "threshold", False, threshold=threshold, value=value)


@public
def threshold_(input, threshold, value):
    """In-place :func:`threshold`."""
    return _activation(input, "threshold", True, threshold=threshold, value=value)


@public(method=True)
def hardshrink(input, lambd=0.5):
    """``input`` where ``|input| > lambd``, else 0."""
    return call(T["hardshrink"], input, lambd=float(lambd))


@public(method=True)
def prelu(input, weight):
    """``max(0, x) + weight * min(0, x)`` with one learned slope per channel (dim 1) or one
    shared slope."""
    if input._dtype is not weight._dtype:
        raise RuntimeError(f"prelu: Type promoting not supported. Got "
                           f"{D._LEGACY[input._dtype]} and {D._LEGACY[weight._dtype]}")  # fmt: skip
    if weight.numel() != 1:
        if input.ndim == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        c = input.shape[1] if input.ndim >= 2 else 1
        if weight.numel() != c:
            raise RuntimeError(
                f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                f"{weight.numel()} and channel size = {c}."
            )
    if weight.ndim > 1:
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = "
                           f"{weight.ndim}")  # fmt: skip
    if input._dtype._cat < D._FLOAT:
        raise NotImplementedError(f"\"prelu_cpu\" not implemented for '{D._LEGACY[input._dtype]}'")
    return call(T["prelu"], input, weight)


def _rrelu(input, lower, upper, training, generator, inplace):
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    if input._dtype._cat < D._FLOAT:
        kernel = "rrelu_with_noise_out_cpu" if training else "leaky_relu_cpu"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{D._LEGACY[input._dtype]}'")
    if not training:
        # NOTE: torch's eval-mode node is still RreluWithNoiseBackward0, with the mean slope.
        return _activation(input, "rrelu_noise", inplace, (lower + upper) / 2)
    from .._creation import default_generator

    gen = generator if generator is not None else default_generator
    slopes = jax.random.uniform(gen.next_key(), tuple(input.shape), input._dtype._np, lower, upper)
    return _activation(input, "rrelu_noise", inplace, wrap(slopes))


@public
def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, generator=None):
    """Leaky ReLU with a random negative slope drawn from ``U(lower, upper)`` per element in
    training, and the mean slope ``(lower + upper) / 2`` otherwise."""
    return _rrelu(input, lower, upper, training, generator, False)


@public
def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False, generator=None):
    """In-place :func:`rrelu`."""
    return _rrelu(input, lower, upper, training, generator, True)


@public
def relu_(input):
    """In-place ``torch.relu``."""
    return input.relu_()


# -- linear forms, embeddings, rearrangements -----------------------------------------------------
@public
def bilinear(input1, input2, weight, bias=None):
    """``y[..., o] = x1[..., i] W[o, i, j] x2[..., j] + b[o]``."""
    if bias is None:
        return call(T["bilinear"], input1, input2, weight, has_bias=False)
    return call(T["bilinear"], input1, input2, weight, bias, has_bias=True)


@public
def embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    """Rows of ``weight`` picked by the integer ``indices`` (ATen's argument order: weight
    first); the ``padding_idx`` row gets no gradient."""
    if scale_grad_by_freq:
        raise NotImplementedError(
            "torchlike does not implement embedding(scale_grad_by_freq=True) yet"
        )
    if indices._dtype not in (D.int64, D.int32):
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar "
            f"types: Long, Int; but got {D.legacy_type_name(indices._dtype)} instead (while "
            "checking arguments for embedding)"
        )
    n = weight.shape[0]
    if not isinstance(indices._array, jax.core.Tracer) and indices.numel():
        idx = np.asarray(indices._array)
        if idx.min() < 0 or idx.max() >= n:
            raise IndexError("index out of range in self")
    padding_idx = -1 if padding_idx is None or padding_idx < 0 else int(padding_idx)
    return call(T["embedding"], indices, weight, padding_idx=padding_idx)


@public
def embedding_bag(
    weight,
    indices,
    offsets,
    scale_grad_by_freq=False,
    mode=0,
    sparse=False,
    per_sample_weights=None,
    include_last_offset=False,
    padding_idx=None,
):
    """Sums (``mode=0``), means (1) or maxima (2) of ``weight``'s rows over bags of the 1-D
    ``indices``: bag ``b`` holds ``indices[offsets[b]:offsets[b + 1]]``; an empty bag gives
    zeros and ``padding_idx`` entries are left out. Returns ``(output, offset2bag, bag_size,
    max_indices)`` as ATen's CPU kernel (only ``output`` carries a gradient)."""
    from .._creation import tensor

    if scale_grad_by_freq:
        raise NotImplementedError(
            "torchlike does not implement embedding_bag(scale_grad_by_freq=True) yet"
        )
    if per_sample_weights is not None and mode != 0:
        raise NotImplementedError(
            "embedding_bag: per_sample_weights was not None. per_sample_weights is only "
            f"supported for mode='sum' (got mode='{('sum', 'mean', 'max')[mode]}'). Please "
            "open a feature request on GitHub."
        )
    idx = np.asarray(indices._array).astype(np.int64)
    offs = np.asarray(offsets._array).astype(np.int64)
    ends = offs[1:] if include_last_offset else np.append(offs[1:], idx.size)
    starts = offs[:-1] if include_last_offset else offs
    bags = starts.size
    offset2bag = np.repeat(np.arange(bags), ends - starts)
    keep = np.ones(idx.size, bool) if padding_idx is None else idx != padding_idx
    sel = tensor(np.nonzero(keep)[0])
    rows = weight.index_select(0, indices.long().index_select(0, sel))
    if per_sample_weights is not None:
        rows = rows * per_sample_weights.index_select(0, sel).unsqueeze(1)
    bag = tensor(offset2bag[keep])
    counts = np.bincount(offset2bag[keep], minlength=bags)
    out = weight.new_zeros(bags, weight.shape[1])
    if mode == 2:
        out = out.scatter_reduce(0, bag.unsqueeze(1).expand(-1, weight.shape[1]), rows, "amax",
                                 include_self=False)  # fmt: skip
    else:
        out = out.index_add(0, bag, rows)
        if mode == 1:
            out = out / tensor(np.maximum(counts, 1)).to(out.dtype).unsqueeze(1)
    size = tensor(counts if mode else np.zeros(bags, np.int64))
    if mode == 2:
        w = np.asarray(weight._array)
        best = np.zeros((bags, weight.shape[1]), np.int64)
        for b in range(bags):
            mine = idx[(offset2bag == b) & keep]
            if mine.size:
                best[b] = mine[np.argmax(w[mine], axis=0)]
        return out, tensor(offset2bag), size, tensor(best)
    # NOTE: ATen's CPU sum skips offset2bag unless padding or a backward needs it.
    need = mode or padding_idx is not None or (weight.requires_grad and is_grad_enabled())
    o2b = offset2bag if need else np.zeros(0, np.int64)
    return out, tensor(o2b), size, size.clone()


@public
def embedding_renorm_(input, indices, max_norm, norm_type):
    """Rescale, in place and outside autograd, the rows of ``input`` that ``indices`` picks
    whose ``norm_type``-norm exceeds ``max_norm`` (to ``max_norm``)."""
    from ..autograd.grad_mode import no_grad
    from .inplace import copy_

    w = np.array(input._array)
    for i in np.unique(np.asarray(indices._array)):
        norm = np.sum(np.abs(w[i]) ** norm_type) ** (1.0 / norm_type)
        if norm > max_norm:
            w[i] = w[i] * (max_norm / (norm + 1e-7))
    with no_grad():
        copy_(input, wrap(jax.numpy.asarray(w)))
    return input


@public
def pixel_shuffle(input, upscale_factor):
    """``(*, C * r**2, H, W)`` -> ``(*, C, H * r, W * r)``."""
    r = int(upscale_factor)
    if input.ndim < 3:
        raise RuntimeError(
            f"pixel_shuffle expects input to have at least 3 dimensions, but got input with "
            f"{input.ndim} dimension(s)"
        )
    if input.shape[-3] % (r * r):
        raise RuntimeError(
            "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square "
            f"of upscale_factor, but input.size(-3)={input.shape[-3]} is not divisible by {r * r}"
        )
    return call(T["pixel_shuffle"], input, r=r)


@public
def pixel_unshuffle(input, downscale_factor):
    """``(*, C, H * r, W * r)`` -> ``(*, C * r**2, H, W)``."""
    r = int(downscale_factor)
    if input.ndim < 3:
        raise RuntimeError(
            f"pixel_unshuffle expects input to have at least 3 dimensions, but got input with "
            f"{input.ndim} dimension(s)"
        )
    for dim, what in ((-2, "height"), (-1, "width")):
        if input.shape[dim] % r:
            raise RuntimeError(
                f"pixel_unshuffle expects {what} to be divisible by downscale_factor, but "
                f"input.size({dim})={input.shape[dim]} is not divisible by {r}"
            )
    return call(T["pixel_unshuffle"], input, r=r)


@public
def channel_shuffle(input, groups):
    """Interleave the channels (dim 1) of ``groups`` groups: ``(N, g, C/g, *)`` -> ``(N, C/g, g,
    *)``."""
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of "
                           f"groups:{groups}")  # fmt: skip
    if input.shape[1] % groups:
        raise RuntimeError(
            f"Number of channels must be divisible by groups. Got {input.shape[1]} channels and "
            f"{groups} groups."
        )
    return call(T["channel_shuffle"], input, groups=int(groups))


@public
def native_channel_shuffle(input, groups):
    """ATen's kernel behind ``channel_shuffle``."""
    return channel_shuffle(input, groups)


# -- distances ------------------------------------------------------------------------------------
@public
def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """``x1 . x2 / (max(||x1||, eps) * max(||x2||, eps))`` along ``dim``, after broadcasting."""
    x1, x2 = x1.broadcast_to(_common_shape(x1, x2)), x2.broadcast_to(_common_shape(x1, x2))
    n1, n2 = x1.norm(2, dim, keepdim=True), x2.norm(2, dim, keepdim=True)
    # NOTE: ATen clamps the norms in place under no_grad: the value is clamped, the gradient is
    # the unclamped norm's.
    n1 = n1 + (n1.clamp_min(eps) - n1).detach()
    n2 = n2 + (n2.clamp_min(eps) - n2).detach()
    return ((x1 / n1) * (x2 / n2)).sum(_wrap_dim(dim, x1.ndim))


def _common_shape(a, b):
    return tuple(np.broadcast_shapes(tuple(a.shape), tuple(b.shape)))


@public
def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """``||x1 - x2 + eps||_p`` over the last dimension."""
    _broadcast_pair_error((x1.shape, x2.shape))
    return call(T["pairwise_distance"], x1, x2, p=float(p), eps=float(eps), keepdim=bool(keepdim))


@public
def pdist(input, p=2.0):
    """The ``p``-norm distances between the rows of an ``(N, M)`` input, as the flattened upper
    triangle (``N * (N - 1) / 2`` values, row-major)."""
    if input.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.ndim}D")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    return call(T["pdist"], input, p=float(p))


@public
def norm_except_dim(v, pow=2, dim=0):
    """The ``pow``-norm of ``v`` over every dim except ``dim`` (kept with size 1 elsewhere), as
    weight normalisation uses it; ``dim=-1`` gives the norm of all of ``v``."""
    if dim == -1:
        return v.norm(pow)
    dim = _wrap_dim(dim, v.ndim)
    others = tuple(d for d in range(v.ndim) if d != dim)
    return v.norm(pow, others, keepdim=True)


# -- losses ---------------------------------------------------------------------------------------
@public
def binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None, reduction=0):
    """Sigmoid + binary cross-entropy in one numerically stable op."""
    extra = [a for a in (weight, pos_weight) if a is not None]
    return call(T["bce_with_logits"], input, target, *extra, reduction=_REDUCTION[reduction],
                has_weight=weight is not None, has_pos_weight=pos_weight is not None)  # fmt: skip


@public
def kl_div(input, target, reduction=0, *, log_target=False):
    """Pointwise KL divergence ``target * (log(target) - input)`` (``input`` in log space)."""
    return call(T["kl_div"], input, target, reduction=_REDUCTION[reduction],
                log_target=bool(log_target))  # fmt: skip


@public
def hinge_embedding_loss(input, target, margin=1.0, reduction=0):
    """``input`` where ``target == 1``, ``max(0, margin - input)`` where ``target == -1``."""
    zero = input.new_zeros(())
    loss = where(target != 1, (margin - input).clamp_min(0), zero)
    return _reduce(loss + where(target != -1, input, zero), reduction)


@public
def margin_ranking_loss(input1, input2, target, margin=0.0, reduction=0):
    """``max(0, -target * (input1 - input2) + margin)``."""
    return _reduce((-target * (input1 - input2) + margin).clamp_min(0), reduction)


@public
def cosine_embedding_loss(input1, input2, target, margin=0.0, reduction=0):
    """``1 - cos(x1, x2)`` where ``target == 1``, ``max(0, cos(x1, x2) - margin)`` where
    ``target == -1`` (cosine along the last dim)."""
    d = input1.ndim - 1
    prod = (input1 * input2).sum(d)
    mag = ((input1 * input1).sum(d) + 1e-12) * ((input2 * input2).sum(d) + 1e-12)
    cos = prod / mag.sqrt()
    zero = cos.new_zeros(())
    loss = where(target == 1, 1 - cos, zero) + where(
        target == -1, (cos - margin).clamp_min(0), zero
    )
    return _reduce(loss, reduction)


def check_triplet_dims(anchor, positive, negative):
    """ATen's rank check shared by both triplet losses."""
    a, p, n = anchor.ndim, positive.ndim, negative.ndim
    if not a == p == n:
        raise RuntimeError(
            "The anchor, positive, and negative tensors are expected to have the same number of "
            f"dimensions, but got: anchor {a}D, positive {p}D, and negative {n}D inputs"
        )


@public
def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2.0, eps=1e-6, swap=False,
                        reduction=0):  # fmt: skip
    """``max(0, margin + d(anchor, positive) - d(anchor, negative))`` with ``pairwise_distance``;
    ``swap`` uses ``min(d(a, n), d(p, n))`` for the negative distance."""
    check_triplet_dims(anchor, positive, negative)
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = d_neg.minimum(pairwise_distance(positive, negative, p, eps))
    return _reduce((margin + d_pos - d_neg).clamp_min(0), reduction)


@public
def poisson_nll_loss(input, target, log_input, full, eps, reduction):
    """Poisson negative log likelihood: ``exp(input) - target * input`` (``log_input``) or
    ``input - target * log(input + eps)``; ``full`` adds Stirling's term where ``target > 1``."""
    _broadcast_pair_error((target.shape, input.shape))
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * (input + eps).log()
    if full:
        stirling = target * target.log() - target + 0.5 * (2 * math.pi * target).log()
        loss = loss + stirling.masked_fill(target <= 1, 0)
    return _reduce(loss, reduction)


def _lengths(v):
    return tuple(int(n) for n in (v.tolist() if isinstance(v, Tensor) else v))


@public
def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction=0,
             zero_infinity=False):  # fmt: skip
    """Connectionist temporal classification loss of ``(T, N, C)`` log-probabilities against
    ``targets`` (``(N, S)`` padded, or every sample's targets concatenated): per sample
    ``-log p(target | input)`` summed over all blank-separated alignments; ``mean`` divides
    each by its target length before averaging."""
    from .._creation import tensor

    tl = _lengths(target_lengths)
    nll = call(T["ctc_loss"], log_probs, targets, input_lengths=_lengths(input_lengths),
               target_lengths=tl, blank=int(blank), zero_infinity=bool(zero_infinity))  # fmt: skip
    if _REDUCTION[int(reduction)] == "mean":
        return (nll / tensor(tl).clamp_min(1).to(nll.dtype)).mean()
    return _reduce(nll, reduction)


# -- recurrent cells ------------------------------------------------------------------------------
def _gates(input, hx, w_ih, w_hh, b_ih, b_hh):
    def lin(x, w, b):
        if b is None:
            return call(T["linear"], x, w, has_bias=False)
        return call(T["linear"], x, w, b, has_bias=True)

    return lin(input, w_ih, b_ih), lin(hx, w_hh, b_hh)


@public
def rnn_tanh_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One Elman RNN step: ``tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)``."""
    gi, gh = _gates(input, hx, w_ih, w_hh, b_ih, b_hh)
    return (gi + gh).tanh()


@public
def rnn_relu_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One Elman RNN step with ReLU."""
    gi, gh = _gates(input, hx, w_ih, w_hh, b_ih, b_hh)
    return (gi + gh).relu()


@public
def lstm_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One LSTM step; ``hx`` is ``(h, c)``; returns ``(h', c')``."""
    h, c = hx
    gi, gh = _gates(input, h, w_ih, w_hh, b_ih, b_hh)
    i, f, g, o = (gi + gh).chunk(4, 1)
    c_new = f.sigmoid() * c + i.sigmoid() * g.tanh()
    return o.sigmoid() * c_new.tanh(), c_new


@public
def gru_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One GRU step: reset ``r``, update ``z``, candidate ``n = tanh(i_n + r * h_n)``, then
    ``h' = n + z * (h - n)``."""
    gi, gh = _gates(input, hx, w_ih, w_hh, b_ih, b_hh)
    i_r, i_z, i_n = gi.chunk(3, 1)
    h_r, h_z, h_n = gh.chunk(3, 1)
    r = (i_r + h_r).sigmoid()
    z = (i_z + h_z).sigmoid()
    n = (i_n + r * h_n).tanh()
    return n + z * (hx - n)


def _rnn(cell, input, hx, params, has_biases, num_layers, dropout, train, bidirectional,
         batch_first):  # fmt: skip
    """torch's multi-layer recurrence over ``(T, N, I)`` (``(N, T, I)`` with ``batch_first``):
    per layer and direction a loop of ``cell`` steps; dropout between layers in training.
    ``hx`` is a tensor, or a tuple of them for the LSTM, stacked over layers x directions."""
    per = 4 if has_biases else 2
    dirs = 2 if bidirectional else 1
    if len(params) != per * num_layers * dirs:
        raise NotImplementedError(
            "torchlike's torch.lstm/gru/rnn_* take no projection weights (proj_size) yet"
        )
    x = input.transpose(0, 1) if batch_first else input
    states = tuple(hx) if isinstance(hx, (tuple, list)) else (hx,)
    last = []
    for layer in range(num_layers):
        outs = []
        for d in range(dirs):
            k = layer * dirs + d
            w = list(params[k * per : (k + 1) * per]) + [None] * (4 - per)
            h = tuple(st[k] for st in states)
            steps = range(x.shape[0] - 1, -1, -1) if d else range(x.shape[0])
            ys = [None] * x.shape[0]
            for t in steps:
                h = cell(x[t], h if len(h) > 1 else h[0], *w)
                h = h if isinstance(h, tuple) else (h,)
                ys[t] = h[0]
            outs.append(ys)
            last.append(h)
        x = stack([cat([o[t] for o in outs], -1) for t in range(x.shape[0])])
        if dropout and train and layer < num_layers - 1:
            x = _dropout(x, dropout, True, alpha=False, feature=False)
    out = x.transpose(0, 1) if batch_first else x
    return (out, *(stack([h[i] for h in last]) for i in range(len(states))))


@public
def rnn_tanh(input, hx, params, has_biases, num_layers, dropout, train, bidirectional,
             batch_first):  # fmt: skip
    """Elman RNN (tanh) over a whole sequence: ``(output, h_n)``."""
    return _rnn(rnn_tanh_cell, input, hx, params, has_biases, num_layers, dropout, train,
                bidirectional, batch_first)  # fmt: skip


@public
def rnn_relu(input, hx, params, has_biases, num_layers, dropout, train, bidirectional,
             batch_first):  # fmt: skip
    """Elman RNN (ReLU) over a whole sequence: ``(output, h_n)``."""
    return _rnn(rnn_relu_cell, input, hx, params, has_biases, num_layers, dropout, train,
                bidirectional, batch_first)  # fmt: skip


@public
def gru(input, hx, params, has_biases, num_layers, dropout, train, bidirectional, batch_first):
    """GRU over a whole sequence: ``(output, h_n)``."""
    return _rnn(gru_cell, input, hx, params, has_biases, num_layers, dropout, train,
                bidirectional, batch_first)  # fmt: skip


@public
def lstm(input, hx, params, has_biases, num_layers, dropout, train, bidirectional, batch_first):
    """LSTM over a whole sequence; ``hx`` is ``(h_0, c_0)``: ``(output, h_n, c_n)``."""
    return _rnn(lambda x, h, *w: lstm_cell(x, h, *w), input, hx, params, has_biases, num_layers,
                dropout, train, bidirectional, batch_first)  # fmt: skip


# -- sampling grids -------------------------------------------------------------------------------
def _linspace_neg_one(n, align_corners, like):
    from .._creation import linspace, tensor

    if n <= 1:
        return tensor(0.0, dtype=like.dtype)
    r = linspace(-1, 1, n, dtype=like.dtype)
    return r if align_corners else r * ((n - 1) / n)


@public
def affine_grid_generator(theta, size, align_corners):
    """The sampling grid ``base @ theta^T`` for ``grid_sample``: ``(N, H, W, 2)`` from a
    ``(N, 2, 3)`` theta and ``size = (N, C, H, W)``, or ``(N, D, H, W, 3)`` from ``(N, 3, 4)``
    and ``(N, C, D, H, W)``. ``base`` holds normalised coordinates in [-1, 1] (x fastest)."""
    from .._creation import ones

    spatial = list(size[2:])
    axes = [_linspace_neg_one(n, align_corners, theta) for n in reversed(spatial)]  # x, y[, z]
    grids = []
    for i, a in enumerate(axes):
        shape = [1] * len(spatial)
        shape[len(spatial) - 1 - i] = -1
        grids.append(a.reshape(shape).expand(spatial))
    base = stack([*grids, ones(spatial, dtype=theta.dtype)], -1)
    n = size[0]
    flat = base.reshape(1, -1, len(spatial) + 1).expand(n, -1, -1)
    return flat.bmm(theta.transpose(1, 2)).reshape(n, *spatial, len(spatial))


@public
def grid_sampler(input, grid, interpolation_mode, padding_mode, align_corners):
    """Sample ``input`` at ``grid``'s normalised locations: ``grid_sampler_2d`` for a 4-D input,
    ``grid_sampler_3d`` for a 5-D one (modes as ATen's integers: 0 bilinear, 1 nearest,
    2 bicubic; padding 0 zeros, 1 border, 2 reflection)."""
    sampler = grid_sampler_3d if input.ndim == 5 else grid_sampler_2d
    return sampler(input, grid, interpolation_mode, padding_mode, align_corners)
