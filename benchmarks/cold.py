"""``python -m benchmarks.cold IMPL SPEC``: time the first call of one compiled training step in
this fresh process (cold: nothing traced or compiled yet) and print ``{"first": seconds}``.

IMPL is ``tl_c`` (``torchlike.compile(train_step)``), ``jax_jit`` (hand-written ``jax.jit``
step) or ``torch_c`` (``torch.compile(train_step)``); SPEC is JSON ``{"dims": [...], "batch": n}``.
The model, data and imports are set up before the clock starts; the first call is synced (its
loss and updated parameters are ready) before it stops. CPU affinity is inherited from the parent.
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    impl, spec = sys.argv[1], json.loads(sys.argv[2])
    from benchmarks import _env

    _env.pin_from_environment()  # the parent's pinning, before jax is imported
    from benchmarks._timing import sync
    from benchmarks.workloads import step_candidates, torch

    _env.release_python_thread()
    _env.set_torch_threads(torch)
    step = step_candidates(tuple(spec["dims"]), spec["batch"], (impl,), [])[impl]
    t0 = time.perf_counter()
    sync(step())
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    sync(step())
    print(json.dumps({"first": first, "second": time.perf_counter() - t0}))


if __name__ == "__main__":
    main()
