"""``torchlike.nn.functional``: layers, activations and losses as functions (PyTorch's
signatures; each does its argument checks, then calls into the op table)."""

from __future__ import annotations

import math
import warnings

import jax
import numpy as np

from .. import _dtype as D
from .._dispatch import call
from .._dispatch import wrap as wrap  # NOTE: a name F has had (tests/namespace_pinned.tsv)
from .._functions import mul as mul  # NOTE: likewise
from .._functions import nn_ops as _N
from .._functions import relu as _relu
from .._functions import sigmoid, tanh
from .._functions._surface import TORCH
from .._functions.nn_ops import _activation
from .._functions.nn_ops import bilinear as bilinear
from .._functions.nn_ops import celu_ as celu_
from .._functions.nn_ops import channel_shuffle as channel_shuffle
from .._functions.nn_ops import conv_tbc as conv_tbc
from .._functions.nn_ops import conv_transpose3d as conv_transpose3d
from .._functions.nn_ops import cosine_similarity as cosine_similarity
from .._functions.nn_ops import dropout as _torch_dropout
from .._functions.nn_ops import embedding_renorm_ as _torch_embedding_renorm_
from .._functions.nn_ops import hardshrink as hardshrink
from .._functions.nn_ops import native_channel_shuffle as native_channel_shuffle
from .._functions.nn_ops import pairwise_distance as pairwise_distance
from .._functions.nn_ops import pdist as pdist
from .._functions.nn_ops import pixel_shuffle as pixel_shuffle
from .._functions.nn_ops import pixel_unshuffle as pixel_unshuffle
from .._functions.nn_ops import prelu as prelu
from .._functions.nn_ops import rrelu_ as rrelu_
from .._functions.nn_ops import selu_ as selu_
from .._functions.nn_ops import threshold_ as threshold_
from .._functions.numeric import _broadcast_pair_error
from .._ops import TABLE as T
from .._tensor import Tensor
from ..autograd.grad_mode import is_grad_enabled, no_grad

__all__ = ["linear", "bilinear", "relu", "relu_", "leaky_relu", "leaky_relu_", "gelu", "silu",
           "elu", "elu_", "tanh", "sigmoid", "softmax", "log_softmax", "softmin", "softplus",
           "hardtanh", "relu6", "dropout", "embedding", "one_hot", "mse_loss", "l1_loss",
           "smooth_l1_loss", "huber_loss", "cross_entropy", "nll_loss", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", "kl_div", "celu", "selu", "threshold", "rrelu",
           "glu",
           "hardswish", "hardsigmoid", "mish", "logsigmoid", "softshrink", "softsign",
           "tanhshrink", "normalize", "rms_norm", "instance_norm", "local_response_norm",
           "alpha_dropout", "feature_alpha_dropout", "dropout1d", "dropout2d", "dropout3d",
           "cosine_embedding_loss", "hinge_embedding_loss", "margin_ranking_loss",
           "triplet_margin_loss", "triplet_margin_with_distance_loss", "poisson_nll_loss",
           "gaussian_nll_loss", "soft_margin_loss", "multilabel_soft_margin_loss",
           "multi_margin_loss", "multilabel_margin_loss", "linear_cross_entropy",
           # torch's own functions (F.pdist is torch.pdist), from _functions/nn_ops.py
           "celu_", "channel_shuffle", "conv_tbc", "conv_transpose3d", "cosine_similarity",
           "hardshrink", "native_channel_shuffle", "pairwise_distance", "pdist", "pixel_shuffle",
           "pixel_unshuffle", "prelu", "rrelu_", "selu_", "threshold_"]  # fmt: skip

_REDUCTIONS = ("none", "mean", "sum")


def _is_tracer(t) -> bool:
    return isinstance(t._array, jax.core.Tracer)


# -- linear ---------------------------------------------------------------------------------------
def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias``."""
    if bias is None:
        return call(T["linear"], input, weight, has_bias=False)
    return call(T["linear"], input, weight, bias, has_bias=True)


# -- activations ----------------------------------------------------------------------------------
def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """``max(0, x)``."""
    return input.relu_() if inplace else _relu(input)


def relu_(input: Tensor) -> Tensor:
    return input.relu_()


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    return _activation(input, "leaky_relu", inplace, negative_slope=float(negative_slope))


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    return leaky_relu(input, negative_slope, inplace=True)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """Gaussian error linear unit; ``approximate="tanh"`` for the tanh approximation."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return call(T["gelu"], input, approximate=approximate)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    return _activation(input, "silu", inplace)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    return _activation(input, "elu", inplace, alpha=float(alpha))


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return elu(input, alpha, inplace=True)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    return call(T["softplus"], input, beta=float(beta), threshold=float(threshold))


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Tensor:  # fmt: skip
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if input._dtype is D.uint8 and (min_val < 0 or max_val < 0):
        raise RuntimeError("cannot do hardtanh on an unsigned type with negative limits")
    return _activation(input, "hardtanh", inplace, min_val=float(min_val),
                          max_val=float(max_val))  # fmt: skip


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    return hardtanh(input, 0.0, 6.0, inplace)


