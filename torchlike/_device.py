"""Devices: PyTorch's names mapped onto JAX devices (``cpu``; ``cuda`` is JAX's GPU)."""

from __future__ import annotations

import jax

__all__ = ["device"]

_JAX_PLATFORM = {"cpu": "cpu", "cuda": "gpu", "tpu": "tpu"}


class device:
    """``torchlike.device('cpu')``, ``device('cuda', 0)``, ``device('cuda:1')``."""

    __slots__ = ("type", "index")

    def __init__(self, type: str | device, index: int | None = None):
        if isinstance(type, device):
            type, index = type.type, type.index
        elif ":" in type:
            type, idx = type.split(":", 1)
            index = int(idx)
        if type not in _JAX_PLATFORM:
            raise RuntimeError(
                "Expected one of cpu, cuda, tpu device type at start of device string: " + type
            )
        self.type, self.index = type, index

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def jax_device(self):
        """The JAX device this names (raises PyTorch's error if that backend is absent)."""
        try:
            devs = jax.devices(_JAX_PLATFORM[self.type])
        except RuntimeError:
            raise RuntimeError(
                f"Torch not compiled with {self.type.upper()} enabled"
                if self.type == "cuda" else f"{self.type} device is not available"
            ) from None  # fmt: skip
        return devs[self.index or 0]


CPU = device("cpu")


def device_of(array) -> device:
    """The torchlike device an array lives on."""
    try:
        (d,) = array.devices()
    except (AttributeError, ValueError):
        return CPU
    if d.platform == "cpu":
        return CPU
    plat = {"gpu": "cuda", "cuda": "cuda", "rocm": "cuda", "tpu": "tpu"}.get(d.platform, d.platform)
    return device(plat, d.id)
