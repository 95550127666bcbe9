"""Neural-network ops (losses and activations the functional API maps onto)."""

from __future__ import annotations

import threading

import jax
import jax.numpy as jnp
import numpy as np

from .._dtype import get_default_dtype
from ._registry import Op, defop


def _reduce(x, reduction):
    if reduction == "mean":
        return jnp.mean(x)
    if reduction == "sum":
        return jnp.sum(x)
    return x


def _bce_logits(x, y, *args, reduction, has_weight, has_pos_weight):
    it = iter(args)
    w = next(it) if has_weight else None
    pw = next(it) if has_pos_weight else None
    log_sig = jax.nn.log_sigmoid(x)
    log_one_minus = jax.nn.log_sigmoid(-x)
    loss = -(y * log_sig * (1 if pw is None else pw) + (1 - y) * log_one_minus)
    if w is not None:
        loss = loss * w
    return _reduce(loss, reduction)


mse_loss = defop("mse_loss", lambda x, y, *, reduction: _reduce((x - y) ** 2, reduction),
                 "MseLossBackward0")  # fmt: skip
# NOTE: torch's l1_loss is composite (``(x - y).abs().mean()``), so its node is the reduction's;
# d * sign(d) gives |d|'s derivative 0 at d == 0, as torch's abs.
l1_loss = defop("l1_loss", lambda x, y, *, reduction: _reduce((x - y) * jnp.sign(x - y), reduction),
                lambda a, o: {"mean": "MeanBackward0", "sum": "SumBackward0",
                              "none": "AbsBackward0"}[o["reduction"]])  # fmt: skip
bce_with_logits = defop("bce_with_logits", _bce_logits, "BinaryCrossEntropyWithLogitsBackward0")


_hook_ops: dict = {}
_hook_lock = threading.Lock()


def backward_hook_op(n: int):
    """The identity over ``n`` tensors that full module backward hooks hang on (torch's
    ``BackwardHookFunction``); one entry per arity, made on first use."""
    op = _hook_ops.get(n)
    if op is None:
        with _hook_lock:
            op = _hook_ops.get(n)
            if op is None:
                fn = (lambda x: x) if n == 1 else (lambda *xs: tuple(xs))
                op = _hook_ops[n] = Op(f"backward_hook_{n}", fn, "BackwardHookFunctionBackward",
                                       dtypes="none", saves=(), n_out=n)  # fmt: skip
    return op


def _vector_norm(x, p):
    x = jnp.abs(x)
    if p == float("inf"):
        return jnp.max(x) if x.size else jnp.zeros((), x.dtype)
    if p == float("-inf"):
        return jnp.min(x)
    if p == 0:
        return jnp.sum(x != 0).astype(x.dtype)
    if p == 1:
        return jnp.sum(x)
    if p == 2:
        return jnp.sqrt(jnp.sum(x * x))
    return jnp.sum(x**p) ** (1.0 / p)


def _total_norm(*gs, norm_type):
    # NOTE: as torch: the norm of each tensor, then the norm of those norms (in the result dtype).
    dt = jnp.result_type(*gs)
    norms = jnp.stack([_vector_norm(g, norm_type).astype(dt) for g in gs])
    return _vector_norm(norms, norm_type)


total_norm = defop("total_norm", _total_norm, None, dtypes="none")
# NOTE: parameters_to_vector is ``cat([p.view(-1) ...])`` in torch: its node is the cat's.
flat_concat = defop("flat_concat", lambda *xs: jnp.concatenate([x.reshape(-1) for x in xs]),
                    "CatBackward0")  # fmt: skip


# -- linear layers --------------------------------------------------------------------------------
def _linear_name(args, opts):
    nd, bias = args[0].ndim, opts["has_bias"]
    if nd == 2:
        return "AddmmBackward0" if bias else "MmBackward0"
    if nd == 1:
        return "ViewBackward0" if bias else "SqueezeBackward4"
    return "ViewBackward0" if bias else "UnsafeViewBackward0"


def _shape_str(shape):
    return "x".join(str(s) for s in shape)


