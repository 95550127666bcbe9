"""``python -m tests.conformance``: run the OpInfo conformance cases and print the figures;
``--write-expected-failures`` rewrites ``expected_failures.txt`` from the run.

    python -m tests.conformance --write-expected-failures      # everything (ci + full ids)
    python -m tests.conformance --mode ci                       # the CI subset, report only
    python -m tests.conformance --only 'linalg\\.' --mode full   # some ops
    python -m tests.conformance --jobs 2 --log /tmp/conf        # two processes, resumable

One full run yields both modes' ids (CI's cases are a subset of the full run's samples).
With ``--only`` or ``--shard``, ``--write-expected-failures`` replaces only the lines of the
ops that ran. ``--log`` appends one JSON record per op as it finishes and skips the ops a log
already holds, so a long run can be stopped, resumed, or split across processes (``--shard``
by hand, ``--jobs`` spawning them) and merged by naming every log."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

from tests.conformance import _driver as D


def _parse(argv):
    p = argparse.ArgumentParser(prog="python -m tests.conformance", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument(
        "--mode",
        choices=("ci", "full", "both"),
        default="both",
        help="which cases to run (both: one full run, ci ids derived from it)",
    )
    p.add_argument("--only", help="regex on op ids")
    p.add_argument("--shard", help="K/N: the K-th of N interleaved slices of the ops (1-based)")
    p.add_argument("--no-gradcheck", action="store_true", help="skip gradcheck/gradgradcheck")
    p.add_argument("--gradcheck-only", action="store_true", help="only gradcheck/gradgradcheck")
    p.add_argument("--log", action="append", default=[], type=Path,
                   help="JSONL of per-op records: read (ops held are not re-run), and the first "
                        "one appended to; repeatable")  # fmt: skip
    p.add_argument("--rerun", help="regex on op ids: run these again though a log holds them")
    p.add_argument("--jobs", type=int, default=1,
                   help="run the ops in this many processes (a shard and a log each)")  # fmt: skip
    p.add_argument(
        "--write-expected-failures",
        action="store_true",
        help=f"rewrite {D.EXPECTED_FAILURES.name} for the modes and ops run",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="print every failing case")
    return p, p.parse_args(argv)


def _select(args, run_mode):
    ops = D.ops_in_scope(run_mode)
    if args.only:
        ops = [op for op in ops if re.search(args.only, D.op_id(op))]
    if args.shard:
        k, n = map(int, args.shard.split("/"))
        ops = ops[k - 1 :: n]
    return ops


def _read_logs(paths, run_mode) -> dict[str, dict]:
    """op id -> its record; an op's later records (by their time stamp) update earlier ones."""
    found = []
    for path in paths:
        if path.exists():
            found += [json.loads(line) for line in path.read_text().splitlines()]
    records: dict[str, dict] = {}
    for rec in sorted(found, key=lambda r: r.get("time", 0)):
        if rec["run_mode"] == run_mode:
            records.setdefault(rec["op"], {}).update(rec)
    return records


def _record(op, run_mode, modes, gradcheck: bool) -> dict:
    run = D.run_op(op, run_mode)
    rec = {"op": run.op_id, "run_mode": run_mode, "seconds": run.seconds, "cases": {},
           "counts": {}}  # fmt: skip
    for mode in modes:
        if mode == "ci" and run.nn:
            continue
        rec["cases"].update(run.cases(mode, D.ci_dtypes(op)))
        rec["counts"][mode] = run.sample_counts(mode, D.ci_dtypes(op))
    if gradcheck:
        rec["grad"] = _gradchecks(op)
    return rec


def _gradchecks(op) -> dict:
    out = {}
    if op.supports_autograd and hasattr(D.torchlike.autograd, "gradcheck"):
        out[f"gradcheck:{D.op_id(op)}"] = D.gradcheck_op(op)
        if op.supports_gradgrad and hasattr(D.torchlike.autograd, "gradgradcheck"):
            out[f"gradgradcheck:{D.op_id(op)}"] = D.gradcheck_op(op, second_order=True)
    return out


