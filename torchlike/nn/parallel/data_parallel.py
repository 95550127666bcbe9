"""``nn.DataParallel`` as PyTorch runs it without CUDA devices: the wrapped module runs as it is
(``device_ids`` is empty), and the wrapper adds the ``module.`` prefix to names and state-dict
keys. Spreading a batch over several devices belongs to compiled steps (``jax.sharding``)."""

from __future__ import annotations

from ..modules.module import Module


class DataParallel(Module):
    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        from ... import cuda

        self.module = module
        self.dim = dim
        if not cuda.is_available():
            self.device_ids = []  # NOTE: as torch: no output_device attribute then
            return
        self.device_ids = list(range(cuda.device_count())) if device_ids is None else [
            d if isinstance(d, int) else d.index for d in device_ids]  # fmt: skip
        self.output_device = self.device_ids[0] if output_device is None else output_device

    def forward(self, *inputs, **kwargs):
        return self.module(*inputs, **kwargs)
