"""``python -m benchmarks``: workloads W1-W7 (``workloads.py``) and/or the per-op table (``--ops``).

    python -m benchmarks                     # W1-W7, a few minutes on 2 cores
    python -m benchmarks --quick             # tiny sizes, a smoke run (< 20 s)
    python -m benchmarks --only W3,W4        # a subset of workloads
    python -m benchmarks --ops               # the per-op table only (every op)
    python -m benchmarks --ops add,exp       # the per-op table for some ops
    python -m benchmarks --threads 2 --only W5
    python -m benchmarks --one-cpu --only W3,W4   # Python and compute on one CPU

Every framework computes on ``--threads`` threads (default 1); the Python thread gets its own CPU
unless ``--one-cpu`` (``_env.py``).
"""

from __future__ import annotations

import argparse

from benchmarks._env import pin_threads

WORKLOADS = ("W1", "W2", "W3", "W4", "W5", "W6", "W7")  # workloads.WORKLOADS, without jax


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes, few short rounds")
    parser.add_argument("--only", help=f"comma-separated workloads from {','.join(WORKLOADS)}")
    parser.add_argument(
        "--ops",
        nargs="?",
        const="all",
        help="per-op table: 'all' (the default when given) or op names",
    )
    parser.add_argument("--threads", type=int, default=1, help="compute threads per framework")
    parser.add_argument("--one-cpu", action="store_true",
                        help="the whole process, Python too, on the --threads CPUs")  # fmt: skip
    args = parser.parse_args(argv)  # fmt: skip
    workloads = args.only.upper().split(",") if args.only else []
    unknown = [w for w in workloads if w not in WORKLOADS]
    if unknown:
        parser.error(f"unknown workload(s) {','.join(unknown)}; choose from {','.join(WORKLOADS)}")
    if not workloads and not args.ops:
        workloads = list(WORKLOADS)

    pin_threads(args.threads, args.one_cpu)  # before anything imports jax
    from benchmarks import _env
    from benchmarks.ops import OPS, torch

    _env.release_python_thread()
    _env.set_torch_threads(torch)
    if args.ops:
        names = list(OPS) if args.ops == "all" else args.ops.split(",")
        bad = [n for n in names if n not in OPS]
        if bad:
            parser.error(f"unknown op(s) {','.join(bad)}; choose from {','.join(OPS)}")
    if workloads:
        from benchmarks import workloads as wl

        wl.run(workloads, args.quick)
    if args.ops:
        from benchmarks import per_op

        if workloads:
            print()
        per_op.run(names, args.quick)


if __name__ == "__main__":
    main()