def _spawn(args, argv) -> list[Path]:
    """``--jobs N``: N child processes, shard i/N each, logging to ``<first log>.<i>``."""
    base = args.log[0] if args.log else Path("conformance-run.jsonl")
    logs = [base.with_name(f"{base.name}.{i}") for i in range(1, args.jobs + 1)]
    cmd = [sys.executable, "-m", "tests.conformance", *_child_args(argv)]
    # each child appends to its own log and reads the other logs given (resumes from them)
    sources = [a for path in args.log[1:] for a in ("--log", str(path))]
    log_args = [
        ("--shard", f"{i}/{args.jobs}", "--log", str(log), *sources)
        for i, log in enumerate(logs, 1)
    ]
    procs = [subprocess.Popen([*cmd, *a], stdout=subprocess.DEVNULL) for a in log_args]
    for p in procs:
        p.wait()
    return logs


def _child_args(argv):
    """argv without --log/--jobs (and their values) and without --write-expected-failures."""
    out, skip = [], False
    for a in argv:
        if skip:
            skip = False
        elif a in ("--log", "--jobs"):
            skip = True
        elif not a.startswith(("--log=", "--jobs=", "--write-expected-failures")):
            out.append(a)
    return out


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    p, args = _parse(argv)
    if not D.torch_available():
        print("torch is not installed: nothing to compare against", file=sys.stderr)
        return 2
    if args.jobs > 1:
        if args.shard:
            p.error("--jobs and --shard exclude each other")
        args.log = [*args.log[1:], *_spawn(args, argv)]
        args.rerun = None  # the children did

    start = time.perf_counter()
    run_mode = "ci" if args.mode == "ci" else "full"
    modes = ("ci", "full") if args.mode == "both" else (args.mode,)
    if args.gradcheck_only:
        modes = ()
    gradcheck = not args.no_gradcheck
    ops = _select(args, run_mode)
    records = _read_logs(args.log, run_mode)
    sink = args.log[0].open("a") if args.log else None
    slowest = []
    for n, op in enumerate(ops, 1):
        rec = records.get(D.op_id(op))
        wanted = {m for m in modes if not (m == "ci" and D.is_nn(op))}
        again = args.rerun and re.search(args.rerun, D.op_id(op))
        if modes and (again or rec is None or not wanted <= set(rec.get("counts", ()))):
            rec = _record(op, run_mode, modes, gradcheck)
        elif gradcheck and (again or "grad" not in (rec or {})):
            rec = {"op": D.op_id(op), "run_mode": run_mode, "grad": _gradchecks(op)}
        else:
            rec = None
        if rec is not None:
            rec["time"] = time.time()
            records.setdefault(rec["op"], {}).update(rec)
            if sink:
                sink.write(json.dumps(rec) + "\n")
                sink.flush()
        slowest.append((records[D.op_id(op)].get("seconds", 0.0), D.op_id(op)))
        if n % 25 == 0 or n == len(ops):
            print(f"[{time.perf_counter() - start:7.1f}s] {n}/{len(ops)} ops", file=sys.stderr,
                  flush=True)  # fmt: skip
    if sink:
        sink.close()

    results: dict[str, str | None] = {}
    counts = {m: [0, 0] for m in modes}
    for op in ops:
        rec = records[D.op_id(op)]
        results.update({k: v for k, v in rec.get("cases", {}).items() if k.split(":")[0] in modes})
        if gradcheck:
            results.update(rec.get("grad", {}))
        for mode in modes:
            got = rec.get("counts", {}).get(mode, (0, 0))
            counts[mode][0] += got[0]
            counts[mode][1] += got[1]

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
        ran = None if not (args.only or args.shard) else {D.op_id(op) for op in ops}
        kept = {k: v for k, v in expected.items() if not _replaced(k, modes, ran, gradcheck)}
        D.write_expected({**kept, **failing})
        print(f"wrote {D.EXPECTED_FAILURES} ({len(kept) + len(failing)} lines)")
    return 0


def _replaced(case: str, modes, ran, gradcheck: bool) -> bool:
    """Whether this run decides ``case``'s line: every line of the modes run (and gradcheck's
    when it ran) in an unfiltered run (``ran`` None); else only the lines of the ops ``ran``."""
    kind, _, rest = case.partition(":")
    if kind in ("gradcheck", "gradgradcheck"):
        if not gradcheck:
            return False
    elif kind not in modes:
        return False
    return ran is None or rest.split("/")[0] in ran


if __name__ == "__main__":
    sys.exit(main())
