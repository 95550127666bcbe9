"""``torchlike.random``: the global generator's seeding and state, and ``fork_rng`` (as
``torch.random``)."""

from __future__ import annotations

import contextlib

from ._random import get_rng_state, initial_seed, manual_seed, seed, set_rng_state

__all__ = ["set_rng_state", "get_rng_state", "manual_seed", "seed", "initial_seed", "fork_rng",
           "thread_safe_generator"]  # fmt: skip


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, _caller="fork_rng", _devices_kw="devices",
             device_type=None):  # fmt: skip
    """Run the block with the global generator's state saved, and restore it afterwards: draws
    inside do not move the stream outside. torchlike has one (CPU) generator; ``devices`` name
    accelerator generators, of which there are none."""
    if not enabled:
        yield
        return
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)


def thread_safe_generator():
    """The generator of the current data-loading worker: None, as torchlike loads in-process."""
    return None
