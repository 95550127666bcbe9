"""``torch.cuda``: answers about GPUs from what JAX sees (no GPU here means ``False`` and 0)."""

from __future__ import annotations

import functools

import jax

__all__ = ["is_available", "device_count", "current_device", "get_device_name", "manual_seed",
           "manual_seed_all", "synchronize", "empty_cache", "is_initialized",
           "memory_allocated", "max_memory_allocated"]  # fmt: skip


@functools.cache
def _gpus() -> tuple:
    try:
        return tuple(jax.devices("gpu"))
    except RuntimeError:
        return ()


def is_available() -> bool:
    """True only if JAX has a GPU backend with at least one device."""
    return bool(_gpus())


def device_count() -> int:
    return len(_gpus())


def is_initialized() -> bool:
    return is_available()


def _lazy_check():
    if not is_available():
        raise AssertionError("Torch not compiled with CUDA enabled")


def current_device() -> int:
    _lazy_check()
    return 0


def get_device_name(device=None) -> str:
    _lazy_check()
    idx = 0 if device is None else getattr(device, "index", device) or 0
    return _gpus()[idx].device_kind


def synchronize(device=None) -> None:
    _lazy_check()
    for d in _gpus():
        jax.device_put(0, d).block_until_ready()


def manual_seed(seed: int) -> None:
    """Seeds nothing without a GPU, as torch's (which defers it until CUDA initialises)."""


manual_seed_all = manual_seed


def empty_cache() -> None:
    """A no-op: XLA manages device memory."""


def memory_allocated(device=None) -> int:
    if not is_available():
        return 0
    stats = _gpus()[0].memory_stats() or {}
    return int(stats.get("bytes_in_use", 0))


def max_memory_allocated(device=None) -> int:
    if not is_available():
        return 0
    stats = _gpus()[0].memory_stats() or {}
    return int(stats.get("peak_bytes_in_use", 0))
