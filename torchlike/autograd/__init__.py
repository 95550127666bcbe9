"""``torchlike.autograd``: the backward engine, grad mode and graph nodes."""

from __future__ import annotations

from . import anomaly_mode, forward_ad, function, functional, graph, profiler
from .anomaly_mode import detect_anomaly, set_detect_anomaly
from .engine import backward, grad
from .function import Function
from .grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)  # fmt: skip
from .gradcheck import gradcheck, gradgradcheck  # NOTE: shadows the module, as in torch
from .graph import Node

__all__ = ["backward", "grad", "graph", "Node", "Function", "function", "functional",
           "profiler", "anomaly_mode", "forward_ad", "detect_anomaly", "set_detect_anomaly",
           "no_grad", "enable_grad", "set_grad_enabled", "inference_mode",
           "is_grad_enabled", "gradcheck", "gradgradcheck"]  # fmt: skip


from torchlike._alias import install_module_getattr

install_module_getattr(globals(), "torch.autograd")