def _softmax_dim(name, ndim, stacklevel=4):
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include "
        "dim=X as an argument.",
        UserWarning, stacklevel=stacklevel,
    )  # fmt: skip
    return 0 if ndim in (0, 1, 3) else 1


def _softmax_call(name, input, dim, dtype, _stacklevel=4):
    if dim is None:
        dim = _softmax_dim(name, input.ndim, _stacklevel)
    from .._tensor import _wrap_dim

    dim = _wrap_dim(dim, input.ndim)
    if input.ndim == 0:
        dim = None
    if dtype is None and input._dtype._cat < D._FLOAT:
        raise NotImplementedError(f'"{name}_lastdim_kernel_impl" not implemented for '
                                  f"'{D._LEGACY[input._dtype]}'")  # fmt: skip
    op = T["softmax" if name == "softmax" else "log_softmax"]
    return call(op, input, dim=dim, dtype=None if dtype is None else dtype._np)


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """``exp(x) / exp(x).sum(dim)``; ``dtype`` casts the input first."""
    return _softmax_call("softmax", input, dim, dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
                dtype=None) -> Tensor:  # fmt: skip
    """``log(softmax(x, dim))``, computed stably."""
    return _softmax_call("log_softmax", input, dim, dtype)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    return _softmax_call("softmax", -input, dim, dtype)


def _inplace_via(name, inplace):
    """torch's ``X_`` spelling (``torch.celu_``...) when ``inplace``, else ``torch.X``."""
    return TORCH[name + "_"] if inplace else getattr(_N, name)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``."""
    return _inplace_via("celu", inplace)(input, alpha)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """``scale * elu(x, alpha)`` with SELU's fixed constants."""
    return _inplace_via("selu", inplace)(input)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """``input`` where it exceeds ``threshold``, else ``value``."""
    return _inplace_via("threshold", inplace)(input, threshold, value)


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Tensor:  # fmt: skip
    """Leaky ReLU with slopes drawn from ``U(lower, upper)`` in training, ``(lower + upper) / 2``
    otherwise."""
    return _inplace_via("rrelu", inplace)(input, lower, upper, training)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """Gated linear unit: ``a * sigmoid(b)`` for the two halves ``a``, ``b`` of ``dim``."""
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    from .._tensor import _wrap_dim

    d = _wrap_dim(dim, input.ndim)
    if input.shape[d] % 2:
        raise RuntimeError(
            f"Halving dimension must be even, but dimension {d} is size {input.shape[d]}"
        )
    return call(T["glu"], input, dim=d)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * relu6(x + 3) / 6``."""
    return _activation(input, "hardswish", inplace)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """``relu6(x + 3) / 6``."""
    return _activation(input, "hardsigmoid", inplace)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * tanh(softplus(x))``."""
    return _activation(input, "mish", inplace)


def logsigmoid(input: Tensor) -> Tensor:
    """``log(sigmoid(x))``, computed stably."""
    return call(T["log_sigmoid"], input)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """``x - lambd`` above ``lambd``, ``x + lambd`` below ``-lambd``, else 0."""
    if lambd < 0 and input._dtype._cat >= D._FLOAT:
        hi = float(np.finfo(input._dtype._np).max)
        raise RuntimeError(f"lambda must be in range [0, {hi:g}] for input dtype "
                           f"{D._LEGACY[input._dtype]}, but found {lambd:g}")  # fmt: skip
    return call(T["softshrink"], input, lambd=float(lambd))


def softsign(input: Tensor) -> Tensor:
    """``x / (1 + |x|)``."""
    return input / (input.abs() + 1)


def tanhshrink(input: Tensor) -> Tensor:
    """``x - tanh(x)``."""
    return input - input.tanh()


# -- normalisation --------------------------------------------------------------------------------
def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12,
              out: Tensor | None = None) -> Tensor:  # fmt: skip
    """``input / max(||input||_p, eps)`` along ``dim``."""
    from .._functions import div

    denom = input.norm(p, dim, keepdim=True)
    if out is None:
        return input / denom.clamp_min(eps).expand_as(input)
    return div(input, denom.clamp_min_(eps).expand_as(input), out=out)