def _linear_check(x, w, *b, has_bias):
    if x.dtype != w.dtype:
        raise RuntimeError(
            f"mat1 and mat2 must have the same dtype, but got {_legacy(x)} and {_legacy(w)}"
        )
    if x.shape[-1] != w.shape[-1]:
        rows = x.shape[0] if x.ndim == 2 else int(np.prod(x.shape[:-1]))
        lhs = f"{rows}x{x.shape[-1]}" if x.ndim != 1 else f"1x{x.shape[-1]}"
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({lhs} and {_shape_str(w.shape[::-1])})"
        )


def _legacy(a):
    from .. import _dtype as D

    return D._LEGACY[D._FROM_NP[a.dtype]]


def _linear(x, w, *b, has_bias):
    y = jnp.matmul(x, w.T, precision="highest")
    return y + b[0] if has_bias else y


linear = defop("linear", _linear, _linear_name, dtypes="none", check=_linear_check)


def _bilinear(x1, x2, w, *b, has_bias):
    y = jnp.einsum("...i,oij,...j->...o", x1, w, x2, precision="highest")
    return y + b[0] if has_bias else y


bilinear = defop("bilinear", _bilinear,
                 lambda a, o: "AddBackward0" if o["has_bias"] else "ViewBackward0",
                 dtypes="none")  # fmt: skip


# -- activations ----------------------------------------------------------------------------------
leaky_relu = defop("leaky_relu",
                   lambda x, *, negative_slope: jnp.where(x > 0, x, x * negative_slope),
                   "LeakyReluBackward0", dtypes="none")  # fmt: skip


def _gelu(x, *, approximate):
    if approximate == "tanh":
        return jax.nn.gelu(x, approximate=True)
    # NOTE: erfc form: no cancellation for large negative x (torch agrees to the last digit).
    return x * 0.5 * jax.lax.erfc(-x * np.asarray(1 / np.sqrt(2), x.dtype))


gelu = defop("gelu", _gelu, "GeluBackward0", dtypes="none")
silu = defop("silu", lambda x: x * jax.nn.sigmoid(x), "SiluBackward0", dtypes="none")
# NOTE: torch's elu gradient at 0 is alpha (the x <= 0 branch); jnp.minimum would split it.
elu = defop("elu",
            lambda x, *, alpha: jnp.where(x > 0, x, alpha * jnp.expm1(jnp.where(x > 0, 0, x))),
            "EluBackward0", dtypes="none")  # fmt: skip


def _softplus(x, *, beta, threshold):
    bx = x * beta
    return jnp.where(bx > threshold, x, jnp.log1p(jnp.exp(jnp.minimum(bx, threshold))) / beta)


softplus = defop("softplus", _softplus, "SoftplusBackward0", dtypes="none")


def _hardtanh(x, *, min_val, max_val):
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        # NOTE: integer inputs clamp to the limits truncated to the input's type
        return jnp.clip(x, int(min_val), int(max_val)).astype(x.dtype)
    # NOTE: torch's hardtanh gradient is 0 at the bounds (jnp.clip's would be 1 there).
    inside = (x > min_val) & (x < max_val)
    return jnp.where(inside, x, jax.lax.stop_gradient(jnp.clip(x, min_val, max_val)))


hardtanh = defop("hardtanh", _hardtanh, "HardtanhBackward0", dtypes="none")


def _cast_to(x, dtype):
    return x if dtype is None else x.astype(dtype)


softmax = defop("softmax", lambda x, *, dim, dtype: jax.nn.softmax(_cast_to(x, dtype), axis=dim),
                "SoftmaxBackward0", dtypes="none")  # fmt: skip
log_softmax = defop("log_softmax",
                    lambda x, *, dim, dtype: jax.nn.log_softmax(_cast_to(x, dtype), axis=dim),
                    "LogSoftmaxBackward0", dtypes="none")  # fmt: skip


# -- embedding ------------------------------------------------------------------------------------
def _embedding(idx, w, *, padding_idx):
    if padding_idx >= 0:
        # NOTE: the padding row gets no gradient (torch's embedding_backward skips it).
        row = jnp.arange(w.shape[0])[:, None] == padding_idx
        w = jnp.where(row, jax.lax.stop_gradient(w), w)
    return jnp.take(w, idx, axis=0)


