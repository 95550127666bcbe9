"""``torchlike`` command line: run unmodified PyTorch scripts on torchlike.

    torchlike run script.py [args...]     # also: torchlike script.py, python -m torchlike ...
    torchlike run -c "code" [args...]
    torchlike run -m module [args...]

The ``torch`` -> ``torchlike`` import alias (``torchlike._alias``) is installed first, then the
script runs as ``__main__`` the way ``python script.py`` would run it.
"""

from __future__ import annotations

import builtins
import importlib.machinery
import importlib.util
import io
import os
import re
import runpy
import signal
import sys
import types
import zipfile
from collections.abc import Sequence

from torchlike import _alias

USAGE = """\
usage: torchlike [run] script.py [args...]
       torchlike [run] -c code [args...]
       torchlike [run] -m module [args...]

Run a PyTorch program with `import torch` (and torch.nn, torch.optim, ...) resolving to torchlike.
The script runs as __main__, like `python script.py`: sys.argv is [script, *args] and
sys.path[0] is the script's directory.
"""

_PROG = "torchlike"
# Frames of the runner itself, hidden from tracebacks as `python script.py` would.
_RUNNER_FILES = frozenset({__file__, runpy.__file__, "<frozen runpy>"})


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``torchlike`` command; returns the process exit code.

    ``SystemExit`` raised by the program propagates unchanged, so ``sys.exit(n)`` keeps its code.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "run":
        args = args[1:]
    if not args:
        sys.stderr.write(USAGE)
        return 2
    first = args[0]
    if first in ("-h", "--help"):
        sys.stdout.write(USAGE)
        return 0
    if first in ("-c", "-m"):
        if len(args) < 2:
            _error(f"argument expected for the {first} option")
            return 2
        kind, what, rest = first, args[1], args[2:]
    elif first.startswith("-") and first != "-":
        _error(f"unknown option {first!r}")
        return 2
    else:
        kind, what, rest = "script", first, args[1:]

    try:
        _alias.install()
    except RuntimeError as exc:
        sys.stderr.write(f"{_PROG}: {exc}\n")
        return 1
    try:
        if kind == "-c":
            _run_code(what, rest)
        elif kind == "-m":
            return _run_module(what, rest)
        else:
            return _run_script(what, rest)
    except SystemExit:
        raise
    except KeyboardInterrupt as exc:
        _report(exc)
        _exit_by_sigint()
        return 130
    except BaseException as exc:
        _report(exc)
        return 1
    return 0


def _error(message: str) -> None:
    sys.stderr.write(f"{_PROG}: {message}\n{USAGE}")


def _fresh_main(**attrs: object) -> dict[str, object]:
    """Replace ``sys.modules['__main__']`` by a new module, as the interpreter gives a script."""
    module = types.ModuleType("__main__")
    module.__dict__.update(__spec__=None, __package__=None, __builtins__=builtins, **attrs)
    sys.modules["__main__"] = module
    return module.__dict__


def _set_sys_path0(entry: str) -> None:
    # sys.path[0] is the runner's own directory (bin/ or the cwd for -m); the program owns it now.
    if sys.path:
        sys.path[0] = entry
    else:
        sys.path.insert(0, entry)


def _run_script(path: str, args: list[str]) -> int:
    if path == "-":
        source: bytes | str = sys.stdin.read()
        filename = "<stdin>"
        _set_sys_path0("")
        main_globals = _fresh_main(__loader__=None)
    elif os.path.isdir(path) or _is_zipfile(path):
        # A directory or zip with __main__.py: runpy implements python's rules for those.
        sys.argv[:] = [path, *args]
        _set_sys_path0(path)
        runpy.run_path(path, run_name="__main__")
        return 0
    else:
        filename = os.path.abspath(path)
        try:
            with io.open_code(filename) as f:
                source = f.read()
        except OSError as exc:
            sys.stderr.write(
                f"{_PROG}: can't open file {filename!r}: [Errno {exc.errno}] {exc.strerror}\n"
            )
            return 2
        _set_sys_path0(os.path.dirname(os.path.realpath(filename)))
        loader = importlib.machinery.SourceFileLoader("__main__", filename)
        main_globals = _fresh_main(__file__=filename, __cached__=None, __loader__=loader)
    sys.argv[:] = [path, *args]
    # dont_inherit: this module's `from __future__ import annotations` must not leak into it.
    code = compile(source, filename, "exec", dont_inherit=True)
    exec(code, main_globals)
    return 0


def _is_zipfile(path: str) -> bool:
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False


def _run_code(source: str, args: list[str]) -> None:
    sys.argv[:] = ["-c", *args]
    _set_sys_path0("")
    main_globals = _fresh_main(__loader__=None)
    exec(compile(source, "<string>", "exec", dont_inherit=True), main_globals)


def _run_module(name: str, args: list[str]) -> int:
    sys.argv[:] = [name, *args]  # runpy replaces argv[0] by the module's file
    _set_sys_path0(os.getcwd())
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError) as exc:
        spec, reason = None, f": {exc}"
    else:
        reason = ""
    if spec is None:
        sys.stderr.write(f"{_PROG}: No module named {name}{reason}\n")
        return 1
    runpy.run_module(name, run_name="__main__", alter_sys=True)
    return 0


def _report(exc: BaseException) -> None:
    """Print an uncaught exception through ``sys.excepthook``, minus the runner's frames."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename in _RUNNER_FILES:
        tb = tb.tb_next
    _add_missing_name_note(exc)
    # The default hook prints exc.__traceback__ whatever tb it is given, so trim that too.
    sys.excepthook(type(exc), exc.with_traceback(tb), tb)


_CANNOT_IMPORT = re.compile(r"cannot import name '([^']+)' from '([^']+)'")


def _add_missing_name_note(exc: BaseException) -> None:
    # `from torch.nn import X` turns torchlike's "not implemented" AttributeError into a bare
    # "cannot import name 'X' from 'torchlike.nn'"; say in torch terms what is missing.
    if not isinstance(exc, ImportError) or not hasattr(exc, "add_note"):
        return
    match = _CANNOT_IMPORT.match(str(exc))
    if match is None:
        return
    attr, module = match.groups()
    if module == "torchlike" or module.startswith("torchlike."):
        torch_module = "torch" + module[len("torchlike") :]
        exc.add_note(f"torchlike does not implement {torch_module}.{attr} yet")


def _exit_by_sigint() -> None:
    # Like python: die from SIGINT so a calling shell sees the interrupt (e.g. stops its loop).
    if hasattr(signal, "SIGINT") and hasattr(os, "kill"):
        sys.stdout.flush()
        sys.stderr.flush()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
