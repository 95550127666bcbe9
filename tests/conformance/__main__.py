"""``python -m tests.conformance``: run the OpInfo conformance cases in one process and print
the figures; ``--write-expected-failures`` rewrites ``expected_failures.txt`` from the run.

    python -m tests.conformance --write-expected-failures      # everything (ci + full ids)
    python -m tests.conformance --mode ci                       # the CI subset, report only
    python -m tests.conformance --only 'linalg\\.' --mode full   # some ops, report only

One full run yields both modes' ids (CI's cases are a subset of the full run's samples)."""

from __future__ import annotations

import argparse
import re
import sys
import time

from tests.conformance import _driver as D


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.conformance", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument(
        "--mode",
        choices=("ci", "full", "both"),
        default="both",
        help="which cases to run (both: one full run, ci ids derived from it)",
    )
    p.add_argument(
        "--only",
        help="regex on op ids (report only; cannot be combined with --write-expected-failures)",
    )
    p.add_argument("--no-gradcheck", action="store_true", help="skip gradcheck/gradgradcheck")
    p.add_argument(
        "--write-expected-failures",
        action="store_true",
        help=f"rewrite {D.EXPECTED_FAILURES.name} for the modes run",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="print every failing case")
    args = p.parse_args(argv)
    if args.only and args.write_expected_failures:
        p.error("--only cannot be combined with --write-expected-failures")
    if not D.torch_available():
        print("torch is not installed: nothing to compare against", file=sys.stderr)
        return 2

    start = time.perf_counter()
    run_mode = "ci" if args.mode == "ci" else "full"
    modes = ("ci", "full") if args.mode == "both" else (args.mode,)
    ops = D.ops_in_scope(run_mode)
    if args.only:
        ops = [op for op in ops if re.search(args.only, D.op_id(op))]
    results: dict[str, str | None] = {}
    counts = {m: [0, 0] for m in modes}
    slowest = []
    for n, op in enumerate(ops, 1):
        run = D.run_op(op, run_mode)
        slowest.append((run.seconds, run.op_id))
        for mode in modes:
            if mode == "ci" and run.nn:
                continue
            results.update(run.cases(mode, D.ci_dtypes(op)))
            got = run.sample_counts(mode, D.ci_dtypes(op))
            counts[mode][0] += got[0]
            counts[mode][1] += got[1]
        if n % 25 == 0 or n == len(ops):
            print(f"[{time.perf_counter() - start:7.1f}s] {n}/{len(ops)} ops", file=sys.stderr,
                  flush=True)  # fmt: skip
    if not args.no_gradcheck and hasattr(D.torchlike.autograd, "gradcheck"):
        for op in ops:
            if not op.supports_autograd:
                continue
            results[f"gradcheck:{D.op_id(op)}"] = D.gradcheck_op(op)
            if op.supports_gradgrad and hasattr(D.torchlike.autograd, "gradgradcheck"):
                results[f"gradgradcheck:{D.op_id(op)}"] = D.gradcheck_op(op, second_order=True)
        print(f"[{time.perf_counter() - start:7.1f}s] gradcheck done", file=sys.stderr)

    expected = D.read_expected()
    failing = {k: v for k, v in results.items() if v is not None}
    for mode in modes:
        ids = {k: v for k, v in results.items() if k.startswith(f"{mode}:")}
        bad = sum(v is not None for v in ids.values())
        run_, ok = counts[mode]
        print(f"{mode}: {len(ids)} cases, {bad} failing; samples run {run_}, passing every "
              f"check {ok} ({ok / max(run_, 1):.1%})")  # fmt: skip
    grads = {k: v for k, v in results.items() if k.startswith(("gradcheck:", "gradgradcheck:"))}
    if grads:
        print(f"gradcheck: {len(grads)} cases, {sum(v is not None for v in grads.values())} "
              "failing")  # fmt: skip
    new = sorted(k for k in failing if k not in expected)
    fixed = sorted(k for k, v in results.items() if v is None and k in expected)
    print(f"against {D.EXPECTED_FAILURES.name}: {len(new)} new failures, {len(fixed)} now pass")
    if args.verbose:
        for k in sorted(failing):
            print(f"  {k}\t{failing[k]}")
    print("slowest ops: " + ", ".join(f"{o} {s:.1f}s" for s, o in sorted(slowest)[-8:]))
    print(f"total {time.perf_counter() - start:.0f}s")

    if args.write_expected_failures:
        prefixes = tuple(f"{m}:" for m in modes)
        redone = {f"{kind}:{D.op_id(op)}" for op in ops for kind in ("gradcheck", "gradgradcheck")}
        kept = {
            k: v
            for k, v in expected.items()
            if not k.startswith(prefixes) and (args.no_gradcheck or k not in redone)
        }
        D.write_expected({**kept, **failing})
        print(f"wrote {D.EXPECTED_FAILURES} ({len(kept) + len(failing)} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