embedding = defop("embedding", _embedding, "EmbeddingBackward0", dtypes="none", diff_args=(1,))
one_hot = defop("one_hot", lambda t, *, num_classes: (
    t[..., None] == jnp.arange(num_classes)).astype(jnp.int64), None, dtypes="none")  # fmt: skip


# -- losses ---------------------------------------------------------------------------------------
def _smooth_l1(x, y, *, reduction, beta):
    d = x - y
    a = d * jnp.sign(d)
    if beta == 0:
        return _reduce(a, reduction)
    return _reduce(jnp.where(a < beta, 0.5 * d * d / beta, a - 0.5 * beta), reduction)


def _huber(x, y, *, reduction, delta):
    d = x - y
    a = d * jnp.sign(d)
    return _reduce(jnp.where(a < delta, 0.5 * d * d, delta * (a - 0.5 * delta)), reduction)


smooth_l1_loss = defop("smooth_l1_loss", _smooth_l1, "SmoothL1LossBackward0")
huber_loss = defop("huber_loss", _huber, "HuberLossBackward0")


@jax.custom_jvp
def _bce_pointwise(x, y):
    # NOTE: ATen's CPU kernel, logs clamped at -100.
    return (y - 1) * jnp.maximum(jnp.log1p(-x), -100.0) - y * jnp.maximum(jnp.log(x), -100.0)


@_bce_pointwise.defjvp
def _bce_pointwise_jvp(primals, tangents):
    # NOTE: torch's backward formulas: (x - y) / max(x (1 - x), 1e-12) for the input (finite
    # at 0 and 1, unlike the clamped logs' derivative) and -logit(x) for the target.
    (x, y), (tx, ty) = primals, tangents
    dx = (x - y) / jnp.maximum((1 - x) * x, 1e-12)
    dy = -jnp.log(x / (1 - x))
    return _bce_pointwise(x, y), tx * dx + ty * dy


def _bce(x, y, *w, reduction):
    loss = _bce_pointwise(x, y)
    if w:
        loss = loss * w[0]
    return _reduce(loss, reduction)


binary_cross_entropy = defop("binary_cross_entropy", _bce, "BinaryCrossEntropyBackward0",
                             dtypes="none")  # fmt: skip


def _kl_name(args, opts):
    r = opts["reduction"]
    if r == "none":
        return "MulBackward0" if opts["log_target"] else "SubBackward0"
    return {"mean": "MeanBackward0", "sum": "SumBackward0", "batchmean": "DivBackward0"}[r]


def _kl_div(x, t, *, reduction, log_target):
    if log_target:
        loss = jnp.exp(t) * (t - x)
    else:
        loss = jax.scipy.special.xlogy(t, t) - t * x
    if reduction == "batchmean":
        return jnp.sum(loss) / (x.shape[0] if x.ndim else 1)
    return _reduce(loss, reduction)


kl_div = defop("kl_div", _kl_div, _kl_name, dtypes="none")


def _class_last(x):
    """(N, C, d1, ...) -> (N, d1, ..., C); (C,) -> (C,)."""
    return jnp.moveaxis(x, 1, -1) if x.ndim >= 2 else x


def _nll_parts(logp, target, w, ignore_index):
    x = _class_last(logp)
    valid = target != ignore_index
    safe = jnp.where(valid, target, 0)
    picked = jnp.take_along_axis(x, safe[..., None], axis=-1)[..., 0]
    wt = (w[safe] if w is not None else jnp.ones_like(picked)) * valid
    return picked, wt.astype(picked.dtype), valid, safe


def _nll_name(args, opts):
    nd = args[0].ndim
    if nd <= 2:
        return "NllLossBackward0"
    if nd != 4 and opts["reduction"] == "none":
        return "ViewBackward0"
    return "NllLoss2DBackward0"


def _nll(logp, target, *w, ignore_index, reduction):
    picked, wt, valid, _ = _nll_parts(logp, target, w[0] if w else None, ignore_index)
    # NOTE: the where sits below the negation so ignored entries get +0 gradients, as torch.
    loss = -jnp.where(valid, picked, 0) * wt
    if reduction == "none":
        return loss
    if reduction == "sum":
        return jnp.sum(loss)
    return jnp.sum(loss) / jnp.sum(wt)