def rms_norm(input: Tensor, normalized_shape, weight: Tensor | None = None,
             eps: float | None = None) -> Tensor:  # fmt: skip
    """Root-mean-square normalisation over the trailing ``normalized_shape`` dimensions."""
    return _N.rms_norm(input, normalized_shape, weight, eps)


def instance_norm(input: Tensor, running_mean: Tensor | None = None,
                  running_var: Tensor | None = None, weight: Tensor | None = None,
                  bias: Tensor | None = None, use_input_stats: bool = True, momentum: float = 0.1,
                  eps: float = 1e-5) -> Tensor:  # fmt: skip
    """Normalise each (sample, channel) plane over its spatial dimensions."""
    if use_input_stats and int(np.prod(input.shape[2:], dtype=np.int64)) == 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size "
                         f"{input.size()}")  # fmt: skip
    return _N.instance_norm(input, weight, bias, running_mean, running_var, use_input_stats,
                            momentum, eps)  # fmt: skip


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75,
                        k: float = 1.0) -> Tensor:  # fmt: skip
    """Divide each element by ``(k + alpha * mean of the squares over size neighbouring
    channels) ** beta``."""
    if input.ndim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality                          input "
                         f"(got {input.ndim} dimensions)")  # fmt: skip
    if input.numel() == 0:
        return input
    from .._functions import cat

    sq = input.mul(input)
    zeros = [sq.new_zeros((sq.shape[0], n, *sq.shape[2:])) for n in (size // 2, (size - 1) // 2)]
    padded = cat([zeros[0], sq, zeros[1]], 1)
    c = input.shape[1]
    window = padded.narrow(1, 0, c)
    for i in range(1, size):
        window = window + padded.narrow(1, i, c)
    # NOTE: torch averages with avg_pool, which divides integers with truncation
    mean = window // size if input._dtype._cat < D._FLOAT else window / size
    return input / mean.mul(alpha).add(k).pow(beta)


# -- dropout --------------------------------------------------------------------------------------
def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Zero each element with probability ``p`` and scale the rest by ``1/(1-p)`` (training
    only). The mask comes from torchlike's generator (not bit-equal to torch's draws)."""
    _check_p(p)
    return (TORCH["dropout_"] if inplace else _torch_dropout)(input, p, training)


def _check_p(p):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                  inplace: bool = False) -> Tensor:  # fmt: skip
    """Dropout that keeps SELU's zero mean and unit variance (training only)."""
    _check_p(p)
    return _inplace_via("alpha_dropout", inplace)(input, p, training)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                          inplace: bool = False) -> Tensor:  # fmt: skip
    """Alpha dropout of whole channels (dim 1 of ``(N, C, ...)``)."""
    _check_p(p)
    return _inplace_via("feature_alpha_dropout", inplace)(input, p, training)


def _channel_dropout(input, p, training, inplace, batched):
    """torch's dropout1d/3d: feature dropout, through a batch of one for an unbatched input."""
    if not batched:
        input = input.unsqueeze_(0) if inplace else input.unsqueeze(0)
    result = _inplace_via("feature_dropout", inplace)(input, p, training)
    if not batched:
        result = result.squeeze_(0) if inplace else result.squeeze(0)
    return result


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:  # fmt: skip
    """Zero whole channels of ``(N, C, L)`` or ``(C, L)`` with probability ``p``."""
    _check_p(p)
    if input.ndim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input. Note that "
            "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
            "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
            "inputs)."
        )
    return _channel_dropout(input, p, training, inplace, input.ndim == 3)


def _dropout_nd_warning(n, ndim):
    warnings.warn(
        f"dropout{n}d: Received a {ndim}-D input to dropout{n}d, which is deprecated and will "
        "result in an error in a future release. To retain the behavior and silence this "
        f"warning, please use dropout instead. Note that dropout{n}d exists to provide "
        f"channel-wise dropout on inputs with {n} spatial dimensions, a channel dimension, and "
        f"an optional batch dimension (i.e. {n + 1}D or {n + 2}D inputs).",
        UserWarning, stacklevel=3,
    )  # fmt: skip


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:  # fmt: skip
    """Zero whole channels of ``(N, C, H, W)`` with probability ``p``."""
    _check_p(p)
    if input.ndim not in (3, 4):
        _dropout_nd_warning(2, input.ndim)
    if input.ndim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D "
            "dropout behavior is desired - input is interpreted as shape (N, C, L), where C is "
            "the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            UserWarning, stacklevel=2,
        )  # fmt: skip
    return _inplace_via("feature_dropout", inplace)(input, p, training)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:  # fmt: skip
    """Zero whole channels of ``(N, C, D, H, W)`` or ``(C, D, H, W)`` with probability ``p``."""
    _check_p(p)
    if input.ndim not in (4, 5):
        _dropout_nd_warning(3, input.ndim)
    return _channel_dropout(input, p, training, inplace, input.ndim == 5)


