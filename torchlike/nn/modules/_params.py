"""How torch's layers make and reset their ``weight``/``bias``, stated once for all of them."""

from __future__ import annotations

import math

from ... import _dtype as D
from ..._creation import empty
from .. import init
from ..parameter import Parameter, UninitializedParameter


def factory_kwargs(device, dtype) -> dict:
    """The ``dtype``/``device`` keywords for a layer's tensors (``dtype`` None -> the default)."""
    return {"dtype": dtype or D.get_default_dtype(), "device": device}


def add_weight_and_bias(module, weight_shape, bias_shape, *, bias=True, affine=True,
                        device=None, dtype=None) -> None:  # fmt: skip
    """Register ``module.weight`` and ``module.bias`` as empty Parameters of these shapes (a
    shape of None: an ``UninitializedParameter``, for lazy modules); ``bias=False`` registers
    ``bias`` as None, ``affine=False`` both."""
    if not affine:
        module.register_parameter("weight", None)
        module.register_parameter("bias", None)
        return

    def new(shape):
        if shape is None:
            return UninitializedParameter(device=device, dtype=dtype)
        return Parameter(empty(*shape, **factory_kwargs(device, dtype)))

    module.weight = new(weight_shape)
    if bias:
        module.bias = new(bias_shape)
    else:
        module.register_parameter("bias", None)


def reset_kaiming_uniform(weight, bias, *, zero_bias_without_fan_in: bool) -> None:
    """torch's Linear/Conv init: ``weight`` kaiming_uniform with a=sqrt(5), which is
    U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and ``bias`` from that same range. With a fan_in of 0,
    Linear fills ``bias`` from U(0, 0) (``zero_bias_without_fan_in``) and Conv leaves it."""
    init.kaiming_uniform_(weight, a=math.sqrt(5))
    if bias is None:
        return
    fan_in, _ = init._calculate_fan_in_and_fan_out(weight)
    if fan_in == 0 and not zero_bias_without_fan_in:
        return
    bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
    init.uniform_(bias, -bound, bound)


def reset_ones_zeros(weight, bias) -> None:
    """The norm layers' affine init: ``weight`` ones, ``bias`` (when present) zeros."""
    init.ones_(weight)
    if bias is not None:
        init.zeros_(bias)
