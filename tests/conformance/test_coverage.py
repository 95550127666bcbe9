"""Coverage figures, computed from the installed torch (never from a stored list), printed with
their targets and missing names (run with ``-s``), and held by a ratchet: each figure must stay
at or above its FLOOR, which the lead raises to the measured value.

(a) op_db: OpInfo names present in torchlike (excluding the families in _driver.EXCLUDED and
    ``nn.functional.*``, whose figure (a-nn) is printed and held separately);
(b) torch: public functions in ``dir(torch)`` (callables, not classes, not ``_``-private),
    excluding the backend-specific families in TORCH_EXCLUDED;
(c) Tensor: public attributes in ``dir(torch.Tensor)``."""

from __future__ import annotations

import inspect
import re

import pytest

import torchlike
from tests.conformance import _driver as D

# The ratchet: raise each to the measured figure when work lands; never lower one.
FLOORS = {"op_db": 0.989, "op_db_nn": 0.989, "torch": 0.949, "Tensor": 0.913}
TARGETS = {"op_db": 0.95, "op_db_nn": None, "torch": 0.85, "Tensor": 0.90}

# dir(torch) families left out of figure (b): (pattern, reason).
TORCH_EXCLUDED = (
    (r"cudnn_.*", "cuDNN (CUDA) kernels"),
    (r"miopen_.*", "MIOpen (ROCm) kernels"),
    (r"mkldnn_.*", "oneDNN (MKL-DNN) CPU kernels"),
    (r"fbgemm_.*", "FBGEMM quantized GEMM kernels"),
    (r".*quantiz.*|dequantize|q_.*|int_repr|fused_moving_avg_obs_fake_quant"
     r"|choose_qparams_optimized", "quantized tensors"),
    (r".*sparse.*|smm|spmm|dsmm|hsmm|hspmm|saddmm|sspaddmm|(c?col|c?row)_indices_copy"
     r"|indices_copy"
     r"|values_copy", "sparse layouts"),
    (r".*autocast.*", "autocast internals (CUDA/XPU/IPU/XLA mixed precision state)"),
    (r"parse_ir|parse_schema|parse_type_comment|import_ir_module.*|merge_type_from_type_comment"
     r"|unify_type_list|fork|wait", "TorchScript internals"),
    (r"sym_.*", "symbolic shapes of the torch.compile backend"),
    (r"is_vulkan_available", "Vulkan backend"),
    (r"profiler_allow_cudagraph_cupti_lazy_reinit_cuda12", "CUDA profiler (CUPTI)"),
    (r"compiled_with_cxx11_abi", "C++ build ABI"),
)  # fmt: skip


def _torch():
    return pytest.importorskip("torch")


def _report(key: str, have: list[str], missing: list[str]) -> float:
    total = len(have) + len(missing)
    figure = len(have) / max(total, 1)
    target = TARGETS[key]
    aim = f", target {target:.0%}" if target is not None else ""
    print(f"\ncoverage {key}: {len(have)}/{total} = {figure:.1%} (floor {FLOORS[key]:.0%}{aim})")
    print(f"  missing ({len(missing)}): {', '.join(sorted(missing))}")
    return figure


def _check(key: str, figure: float):
    assert figure >= FLOORS[key], (
        f"coverage {key} fell to {figure:.1%}, below its floor {FLOORS[key]:.1%}"
    )


def _op_db_names():
    _torch()
    names: dict[str, bool] = {}
    for op in D.op_db():
        if D.excluded(op):
            continue
        names[op.name] = names.get(op.name, False) or D.present(op)
    return names


def test_op_db_coverage():
    names = _op_db_names()
    core = {n: ok for n, ok in names.items() if not n.startswith("nn.")}
    figure = _report("op_db", [n for n, ok in core.items() if ok],
                     [n for n, ok in core.items() if not ok])  # fmt: skip
    _check("op_db", figure)


def test_op_db_nn_coverage():
    names = _op_db_names()
    nn = {n: ok for n, ok in names.items() if n.startswith("nn.")}
    figure = _report("op_db_nn", [n for n, ok in nn.items() if ok],
                     [n for n, ok in nn.items() if not ok])  # fmt: skip
    _check("op_db_nn", figure)


def _torch_functions():
    torch = _torch()
    out = []
    for name in dir(torch):
        if name.startswith("_"):
            continue
        obj = getattr(torch, name, None)
        if obj is None or inspect.isclass(obj) or not callable(obj):
            continue
        if any(re.fullmatch(p, name) for p, _ in TORCH_EXCLUDED):
            continue
        out.append(name)
    return out


def test_torch_function_coverage():
    names = _torch_functions()
    figure = _report("torch", [n for n in names if hasattr(torchlike, n)],
                     [n for n in names if not hasattr(torchlike, n)])  # fmt: skip
    _check("torch", figure)


def test_tensor_attribute_coverage():
    torch = _torch()
    names = [n for n in dir(torch.Tensor) if not n.startswith("_")]
    figure = _report("Tensor", [n for n in names if hasattr(torchlike.Tensor, n)],
                     [n for n in names if not hasattr(torchlike.Tensor, n)])  # fmt: skip
    _check("Tensor", figure)


def test_exclusions_are_live():
    """Every exclusion pattern still matches something in the installed torch (a dead pattern
    hides nothing and should go)."""
    torch = _torch()
    public = [n for n in dir(torch) if not n.startswith("_")]
    dead = [p for p, _ in TORCH_EXCLUDED if not any(re.fullmatch(p, n) for n in public)]
    assert not dead, f"patterns matching nothing in dir(torch): {dead}"
    ops = [op.name for op in D.op_db()]
    dead = [p for p, _ in D.EXCLUDED if not any(re.fullmatch(p, n) for n in ops)]
    assert not dead, f"patterns matching nothing in op_db: {dead}"