# -- embedding ------------------------------------------------------------------------------------
def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None,
              max_norm: float | None = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:  # fmt: skip
    """Rows of ``weight`` picked by the integer ``input``; the ``padding_idx`` row gets no
    gradient."""
    n = weight.shape[0] if weight.ndim else 0  # NOTE: torch's 2-D check comes below
    if scale_grad_by_freq:
        raise NotImplementedError("torchlike does not implement embedding(scale_grad_by_freq=True) "
                                  "yet")  # fmt: skip
    if padding_idx is not None:
        if padding_idx > 0 and padding_idx >= n:
            raise AssertionError("Padding_idx must be within num_embeddings")
        if padding_idx < 0:
            if padding_idx < -n:
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx = n + padding_idx
    else:
        padding_idx = -1
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    if input._dtype not in (D.int64, D.int32):
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar "
            f"types: Long, Int; but got {D.legacy_type_name(input._dtype)} instead (while "
            "checking arguments for embedding)"
        )
    if not _is_tracer(input) and input.numel():
        idx = np.asarray(input._array)
        if idx.min() < 0 or idx.max() >= n:
            raise IndexError("index out of range in self")
    if max_norm is not None:
        _embedding_renorm_(weight, input, max_norm, norm_type)
    return call(T["embedding"], input, weight, padding_idx=int(padding_idx))


def _embedding_renorm_(weight, input, max_norm, norm_type):
    """Rescale (in place, outside autograd) the rows ``input`` picks whose norm exceeds
    ``max_norm``, as torch's ``embedding_renorm_``."""
    _torch_embedding_renorm_(weight, input, max_norm, norm_type)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """int64 one-hot encoding with a trailing dimension of ``num_classes`` (inferred as
    ``max + 1`` when -1)."""
    if tensor._dtype is not D.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    vals = np.asarray(tensor._array)
    if num_classes == -1:
        if vals.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(vals.max()) + 1
    if vals.size:
        if vals.min() < 0:
            raise RuntimeError("Class values must be non-negative.")
        if vals.max() >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    return call(T["one_hot"], tensor, num_classes=int(num_classes))


# -- losses ---------------------------------------------------------------------------------------
def _legacy_reduction(size_average, reduce, reduction):
    if size_average is None and reduce is None:
        if reduction not in _REDUCTIONS:
            raise ValueError(f"{reduction} is not a valid value for reduction")
        return reduction
    warnings.warn(
        "size_average and reduce args will be deprecated, please use reduction='"
        + (("mean" if (True if size_average is None else size_average) else "sum")
           if (True if reduce is None else reduce) else "none")
        + "' instead.", UserWarning, stacklevel=3,
    )  # fmt: skip
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    return ("mean" if size_average else "sum") if reduce else "none"


def _check_reduction(reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _broadcast_warning(input, target):
    if target.shape != input.shape:
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            UserWarning, stacklevel=3,
        )  # fmt: skip


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error between ``input`` and ``target``."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _broadcast_warning(input, target)
    if weight is not None:
        # NOTE: torch weighs in Python: sum(w * se) / sum(w) for "mean"
        return _weighted((input - target).pow(2), weight, input, reduction,
                         lambda w: w.sum() / weight.sum())  # fmt: skip
    return call(T["mse_loss"], input, target, reduction=reduction)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Mean absolute error between ``input`` and ``target``."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _broadcast_warning(input, target)
    return call(T["l1_loss"], input, target, reduction=reduction)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean",
                   beta: float = 1.0):  # fmt: skip
    """Squared error below ``beta``, absolute error above it."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _broadcast_warning(input, target)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0.0:
        return call(T["l1_loss"], input, target, reduction=reduction)  # NOTE: as torch
    return call(T["smooth_l1_loss"], input, target, reduction=reduction, beta=float(beta))


def huber_loss(input, target, reduction="mean", delta: float = 1.0, weight=None):
    """Squared error below ``delta``, ``delta``-scaled absolute error above it."""
    _check_reduction(reduction)
    _broadcast_warning(input, target)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if weight is not None:
        loss = call(T["huber_loss"], input, target, reduction="none", delta=float(delta))
        return _weighted(loss, weight, input, reduction, lambda w: w.mean())
    return call(T["huber_loss"], input, target, reduction=reduction, delta=float(delta))


def _weighted(loss, weight, input, reduction, mean):
    """The ``weight=`` path torch's mse_loss/huber_loss take: elementwise weights, then the
    reduction (``mean`` differs between the two)."""
    if weight.size() != input.size():
        raise ValueError("Weights and input must have the same size.")
    weighted = loss * weight
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    if reduction == "mean":
        return mean(weighted)
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):  # fmt: skip
    """Sigmoid + binary cross-entropy in one numerically stable op."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Target size ({target.shape}) must be the same as input size ({input.shape})"
        )
    for name, a in (("weight", weight), ("pos_weight", pos_weight)):
        if a is not None and a.requires_grad:
            raise RuntimeError(
                "The function 'binary_cross_entropy_with_logits' is not differentiable with "
                f"respect to argument '{name}'. This input cannot have requires_grad True."
            )
    extra = [a for a in (weight, pos_weight) if a is not None]
    return call(T["bce_with_logits"], input, target, *extra, reduction=reduction,
                has_weight=weight is not None, has_pos_weight=pos_weight is not None)  # fmt: skip