nll_loss = defop("nll_loss", _nll, _nll_name, dtypes="none", diff_args=(0,))


def _linear_ce(x, w, target, class_w, *bias, ignore_index, reduction):
    """torch's chunked linear_cross_entropy (one chunk: the values do not depend on the split)
    on a batch ``(N, in)``: ``nll_loss(log_softmax(x @ w.T + bias), target, class_w)``."""
    logits = jnp.matmul(x, w.T, precision="highest")
    if bias:
        logits = logits + bias[0]
    logp = jax.nn.log_softmax(logits, axis=-1)
    return _nll(logp, target, class_w, ignore_index=ignore_index, reduction=reduction)


linear_cross_entropy = defop(
    "linear_cross_entropy", _linear_ce,
    lambda a, o: "GeneratedBackwardFor_torch_nn__linear_cross_entropy_batch_chunked_"
                 + ("no_reduction_" if o["reduction"] == "none" else "") + "defaultBackward",
    dtypes="none", diff_args=(0, 1, 4),
)  # fmt: skip


def _ce_smooth(logp, target, *w, ignore_index, reduction, label_smoothing):
    """torch's label-smoothed cross entropy, from log-probabilities."""
    w = w[0] if w else None
    n_classes = logp.shape[1] if logp.ndim >= 2 else logp.shape[0]
    nll = _nll(logp, target, *(() if w is None else (w,)), ignore_index=ignore_index,
               reduction=reduction)  # fmt: skip
    x = _class_last(logp)
    valid = target != ignore_index
    smooth = -jnp.sum(jnp.where(valid[..., None], x * w if w is not None else x, 0), axis=-1)
    if reduction == "mean":
        if w is not None:
            denom = jnp.sum(w[jnp.where(valid, target, 0)] * valid)
        else:
            denom = jnp.sum(valid)
        ret = jnp.sum(smooth) / denom
    elif reduction == "sum":
        ret = jnp.sum(smooth)
    else:
        ret = smooth
    return (1 - label_smoothing) * nll + ret * (label_smoothing / n_classes)


ce_smooth = defop("ce_smooth", _ce_smooth, "AddBackward0", dtypes="none", diff_args=(0,))


def _ce_prob(logp, target, *w, reduction, label_smoothing):
    class_dim = 1 if logp.ndim >= 2 else 0
    n_classes = logp.shape[class_dim]
    if label_smoothing > 0:
        target = target * (1 - label_smoothing) + label_smoothing / n_classes
    prod = logp * target
    if w:
        shape = [1] * logp.ndim
        shape[class_dim] = n_classes
        prod = prod * w[0].reshape(shape)
    if reduction == "mean":
        return -jnp.sum(prod) / (logp.size / n_classes) if logp.size else jnp.sum(prod) * jnp.nan
    if reduction == "sum":
        return -jnp.sum(prod)
    return -jnp.sum(prod, axis=class_dim)


ce_prob = defop("ce_prob", _ce_prob,
                lambda a, o: "DivBackward1" if o["reduction"] == "mean" else "NegBackward0",
                dtypes="none")  # fmt: skip


# -- torch-level activations and rearrangements (torch.selu, torch.prelu, torch.pdist...) ----------
_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def _elu_like(x, alpha, scale, input_scale):
    # NOTE: torch's elu backward takes the x <= 0 branch at 0, so the kink uses ``x > 0``.
    neg = alpha * jnp.expm1(jnp.where(x > 0, 0, x) * input_scale)
    return scale * jnp.where(x > 0, x, neg)


selu = defop("selu", lambda x: _elu_like(x, _SELU_ALPHA, _SELU_SCALE, 1.0), "EluBackward0",
             dtypes="none")  # fmt: skip
celu = defop("celu", lambda x, *, alpha: _elu_like(x, alpha, 1.0, 1.0 / alpha), "CeluBackward0",
             dtypes="none")  # fmt: skip
threshold = defop("threshold",
                  lambda x, *, threshold, value: jnp.where(x > threshold, x,
                                                           jnp.asarray(value, x.dtype)),
                  "ThresholdBackward0", dtypes="none")  # fmt: skip
