"""``torchlike.nn.functional``: layers, activations and losses as functions (PyTorch's
signatures; each does its argument checks, then calls into the op table)."""

from __future__ import annotations

import warnings

import jax
import numpy as np

from .. import _dtype as D
from .._dispatch import call
from .._dispatch import wrap as wrap  # NOTE: a name F has had (tests/namespace_pinned.tsv)
from .._functions import mul as mul  # NOTE: likewise
from .._functions import relu, sigmoid, tanh
from .._functions._surface import TORCH
from .._functions.nn_ops import bilinear as bilinear
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
from .._ops import TABLE as T
from .._tensor import Tensor

# torch's F.celu_/selu_/threshold_/rrelu_ are torch.celu_ ...: the torch_inplace variants declared
# with their functions in _functions/nn_ops.py
celu_, rrelu_, selu_, threshold_ = (TORCH[n] for n in ("celu_", "rrelu_", "selu_", "threshold_"))

__all__ = ["linear", "bilinear", "relu", "relu_", "leaky_relu", "leaky_relu_", "gelu", "silu",
           "elu", "elu_", "tanh", "sigmoid", "softmax", "log_softmax", "softmin", "softplus",
           "hardtanh", "relu6", "dropout", "embedding", "one_hot", "mse_loss", "l1_loss",
           "smooth_l1_loss", "huber_loss", "cross_entropy", "nll_loss", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", "kl_div",
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
def _maybe_inplace(input, out, inplace):
    if not inplace:
        return out
    from .._functions.inplace import _check_inplace, _inplace

    _check_inplace(input)
    return _inplace(input, out)


def relu_(input: Tensor) -> Tensor:
    return input.relu_()


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    out = call(T["leaky_relu"], input, negative_slope=float(negative_slope))
    return _maybe_inplace(input, out, inplace)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    return leaky_relu(input, negative_slope, inplace=True)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """Gaussian error linear unit; ``approximate="tanh"`` for the tanh approximation."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return call(T["gelu"], input, approximate=approximate)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    return _maybe_inplace(input, call(T["silu"], input), inplace)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    return _maybe_inplace(input, call(T["elu"], input, alpha=float(alpha)), inplace)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return elu(input, alpha, inplace=True)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    return call(T["softplus"], input, beta=float(beta), threshold=float(threshold))


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Tensor:  # fmt: skip
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    out = call(T["hardtanh"], input, min_val=float(min_val), max_val=float(max_val))
    return _maybe_inplace(input, out, inplace)


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


# -- dropout --------------------------------------------------------------------------------------
def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Zero each element with probability ``p`` and scale the rest by ``1/(1-p)`` (training
    only). The mask comes from torchlike's generator (not bit-equal to torch's draws)."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    return (TORCH["dropout_"] if inplace else _torch_dropout)(input, p, training)


# -- embedding ------------------------------------------------------------------------------------
def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None,
              max_norm: float | None = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:  # fmt: skip
    """Rows of ``weight`` picked by the integer ``input``; the ``padding_idx`` row gets no
    gradient."""
    n = weight.size(0)
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


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):  # fmt: skip
    """Binary cross-entropy between probabilities ``input`` and ``target``."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}) is deprecated. Please ensure they have the same size."
        )
    if not _is_tracer(input) and input.numel():
        v = np.asarray(input._array)
        if v.min() < 0 or v.max() > 1:
            raise RuntimeError("all elements of input should be between 0 and 1")
    if target.requires_grad:
        raise RuntimeError("the derivative for 'target' is not implemented.")
    args = (input, target) if weight is None else (input, target, weight)
    return call(T["binary_cross_entropy"], *args, reduction=reduction)


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


from torchlike._alias import install_module_getattr  # noqa: E402

install_module_getattr(globals(), "torch.nn.functional")
from ._functional_layers import *  # noqa: E402, F403
from ._pooling import *  # noqa: E402, F403