def kl_div(input, target, size_average=None, reduce=None, reduction="mean",
           log_target: bool = False):  # fmt: skip
    """Pointwise KL divergence ``target * (log(target) - input)`` (``input`` in log space)."""
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce, "mean")
    else:
        if reduction == "mean":
            warnings.warn(
                "reduction: 'mean' divides the total loss by both the batch size and the "
                "support size.'batchmean' divides only by the batch size, and aligns with the "
                "KL div math definition.'mean' will be changed to behave the same as "
                "'batchmean' in the next major release.",
                UserWarning, stacklevel=2,
            )  # fmt: skip
        if reduction not in (*_REDUCTIONS, "batchmean"):
            raise ValueError(f"{reduction} is not a valid value for reduction")
    return call(T["kl_div"], input, target, reduction=reduction, log_target=bool(log_target))


_ENUM = {"none": 0, "mean": 1, "sum": 2}


def _enum(size_average, reduce, reduction):
    """ATen's reduction integer for the string (or legacy flags) F takes."""
    return _ENUM[_legacy_reduction(size_average, reduce, reduction)]


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):  # fmt: skip
    """Binary cross-entropy between probabilities ``input`` and ``target``."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}) is deprecated. Please ensure they have the same size."
        )
    if weight is not None:
        if weight.requires_grad and is_grad_enabled():
            raise RuntimeError(
                "The function 'binary_cross_entropy' is not differentiable with respect to "
                "argument 'weight'. This input cannot have requires_grad True."
            )
        weight = weight.expand(np.broadcast_shapes(tuple(target.shape), tuple(weight.shape)))
    if not _is_tracer(input) and input.numel():
        v = np.asarray(input._array)
        if v.min() < 0 or v.max() > 1:
            raise RuntimeError("all elements of input should be between 0 and 1")
    args = (input, target) if weight is None else (input, target, weight)
    return call(T["binary_cross_entropy"], *args, reduction=reduction)


def cosine_embedding_loss(input1, input2, target, margin: float = 0, size_average=None,
                          reduce=None, reduction="mean"):  # fmt: skip
    """``1 - cos(x1, x2)`` where ``target == 1``, ``max(0, cos(x1, x2) - margin)`` where
    ``target == -1``."""
    return _N.cosine_embedding_loss(input1, input2, target, margin,
                                    _enum(size_average, reduce, reduction))  # fmt: skip


def hinge_embedding_loss(input, target, margin: float = 1.0, size_average=None, reduce=None,
                         reduction="mean"):  # fmt: skip
    """``input`` where ``target == 1``, ``max(0, margin - input)`` where ``target == -1``."""
    return _N.hinge_embedding_loss(input, target, margin, _enum(size_average, reduce, reduction))


def margin_ranking_loss(input1, input2, target, margin: float = 0, size_average=None,
                        reduce=None, reduction="mean"):  # fmt: skip
    """``max(0, -target * (input1 - input2) + margin)``."""
    r = _enum(size_average, reduce, reduction)
    if input1.ndim != input2.ndim or input1.ndim != target.ndim:
        raise RuntimeError(
            "margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            f"input1: {input1.size()}, input2: {input2.size()}, target: {target.size()} "
        )
    return _N.margin_ranking_loss(input1, input2, target, margin, r)


def triplet_margin_loss(anchor, positive, negative, margin: float = 1.0, p: float = 2,
                        eps: float = 1e-6, swap: bool = False, size_average=None, reduce=None,
                        reduction="mean"):  # fmt: skip
    """``max(0, margin + d(anchor, positive) - d(anchor, negative))`` with the ``p``-norm
    distance; ``swap`` also tries ``d(positive, negative)``."""
    r = _enum(size_average, reduce, reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    return _N.triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap, r)


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None,
                                      margin: float = 1.0, swap: bool = False,
                                      reduction="mean"):  # fmt: skip
    """:func:`triplet_margin_loss` with any ``distance_function(x1, x2)`` (default
    ``pairwise_distance``)."""
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    _N.check_triplet_dims(anchor, positive, negative)
    dist = pairwise_distance if distance_function is None else distance_function
    d_pos, d_neg = dist(anchor, positive), dist(anchor, negative)
    if swap:
        d_neg = d_neg.minimum(dist(positive, negative))
    loss = (margin + d_pos - d_neg).clamp_min(0)
    return loss.sum() if reduction == "sum" else loss.mean() if reduction == "mean" else loss


def poisson_nll_loss(input, target, log_input: bool = True, full: bool = False,
                     size_average=None, eps: float = 1e-8, reduce=None,
                     reduction="mean"):  # fmt: skip
    """Poisson negative log likelihood (``input`` the log-rate when ``log_input``)."""
    r = _enum(size_average, reduce, reduction)
    return _N.poisson_nll_loss(input, target, log_input, full, eps, r)


def gaussian_nll_loss(input, target, var, full: bool = False, eps: float = 1e-6,
                      reduction="mean"):  # fmt: skip
    """``0.5 * (log(var) + (input - target) ** 2 / var)`` (``var`` clamped to ``eps`` without
    gradient); ``full`` adds ``0.5 * log(2 pi)``."""
    from .._creation import ones_like

    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = var * ones_like(input)
    elif bool((var < 0).any()):
        raise ValueError("var has negative entry/entries")
    if var.size() != input.size():
        if input.size()[:-1] == var.size():
            var = var.unsqueeze(-1)
        elif input.ndim != var.ndim or sum(
            y for x, y in zip(input.size(), var.size(), strict=True) if x != y
        ) != 1:  # fmt: skip
            raise ValueError("var is of incorrect size")
    if reduction not in _REDUCTIONS:
        raise ValueError(reduction + " is not valid")
    _broadcast_pair_error((input.shape, target.shape))
    var = var.clone()
    with no_grad():
        var.clamp_(min=eps)
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss += 0.5 * math.log(2 * math.pi)
    return loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """``log(1 + exp(-target * input))``."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _broadcast_pair_error((input.shape, target.shape))
    if input._dtype._cat < D._FLOAT:
        raise RuntimeError(f"result type Float can't be cast to the desired output type "
                           f"{D._LEGACY[input._dtype]}")  # fmt: skip
    return call(T["soft_margin_loss"], input, target, reduction=reduction)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
                                reduction="mean"):  # fmt: skip
    """Per-class binary cross-entropy on logits, averaged over the classes (last dim)."""
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce, reduction)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.ndim - 1
    loss = loss.sum(dim=class_dim) / input.size(class_dim)
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(reduction + " is not valid")