hardshrink = defop("hardshrink",
                   lambda x, *, lambd: jnp.where((x > lambd) | (x < -lambd), x,
                                                 jnp.zeros((), x.dtype)),
                   "HardshrinkBackward0", dtypes="none")  # fmt: skip


def _prelu(x, w):
    # NOTE: weight has one slope per channel (dim 1), or a single slope for every element.
    if w.size != 1 and x.ndim >= 2:
        w = w.reshape((1, -1) + (1,) * (x.ndim - 2))
    elif w.size == 1:
        w = w.reshape(())
    return jnp.where(x > 0, x, w * x)


prelu = defop("prelu", _prelu, "PreluKernelBackward0")
# NOTE: ATen draws a slope for every x <= 0, so the gradient at 0 is the slope.
rrelu_noise = defop("rrelu_noise", lambda x, a: jnp.where(x > 0, x, x * a),
                    "RreluWithNoiseBackward0", dtypes="none", diff_args=(0,))  # fmt: skip
_NEGATIVE_SLOPE = {
    "leaky_relu": ("negative_slope", "In-place leakyReLu backward calculation is triggered with a "
                   "negative slope which is not supported. This is caused by calling in-place "
                   "forward function with a negative slope, please call out-of-place version "
                   "instead. File an issue at https://github.com/pytorch/pytorch if you do "
                   "require supporting in-place leakRelu backward calculation with negative "
                   "slope"),
    "elu": ("alpha", "In-place elu backward calculation is triggered with a negative slope which "
            "is not supported. This is caused by calling in-place forward function with a "
            "negative slope, please call out-of-place version instead."),
}  # fmt: skip
_NEGATIVE_SLOPE["celu"] = _NEGATIVE_SLOPE["elu"]


def _result_based(name, fn):
    """``fn`` for torch's in-place overload, whose backward reads the result: it cannot invert a
    negative slope, so its backward raises torch's error for one (the forward runs)."""
    if name not in _NEGATIVE_SLOPE:
        return fn
    key, message = _NEGATIVE_SLOPE[name]

    def guarded(x, **opts):
        if opts[key] >= 0:
            return fn(x, **opts)

        def bwd(res, ct):
            raise RuntimeError(message)

        f = jax.custom_vjp(lambda x: fn(x, **opts))
        f.defvjp(lambda x: (fn(x, **opts), None), bwd)
        return f(x)

    return guarded


# NOTE: the in-place overloads (torch.elu_, F.leaky_relu(inplace=True)...) are separate ATen ops
# whose backward reads the result: their nodes are ...Backward1.
for _op in (leaky_relu, elu, selu, celu, threshold, rrelu_noise):
    defop(_op.name + "_", _result_based(_op.name, _op.fn), _op.grad_fn[:-1] + "1", dtypes="none",
          diff_args=_op.diff_args)  # fmt: skip
del _op


def _pixel_shuffle(x, *, r):
    *lead, c, h, w = x.shape
    oc = c // (r * r)
    y = x.reshape(*lead, oc, r, r, h, w)
    n = len(lead)
    y = jnp.transpose(y, (*range(n), n, n + 3, n + 1, n + 4, n + 2))
    return y.reshape(*lead, oc, h * r, w * r)


