"""``torch.backends``: the flags tutorials read and set. XLA chooses its own kernels, so the
cuDNN/TF32 flags are kept (and read back) but change nothing."""

from __future__ import annotations

import sys
import types

from .. import cuda as _cuda

__all__ = ["cudnn", "mps", "cuda", "mkldnn", "openmp", "mkl"]


class _CudnnModule(types.ModuleType):
    enabled = True
    benchmark = False
    deterministic = False
    allow_tf32 = True

    @staticmethod
    def is_available() -> bool:
        return _cuda.is_available()

    @staticmethod
    def version():
        return None


cudnn = _CudnnModule("torch.backends.cudnn")

mps = types.ModuleType("torch.backends.mps")
mps.is_available = lambda: False
mps.is_built = lambda: False


class _Matmul:
    allow_tf32 = False
    allow_fp16_reduced_precision_reduction = True
    allow_bf16_reduced_precision_reduction = True


cuda = types.ModuleType("torch.backends.cuda")
cuda.matmul = _Matmul()
cuda.is_built = lambda: _cuda.is_available()

mkldnn = types.ModuleType("torch.backends.mkldnn")
mkldnn.is_available = lambda: False
mkldnn.enabled = True
openmp = types.ModuleType("torch.backends.openmp")
openmp.is_available = lambda: False
mkl = types.ModuleType("torch.backends.mkl")
mkl.is_available = lambda: False

# NOTE: registered as submodules so ``import torch.backends.cudnn`` finds them.
for _name in __all__:
    sys.modules[f"{__name__}.{_name}"] = globals()[_name]