def _margin_frames(input, name):
    """``(frames, classes)`` of a multi-margin input (``()``, ``(C,)`` or ``(N, C)``)."""
    nd = input.ndim
    if not ((nd == 2 and input.shape[1]) or (nd == 1 and input.shape[0]) or nd == 0):
        raise RuntimeError("Expected non-empty vector or matrix with optional 0-dim batch size, "
                           f"but got: {list(input.shape)}")  # fmt: skip
    if input._dtype._cat < D._FLOAT:
        raise NotImplementedError(f"\"{name}\" not implemented for '{D._LEGACY[input._dtype]}'")
    return (1, 1 if nd == 0 else input.shape[0]) if nd <= 1 else tuple(input.shape)


def _long_target(target):
    if target._dtype is not D.int64:
        raise RuntimeError(f"expected scalar type Long but found {D._LEGACY[target._dtype]}")


def multi_margin_loss(input, target, p: int = 1, margin: float = 1.0, weight=None,
                      size_average=None, reduce=None, reduction="mean"):  # fmt: skip
    """Multi-class hinge loss: per sample ``sum_{j != y} w[y] * max(0, margin - x[y] + x[j])^p
    / C``."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.ndim != 1:
        raise ValueError("weight must be one-dimensional")
    n, c = _margin_frames(input, "multi_margin_loss_cpu_kernel")
    if target.ndim > 1 or target.numel() != n:
        raise RuntimeError(
            "multi_margin_loss: target tensor should be 1-D with size equal to the number of "
            f"input samples (batch size). Expected target size [{n}], but got "
            f"{list(target.shape)}. Input has shape {list(input.shape)}."
        )
    if weight is not None:
        if weight.numel() != c:
            raise RuntimeError(f"inconsistent weight size, expected {c} but got "
                               f"{list(weight.shape)}")  # fmt: skip
        if weight._dtype is not input._dtype:
            raise RuntimeError(f"expected scalar type {D._LEGACY[input._dtype]} but found "
                               f"{D._LEGACY[weight._dtype]}")  # fmt: skip
    _long_target(target)
    if not _is_tracer(target) and target.numel():
        t = np.asarray(target._array)
        if t.min() < 0 or t.max() >= c:
            raise RuntimeError("target out of range")
    extra = () if weight is None else (weight,)
    return call(T["multi_margin_loss"], input, target, *extra, p=int(p), margin=float(margin),
                reduction=reduction, keep_frames=target.ndim > 0)  # fmt: skip


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Multi-label hinge loss: per sample ``sum_{j, k} max(0, 1 - (x[y_j] - x[k])) / C`` over
    the listed targets ``y_j`` (up to the first -1) and the classes ``k`` not listed."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    n, c = _margin_frames(input, "multilabel_margin_loss_forward_out_frame")
    ok = (target.ndim <= 1 and target.numel() == c) if input.ndim <= 1 else (
        target.ndim == 2 and tuple(target.shape) == (n, c))  # fmt: skip
    if not ok:
        raise RuntimeError(f"inconsistent target size: {list(target.shape)} for input of size: "
                           f"{list(input.shape)}")  # fmt: skip
    _long_target(target)
    if not _is_tracer(target) and target.numel():
        t = np.asarray(target._array)
        if t.min() < -1 or t.max() >= c:
            raise RuntimeError("argument #2 'target' is out of range")
    return call(T["multilabel_margin_loss"], input, target, reduction=reduction,
                keep_frames=input.ndim > 1)  # fmt: skip


def _check_targets(input, target, n_classes, ignore_index):
    if target._dtype._cat != D._INT:
        raise RuntimeError(f"expected scalar type Long but found {D._LEGACY[target._dtype]}")
    if input.ndim >= 2 and input.ndim == target.ndim + 1:
        if input.size(0) != target.size(0):
            raise ValueError(
                f"Expected input batch_size ({input.size(0)}) to match target batch_size "
                f"({target.size(0)})."
            )
    elif not (input.ndim == 1 and target.ndim == 0):
        if input.ndim == 4 and target.ndim != 3:
            raise RuntimeError(
                "only batches of spatial targets supported (3D tensors) but got targets of "
                f"dimension: {target.ndim}"
            )
        if input.ndim < 1:
            raise ValueError(f"Expected 1 or more dimensions (got {input.ndim})")
        raise RuntimeError(
            f"Expected target size {_expected_target(input)}, got {list(target.shape)}"
            if input.ndim > 2 else
            "0D or 1D target tensor expected, multi-target not supported"
        )  # fmt: skip
    if not _is_tracer(target) and target.numel():
        t = np.asarray(target._array)
        bad = t[(t != ignore_index) & ((t < 0) | (t >= n_classes))]
        if bad.size:
            raise IndexError(f"Target {int(bad[0])} is out of bounds.")


def _expected_target(input):
    shape = [input.size(0), *input.shape[2:]]
    return "[" + ", ".join(str(s) for s in shape) + "]"


def nll_loss(input, target, weight=None, size_average=None, ignore_index: int = -100,
             reduce=None, reduction="mean"):  # fmt: skip
    """Negative log-likelihood of the ``target`` classes under log-probabilities ``input``
    (class dimension 1)."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    n_classes = input.size(1) if input.ndim >= 2 else input.size(0)
    _check_targets(input, target, n_classes, ignore_index)
    if weight is not None and weight.numel() != n_classes:
        raise RuntimeError(
            f"weight tensor should be defined either for all {n_classes} classes or no classes "
            f"but got weight tensor of shape: {list(weight.shape)}"
        )
    args = (input, target) if weight is None else (input, target, weight)
    return call(T["nll_loss"], *args, ignore_index=int(ignore_index), reduction=reduction)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index: int = -100,
                  reduce=None, reduction="mean", label_smoothing: float = 0.0):  # fmt: skip
    """``nll_loss(log_softmax(input, 1), target)``; ``target`` holds class indices or (float,
    same shape as ``input``) class probabilities. ``label_smoothing`` mixes in the uniform
    distribution."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    class_dim = 0 if input.ndim == 1 else 1
    logp = call(T["log_softmax"], input, dim=class_dim, dtype=None)
    if target._dtype._cat >= D._FLOAT:
        if target.shape != input.shape:
            raise RuntimeError(
                "Expected floating point type for target with class probabilities, got "
                f"{D._LEGACY[target._dtype]}"
            )
        if ignore_index != -100:
            raise RuntimeError("ignore_index is not supported for floating point target")
        args = (logp, target) if weight is None else (logp, target, weight)
        return call(T["ce_prob"], *args, reduction=reduction,
                    label_smoothing=float(label_smoothing))  # fmt: skip
    if label_smoothing > 0:
        n_classes = input.size(class_dim)
        _check_targets(input, target, n_classes, ignore_index)
        args = (logp, target) if weight is None else (logp, target, weight)
        return call(T["ce_smooth"], *args, ignore_index=int(ignore_index), reduction=reduction,
                    label_smoothing=float(label_smoothing))  # fmt: skip
    return nll_loss(logp, target, weight, None, ignore_index, None, reduction)


def linear_cross_entropy(input, linear_weight, target, *, linear_bias=None, weight=None,
                         reduction="mean", ignore_index=None, label_smoothing: float = 0.0,
                         options=None):  # fmt: skip
    """``cross_entropy(linear(input, linear_weight, linear_bias), target)``; a ``linear_weight``
    of shape ``(C, d_1, ..., d_K, in_features)`` gives a K-dimensional loss. With ``options``
    (``nn.LinearCrossEntropyOptions``) torch computes it in batch chunks; torchlike computes
    the same values in one piece (XLA does not keep the full logits live across the loss)."""
    if not 1 <= input.ndim <= 2:
        raise RuntimeError(f"expected input with dimensionality 1 or 2, got {input.ndim}")
    if linear_weight.ndim < 2:
        raise RuntimeError(f"expected linear_weight with dimensionality at least 2, got "
                           f"{linear_weight.ndim}")  # fmt: skip
    batch, in_features = tuple(input.shape[:-1]), input.shape[-1]
    if in_features != linear_weight.shape[-1]:
        raise RuntimeError(
            "expected equal input and linear_weight last dimensions (in_features), got "
            f"{in_features} and {linear_weight.shape[-1]}, respectively"
        )
    n_classes, out_features = linear_weight.shape[0], tuple(linear_weight.shape[1:-1])
    if linear_bias is not None and tuple(linear_bias.shape) != (n_classes, *out_features):
        raise RuntimeError(f"expected linear_bias shape {(n_classes, *out_features)}, got "
                           f"{tuple(linear_bias.shape)}")  # fmt: skip
    if out_features and not batch:
        raise RuntimeError(
            f"K-dimensional loss defined by linear_weight shape {tuple(linear_weight.shape)} "
            f"requires batched input, (N, {in_features}), got unbatched input with shape "
            f"{tuple(input.shape)}"
        )
    logits_shape = (*batch, n_classes, *out_features)
    if tuple(target.shape) == logits_shape and ignore_index is not None:
        raise RuntimeError("ignore_index cannot be specified when target contains probabilities")
    ignore_index = -100 if ignore_index is None else ignore_index
    chunked = (reduction in _REDUCTIONS and label_smoothing == 0.0
               and target._dtype is D.int64 and not out_features)  # fmt: skip
    if options is not None and not chunked:
        warnings.warn(
            "linear_cross_entropy: ``options`` ignored; chunked path needs reduction in "
            "{'mean','sum','none'}, label_smoothing == 0, target.dtype == int64, out_features "
            f"== (). Got reduction={reduction!r}, label_smoothing={label_smoothing}, "
            f"target.dtype={target.dtype}, out_features={out_features}, tracing=False, "
            f"linear_bias.shape={None if linear_bias is None else tuple(linear_bias.shape)}.",
            UserWarning, stacklevel=2,
        )  # fmt: skip
    elif options is not None:
        x, t = (input, target) if batch else (input.unsqueeze(0), target.unsqueeze(0))
        class_w = weight if weight is not None else x.new_ones(n_classes)
        extra = () if linear_bias is None else (linear_bias,)
        out = call(T["linear_cross_entropy"], x, linear_weight, t, class_w, *extra,
                   ignore_index=int(ignore_index), reduction=reduction)  # fmt: skip
        return out if batch else out.squeeze(0)
    flat = math.prod(out_features) * n_classes
    if out_features:
        linear_weight = linear_weight.reshape(flat, in_features)
        if linear_bias is not None:
            linear_bias = linear_bias.reshape(flat)
    logits = linear(input, linear_weight, linear_bias).reshape(logits_shape)
    return cross_entropy(logits, target, weight=weight, reduction=reduction,
                         ignore_index=ignore_index, label_smoothing=label_smoothing)  # fmt: skip


from torchlike._alias import install_module_getattr  # noqa: E402

install_module_getattr(globals(), "torch.nn.functional")
from ._functional_layers import *  # noqa: E402, F403
from ._pooling import *  # noqa: E402, F403