def _pixel_unshuffle(x, *, r):
    *lead, c, h, w = x.shape
    y = x.reshape(*lead, c, h // r, r, w // r, r)
    n = len(lead)
    y = jnp.transpose(y, (*range(n), n, n + 2, n + 4, n + 1, n + 3))
    return y.reshape(*lead, c * r * r, h // r, w // r)


def _channel_shuffle(x, *, groups):
    n, c, *rest = x.shape
    y = x.reshape(n, groups, c // groups, *rest)
    return jnp.swapaxes(y, 1, 2).reshape(x.shape)


pixel_shuffle = defop("pixel_shuffle", _pixel_shuffle, "PixelShuffleBackward0", dtypes="none",
                      saves=())  # fmt: skip
pixel_unshuffle = defop("pixel_unshuffle", _pixel_unshuffle, "PixelUnshuffleBackward0",
                        dtypes="none", saves=())  # fmt: skip
channel_shuffle = defop("channel_shuffle", _channel_shuffle, "ChannelShuffleBackward0",
                        dtypes="none", saves=())  # fmt: skip


def _safe_pnorm(d, p):
    """``||d||_p`` over the last dim whose gradient is 0 where the norm is 0 (torch's pdist and
    cdist backward), not NaN."""
    if p == 0:
        return jnp.sum(d != 0, axis=-1).astype(d.dtype)
    if p == float("inf"):
        return jnp.max(jnp.abs(d), axis=-1)
    zero = jnp.all(d == 0, axis=-1, keepdims=True)
    safe = jnp.where(zero, jnp.ones((), d.dtype), d)
    n = jnp.sum(jnp.abs(safe) ** p, axis=-1) ** (1.0 / p)
    return jnp.where(zero[..., 0], jnp.zeros((), d.dtype), n)


def _pdist(x, *, p):
    i, j = np.triu_indices(x.shape[0], 1)
    return _safe_pnorm(x[i] - x[j], p)


pdist = defop("pdist", _pdist, "PdistBackward0", dtypes="none")


# -- CTC ------------------------------------------------------------------------------------------
def _lse(*xs):
    """log(sum(exp(x))) of arrays that may be -inf everywhere, with a zero (not NaN) gradient
    there."""
    m = xs[0]
    for x in xs[1:]:
        m = jnp.maximum(m, x)
    finite = jnp.isfinite(m)
    ms = jax.lax.stop_gradient(jnp.where(finite, m, 0))
    s = sum(jnp.exp(x - ms) for x in xs)
    return jnp.where(finite, jnp.log(jnp.where(finite, s, 1)) + ms, -jnp.inf)


def _ctc_loss(lp, targets, *, input_lengths, target_lengths, blank, zero_infinity):
    """Per-sample CTC negative log likelihood by the forward (alpha) recursion over the
    blank-extended targets, in log space. ``lp`` is ``(T, N, C)``; ``targets`` ``(N, S)`` padded or
    the 1-D concatenation of every sample's targets."""
    T, N, _ = lp.shape
    tl = np.asarray(target_lengths)
    S = max(int(tl.max()) if N else 0, 1)
    if targets.ndim == 1:
        starts = np.concatenate([[0], np.cumsum(tl)[:-1]]).astype(np.int64)
        pick = np.minimum(starts[:, None] + np.arange(S)[None, :], max(targets.shape[0] - 1, 0))
        tg = targets[pick] if targets.shape[0] else jnp.zeros((N, S), jnp.int64)
    else:
        tg = targets[:, :S] if targets.shape[1] >= S else jnp.pad(targets, ((0, 0), (0, 1)))
    L = 2 * S + 1
    ext = jnp.full((N, L), blank, tg.dtype).at[:, 1::2].set(tg)  # blank, l1, blank, l2, ...
    prev2 = jnp.concatenate([jnp.full((N, 2), blank, ext.dtype), ext[:, :-2]], axis=1)
    skip = (ext != blank) & (ext != prev2)
    valid = jnp.arange(L)[None, :] < (2 * tl + 1)[:, None]
    emit = jnp.take_along_axis(lp, jnp.broadcast_to(ext[None], (T, N, L)), axis=2)  # (T, N, L)
    neg = jnp.full((N, L), -jnp.inf, lp.dtype)
    alpha = jnp.where(jnp.arange(L)[None, :] < 2, emit[0], -jnp.inf)
    alpha = jnp.where(valid, alpha, -jnp.inf)
    il = np.asarray(input_lengths)

    def step(alpha, t):
        a1 = jnp.concatenate([neg[:, :1], alpha[:, :-1]], axis=1)
        a2 = jnp.where(skip, jnp.concatenate([neg[:, :2], alpha[:, :-2]], axis=1), -jnp.inf)
        new = jnp.where(valid, _lse(alpha, a1, a2) + emit[t], -jnp.inf)
        return jnp.where((t < il)[:, None], new, alpha), None

    alpha, _ = jax.lax.scan(step, alpha, jnp.arange(1, T))
    end = jnp.asarray(2 * tl)
    last = jnp.take_along_axis(alpha, end[:, None], axis=1)[:, 0]
    before = jnp.where(end > 0, jnp.take_along_axis(alpha, jnp.maximum(end - 1, 0)[:, None],
                                                    axis=1)[:, 0], -jnp.inf)  # fmt: skip
    nll = -_lse(last, before)
    # NOTE: torch's backward returns exp(lp) - (posterior), the gradient with respect to the
    # logits behind a log_softmax, not d nll / d lp; the value-free term below adds exp(lp) for the
    # frames t < input_length so the gradient is torch's.
    frames = (jnp.arange(T)[:, None] < il[None, :])[..., None]
    extra = jnp.sum(jnp.where(frames, jnp.exp(lp), 0), axis=(0, 2))
    nll = nll + (extra - jax.lax.stop_gradient(extra))
    if zero_infinity:
        nll = jnp.where(jnp.isinf(jax.lax.stop_gradient(nll)), jnp.zeros((), nll.dtype), nll)
    return nll


# NOTE: torch applies zero_infinity with a where (WhereBackward0 on the unreduced loss).
ctc_loss = defop("ctc_loss", _ctc_loss,
                 lambda a, o: "WhereBackward0" if o["zero_infinity"] else "CtcLossBackward0",
                 dtypes="none", diff_args=(0,))  # fmt: skip


def _pairwise_distance(x1, x2, *, p, eps, keepdim):
    d = x1 - x2  # NOTE: in the inputs' dtype, so integer differences wrap as torch's do
    if not jnp.issubdtype(d.dtype, jnp.inexact):
        d = d.astype(get_default_dtype()._np)
    d = d + eps
    out = _safe_pnorm(d.reshape(1) if d.ndim == 0 else d, p)
    return out.reshape(()) if d.ndim == 0 else (out[..., None] if keepdim else out)


# NOTE: ATen's pairwise_distance is ``at::norm(x1 - x2 + eps, p, -1)``: NormBackward1, and a zero
# (not NaN) gradient where the distance is 0.
pairwise_distance = defop("pairwise_distance", _pairwise_distance, "NormBackward1")


# -- activations and losses with their own ATen kernels (F.glu, F.hardswish, F.soft_margin_loss) --
def _floating(kernel):
    """A ``check`` raising ATen's dispatch error for a non-floating first argument."""

    def check(x, *rest, **opts):
        if not jnp.issubdtype(x.dtype, jnp.floating):
            from .. import _dtype as D

            raise NotImplementedError(
                f"\"{kernel}\" not implemented for '{D._LEGACY[D._FROM_NP[x.dtype]]}'"
            )

    return check


def _glu(x, *, dim):
    a, b = jnp.split(x, 2, axis=dim)
    return a * jax.nn.sigmoid(b)


def _const(v, like):
    # NOTE: XLA turns a division by a constant (or by a broadcast scalar) into a multiplication
    # by its (inexact) reciprocal; ATen divides, so the divisor is an opaque full-shape array.
    return jax.lax.optimization_barrier(jnp.full(like.shape, v, like.dtype))


@jax.custom_jvp
def _hardswish(x):
    return x * jnp.clip(x + 3, 0, 6) / _const(6, x)


@_hardswish.defjvp
def _hardswish_jvp(primals, tangents):
    # NOTE: torch's backward is x / 3 + 0.5 on the open interval (-3, 3), 0 below, 1 above.
    (x,), (t,) = primals, tangents
    zero, one = jnp.zeros((), x.dtype), jnp.ones((), x.dtype)
    slope = jnp.where(x <= -3, zero, jnp.where(x < 3, x / _const(3, x) + 0.5, one))
    return _hardswish(x), t * slope


@jax.custom_jvp
def _hardsigmoid(x):
    return jnp.clip(x + 3, 0, 6) / _const(6, x)


@_hardsigmoid.defjvp
def _hardsigmoid_jvp(primals, tangents):
    # NOTE: torch's slope is float32's 1/6 (in every dtype), strictly inside (-3, 3) only.
    (x,), (t,) = primals, tangents
    sixth = jnp.asarray(np.float32(1 / 6), x.dtype)
    return _hardsigmoid(x), t * jnp.where((x > -3) & (x < 3), sixth, jnp.zeros((), x.dtype))


def _softshrink(x, *, lambd):
    # NOTE: ATen's vectorised loop gives +0 in the middle and keeps NaN (its scalar loop, used
    # for short tails only, gives x * 0, so -0.0 there: not copied)
    mid = jnp.where(jnp.isnan(x), x, jnp.zeros((), x.dtype))
    return jnp.where(x > lambd, x - lambd, jnp.where(x < -lambd, x + lambd, mid))


glu = defop("glu", _glu, "GluBackward0", dtypes="none", check=_floating("glu_cpu"))
hardswish = defop("hardswish", _hardswish, "HardswishBackward0", dtypes="none",
                  check=_floating("hardswish_cpu"))  # fmt: skip
hardsigmoid = defop("hardsigmoid", _hardsigmoid, "HardsigmoidBackward0", dtypes="none",
                    check=_floating("hardsigmoid_cpu"))  # fmt: skip
mish = defop("mish", lambda x: x * jnp.tanh(jax.nn.softplus(x)), "MishBackward0", dtypes="none",
             check=_floating("mish_cpu"))  # fmt: skip
log_sigmoid = defop("log_sigmoid", jax.nn.log_sigmoid, "LogSigmoidBackward0", dtypes="none",
                    check=_floating("log_sigmoid_cpu"))  # fmt: skip
softshrink = defop("softshrink", _softshrink, "SoftshrinkBackward0", dtypes="none",
                   check=_floating("softshrink_check"))  # fmt: skip


def _soft_margin(x, y, *, reduction):
    return _reduce(jnp.log1p(jnp.exp(-y * x)), reduction)


soft_margin_loss = defop("soft_margin_loss", _soft_margin, "SoftMarginLossBackward0")


def _as_frames(x):
    """``(N, C)`` view of a multi-margin input given as ``(C,)``, ``()`` or ``(N, C)``."""
    return x.reshape(1, -1) if x.ndim <= 1 else x


def _hinge(z, p):
    # NOTE: ATen adds a term only where z > 0, so the gradient at z == 0 is 0.
    pos = jnp.where(z > 0, z, jnp.zeros((), z.dtype))
    return pos if p == 1 else pos * pos


def _multi_margin(x, target, *w, p, margin, reduction, keep_frames):
    xs = _as_frames(x)
    t = target.reshape(-1)
    picked = jnp.take_along_axis(xs, t[:, None], axis=1)
    z = _hinge(margin - picked + xs, p)
    if w:
        z = z * w[0].reshape(-1)[t][:, None]
    z = jnp.where(jnp.arange(xs.shape[1])[None, :] == t[:, None], jnp.zeros((), z.dtype), z)
    loss = jnp.sum(z, axis=1) / xs.shape[1]
    if reduction == "none":
        return loss if keep_frames else loss.reshape(())
    return _reduce(loss, reduction)


multi_margin_loss = defop("multi_margin_loss", _multi_margin, "MultiMarginLossBackward0",
                          dtypes="none", diff_args=(0,))  # fmt: skip


def _multilabel_margin(x, target, *, reduction, keep_frames):
    xs, ts = _as_frames(x), _as_frames(target)
    c = xs.shape[1]
    # the targets of a row are its entries up to the first -1
    listed = jnp.cumprod(ts != -1, axis=1).astype(bool)
    safe = jnp.where(listed, ts, 0)
    is_target = jnp.any(listed[:, :, None] & (safe[:, :, None] == jnp.arange(c)), axis=1)
    picked = jnp.take_along_axis(xs, safe, axis=1)
    z = _hinge(1 - picked[:, :, None] + xs[:, None, :], 1)
    keep = listed[:, :, None] & ~is_target[:, None, :]
    loss = jnp.sum(jnp.where(keep, z, jnp.zeros((), z.dtype)), axis=(1, 2)) / c
    if reduction == "none":
        return loss if keep_frames else loss.reshape(())
    return _reduce(loss, reduction)


multilabel_margin_loss = defop("multilabel_margin_loss", _multilabel_margin,
                               "MultilabelMarginLossBackward0", dtypes="none",
                               diff_args=(0,))  # fmt: skip
