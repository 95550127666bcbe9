"""Tests for the torch -> torchlike import alias (torchlike._alias) and the CLI (torchlike._cli).

Most tests do not depend on torchlike/__init__.py: alias tests load ``_alias.py`` by path and map
fake package names, and CLI tests run ``python -m torchlike`` against a fake ``torchlike`` package
(written under tmp_path) whose ``__path__`` also covers the real package directory, so that
``torchlike._cli``/``_alias``/``__main__`` are the real files. Only the end-to-end tests against
the real package are skipped, and only when ``import torchlike`` fails.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PKG_DIR = REPO / "torchlike"


def _load_alias_module() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(
        "_torchlike_alias_under_test", PKG_DIR / "_alias.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


alias = _load_alias_module()

SRC = "srcpkg_alias_test"
TGT = "tgtpkg_alias_test"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def _drop_modules(*roots: str) -> None:
    for name in list(sys.modules):
        if any(name == root or name.startswith(root + ".") for root in roots):
            del sys.modules[name]


@pytest.fixture
def fake_target(tmp_path: Path):
    """A target package TGT (with nn, nn.functional, an attribute-only submodule) on sys.path."""
    _write(
        tmp_path / TGT / "__init__.py",
        """
        import types
        from . import nn
        VALUE = 42
        extra = types.ModuleType(__name__ + ".extra")  # a submodule that is not a file
        extra.ANSWER = 7
        """,
    )
    _write(tmp_path / TGT / "nn" / "__init__.py", "LAYER = 'linear'\n")
    _write(tmp_path / TGT / "nn" / "functional.py", "def relu(x):\n    return max(x, 0)\n")
    sys.path.insert(0, str(tmp_path))
    importlib.invalidate_caches()
    try:
        yield tmp_path
    finally:
        alias.uninstall(SRC)
        sys.path.remove(str(tmp_path))
        _drop_modules(SRC, TGT)


# --- import alias, in process -------------------------------------------------------------------


def test_alias_maps_package_and_submodules_to_same_objects(fake_target):
    alias.install(SRC, TGT)
    src = importlib.import_module(SRC)
    functional = importlib.import_module(f"{SRC}.nn.functional")
    tgt = sys.modules[TGT]

    assert src is tgt and src.VALUE == 42
    assert functional is sys.modules[f"{TGT}.nn.functional"]
    assert functional.relu(-3) == 0
    assert sys.modules[f"{SRC}.nn"] is tgt.nn
    # What `from SRC import nn` and `from SRC.nn import functional` do:
    assert __import__(SRC, fromlist=["nn"]).nn is tgt.nn
    assert __import__(f"{SRC}.nn", fromlist=["functional"]).functional is functional
    # The module keeps its own identity: importlib must not stamp the alias spec/loader on it.
    assert tgt.__name__ == TGT and tgt.__spec__.name == TGT
    assert functional.__spec__.name == f"{TGT}.nn.functional"
    assert type(functional.__loader__).__name__ == "SourceFileLoader"
    assert importlib.util.find_spec(f"{SRC}.nn") is not None


def test_alias_resolves_submodule_defined_as_attribute(fake_target):
    alias.install(SRC, TGT)
    extra = importlib.import_module(f"{SRC}.extra")
    assert extra is sys.modules[TGT].extra and extra.ANSWER == 7
    assert extra.__spec__ is None  # restored: the attribute module never had a spec


def test_alias_missing_submodule_error_names_source_side_module(fake_target):
    alias.install(SRC, TGT)
    with pytest.raises(ModuleNotFoundError) as info:
        importlib.import_module(f"{SRC}.nn.does_not_exist")
    assert str(info.value) == f"{TGT} does not implement {SRC}.nn.does_not_exist yet"
    assert info.value.name == f"{SRC}.nn.does_not_exist"
    assert f"{SRC}.nn.does_not_exist" not in sys.modules
    # `from pkg import missing` keeps Python's usual ImportError semantics (needs the statement).
    with pytest.raises(ImportError, match="cannot import name 'does_not_exist'"):
        exec(f"from {SRC} import does_not_exist", {})


def test_alias_missing_target_package(fake_target):
    alias.install(SRC, "no_such_target_pkg_xyz")
    with pytest.raises(ModuleNotFoundError, match="no module named 'no_such_target_pkg_xyz'"):
        importlib.import_module(SRC)


def test_alias_ignores_names_that_only_share_a_prefix(fake_target):
    finder = alias.install(SRC, TGT)
    assert finder.find_spec(SRC + "extra") is None
    assert finder.find_spec("json") is None
    assert finder.target_name(f"{SRC}.nn.functional") == f"{TGT}.nn.functional"


def test_install_is_idempotent_and_uninstall_undoes_it(fake_target):
    finder = alias.install(SRC, TGT)
    assert alias.install(SRC, TGT) is finder
    assert sys.meta_path[0] is finder
    assert sum(f is finder for f in sys.meta_path) == 1
    assert alias.is_installed(SRC)
    importlib.import_module(f"{SRC}.nn.functional")

    alias.uninstall(SRC)
    alias.uninstall(SRC)  # second call is a no-op
    assert finder not in sys.meta_path and not alias.is_installed(SRC)
    assert not [name for name in sys.modules if name.split(".")[0] == SRC]
    assert f"{TGT}.nn.functional" in sys.modules  # target modules are left alone
    with pytest.raises(ModuleNotFoundError, match=f"No module named '{SRC}'"):
        importlib.import_module(SRC)

    assert alias.install(SRC, TGT) is not finder  # reinstalling works after uninstall
    assert importlib.import_module(SRC) is sys.modules[TGT]


def test_install_refuses_conflicts(fake_target, monkeypatch):
    alias.install(SRC, TGT)
    with pytest.raises(RuntimeError, match="already aliased"):
        alias.install(SRC, "other_target")
    alias.uninstall(SRC)

    monkeypatch.setitem(sys.modules, SRC, types.ModuleType(SRC))
    with pytest.raises(RuntimeError, match="already imported"):
        alias.install(SRC, TGT)
    assert not alias.is_installed(SRC)

    for source, target in [("torch", "torch.sub"), ("torch.nn", "torch"), ("", "x")]:
        with pytest.raises(ValueError):
            alias.AliasFinder(source, target)


# --- missing attributes -------------------------------------------------------------------------


def test_missing_attribute_is_attribute_and_not_implemented_error():
    exc = alias.missing_attribute("torch.nn.functional", "gelu")
    assert issubclass(alias.NotImplementedInTorchlike, AttributeError)
    assert issubclass(alias.NotImplementedInTorchlike, NotImplementedError)
    assert isinstance(exc, alias.NotImplementedInTorchlike)
    assert str(exc) == "torchlike does not implement torch.nn.functional.gelu yet"
    assert exc.name == "gelu"
    with pytest.raises(NotImplementedError):
        raise exc


def test_install_module_getattr_imports_package_submodules_lazily(fake_target):
    _write(fake_target / TGT / "later.py", "LOADED = True\n")
    package = importlib.import_module(TGT)
    alias.install_module_getattr(vars(package), "torch")
    assert f"{TGT}.later" not in sys.modules
    assert package.later.LOADED and package.later is sys.modules[f"{TGT}.later"]
    with pytest.raises(alias.NotImplementedInTorchlike, match=r"does not implement torch\.missing"):
        package.missing  # noqa: B018


def _fresh_module(name: str = "_torchlike_test_fake.nn.functional") -> types.ModuleType:
    module = types.ModuleType(name)
    module.relu = lambda x: max(x, 0)
    return module


def test_install_module_getattr_reports_unknown_names():
    module = _fresh_module()
    alias.install_module_getattr(vars(module), "torch.nn.functional")

    assert module.relu(-1) == 0  # real attributes are untouched
    assert not hasattr(module, "gelu")
    assert getattr(module, "gelu", "default") == "default"
    with pytest.raises(alias.NotImplementedInTorchlike) as info:
        module.gelu  # noqa: B018
    assert str(info.value) == "torchlike does not implement torch.nn.functional.gelu yet"
    assert info.value.name == "gelu" and info.value.obj is None  # module not in sys.modules


@pytest.mark.parametrize(
    "name", ["__path__", "__file__", "__wrapped__", "__torch_function__", "_repr_html_"]
)
def test_install_module_getattr_plain_attribute_error_for_special_names(name):
    module = _fresh_module()
    alias.install_module_getattr(vars(module), "torch.nn.functional")
    with pytest.raises(AttributeError) as info:
        getattr(module, name)
    assert type(info.value) is AttributeError
    assert "does not implement" not in str(info.value) and name in str(info.value)


def test_install_module_getattr_default_name_and_existing_getattr_chain():
    module = _fresh_module("torchlike.optim")

    def original(name):
        if name == "lazy":
            return "loaded"
        raise AttributeError(name)

    module.__getattr__ = original
    alias.install_module_getattr(vars(module))
    hook = alias.install_module_getattr(vars(module))  # installing twice must not stack hooks

    assert module.__getattr__ is hook and hook._torchlike_previous is original
    assert module.lazy == "loaded"
    with pytest.raises(
        alias.NotImplementedInTorchlike,
        match=r"^torchlike does not implement "
        r"torch\.optim\.LBFGS yet$",
    ):
        module.LBFGS  # noqa: B018


# --- CLI, against a fake torchlike package ------------------------------------------------------


def _run(args: list[str], cwd: Path, pythonpath: Path, stdin: str | None = None):
    env = dict(os.environ, PYTHONPATH=str(pythonpath), PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONSTARTUP", None)
    return subprocess.run(
        [sys.executable, *args],
        check=False,
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def fake_torchlike(tmp_path: Path) -> Path:
    """Root dir of a fake ``torchlike`` whose _cli/_alias/__main__ come from the real package."""
    root = tmp_path / "fakeroot"
    _write(
        root / "torchlike" / "__init__.py",
        f"""
        __path__.append({str(PKG_DIR)!r})
        FAKE = True
        from torchlike._alias import install_module_getattr
        install_module_getattr(globals(), "torch")
        """,
    )
    # Like torch, the package's __init__ does not import nn here; __getattr__ will on access.
    _write(root / "torchlike" / "nn" / "__init__.py", "from . import functional\n")
    _write(
        root / "torchlike" / "nn" / "functional.py",
        """
        def relu(x):
            return max(x, 0)

        from torchlike._alias import install_module_getattr
        install_module_getattr(globals(), "torch.nn.functional")
        """,
    )
    return root


@pytest.fixture
def cli(tmp_path: Path, fake_torchlike: Path):
    """Run ``python -m torchlike ARGS`` with the fake package, from tmp_path/work."""
    work = tmp_path / "work"
    work.mkdir()

    def run(*args: str, stdin: str | None = None):
        return _run(["-m", "torchlike", *args], work, fake_torchlike, stdin)

    run.work = work
    return run


PROBE = """
import json, sys
import torch
lazy_relu = torch.nn.functional.relu(-5)  # torchlike/__init__ does not import nn itself
import torch.nn as nn
import torch.nn.functional as F
from torch import nn as nn2
from torch.nn import functional as F2
import torchlike
print(json.dumps({
    "argv": sys.argv,
    "path0": sys.path[0],
    "file": __file__,
    "name": __name__,
    "torch_name": torch.__name__,
    "torch_is_torchlike": sys.modules["torch"] is torchlike is torch,
    "fake": torch.FAKE,
    "nn": nn is torchlike.nn is nn2 is sys.modules["torch.nn"],
    "F": F is torchlike.nn.functional is F2 is sys.modules["torch.nn.functional"],
    "relu": [F.relu(-3), lazy_relu],
    "main_is_script": sys.modules["__main__"].__dict__ is globals(),
}))
"""


@pytest.mark.parametrize("prefix", [[], ["run"]], ids=["script", "run-script"])
def test_cli_runs_script_as_main_with_torch_alias(cli, tmp_path, prefix):
    script = _write(tmp_path / "scripts" / "probe.py", PROBE)
    result = cli(*prefix, str(script), "--lr", "0.1", "x")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["argv"] == [str(script), "--lr", "0.1", "x"]
    assert out["path0"] == str(script.parent)
    assert out["file"] == str(script)
    assert out["name"] == "__main__"
    assert out["torch_name"] == "torchlike"
    assert out["torch_is_torchlike"] and out["fake"] is True
    assert out["nn"] and out["F"] and out["relu"] == [0, 0]
    assert out["main_is_script"]


def test_cli_relative_script_path_and_sibling_imports(cli):
    scripts = cli.work / "sub"
    _write(scripts / "helper.py", "VALUE = 'sibling'\n")
    _write(
        scripts / "main.py",
        """
        import pickle, sys
        import helper

        class Point:  # picklable only if __main__ is this module
            def __init__(self, x):
                self.x = x

        def f(x: int) -> None: ...

        if __name__ == "__main__":
            assert pickle.loads(pickle.dumps(Point(3))).x == 3
            print(helper.VALUE, sys.argv[0], f.__annotations__["x"] is int)
        """,
    )
    result = cli(os.path.join("sub", "main.py"))
    assert result.returncode == 0, result.stderr
    # argv[0] stays as typed; annotations are not stringified by the runner's __future__ import.
    assert result.stdout.split() == ["sibling", os.path.join("sub", "main.py"), "True"]


@pytest.mark.parametrize(
    ("body", "code", "stderr_end"),
    [
        ("print('ok')", 0, ""),
        ("import sys; sys.exit(3)", 3, ""),
        ("raise SystemExit('fatal: bad config')", 1, "fatal: bad config\n"),
        ("def f():\n    raise ValueError('boom')\nf()", 1, "ValueError: boom\n"),
        ("def (:\n", 1, "SyntaxError: invalid syntax\n"),
    ],
    ids=["ok", "exit3", "exit-message", "exception", "syntax-error"],
)
def test_cli_exit_codes_and_tracebacks(cli, tmp_path, body, code, stderr_end):
    script = _write(tmp_path / "s.py", body + "\n")
    result = cli("run", str(script))
    assert result.returncode == code, result.stderr
    assert result.stderr.endswith(stderr_end)
    if code == 1 and "Error" in stderr_end:
        # Like `python s.py`: the report points into the script, not into the runner.
        assert str(script) in result.stderr
        assert "_cli.py" not in result.stderr and "runpy" not in result.stderr
    if stderr_end == "ValueError: boom\n":
        assert result.stderr.startswith("Traceback (most recent call last):\n")
        assert f'File "{script}", line 3, in <module>' in result.stderr


def test_cli_missing_submodule_and_attribute_messages(cli, tmp_path):
    script = _write(tmp_path / "m.py", "import torch.distributions_xyz\n")
    result = cli(str(script))
    assert result.returncode == 1
    assert result.stderr.rstrip().endswith(
        "ModuleNotFoundError: torchlike does not implement torch.distributions_xyz yet"
    )

    script = _write(
        tmp_path / "a.py",
        """
        import torch.nn.functional as F
        print(hasattr(F, "gelu"), hasattr(F, "relu"))
        F.gelu(1.0)
        """,
    )
    result = cli(str(script))
    assert result.returncode == 1
    assert result.stdout.split() == ["False", "True"]
    # NOTE: Python 3.13's traceback adds its own "Did you mean" hint for attribute errors.
    last = re.sub(r"\. Did you mean: '\w+'\?$", "", result.stderr.rstrip())
    assert last.endswith(
        "NotImplementedInTorchlike: torchlike does not implement torch.nn.functional.gelu yet"
    )

    script = _write(tmp_path / "f.py", "from torch.nn.functional import gelu\n")
    result = cli(str(script))
    assert result.returncode == 1
    assert "ImportError: cannot import name 'gelu'" in result.stderr
    assert "torchlike does not implement torch.nn.functional.gelu yet" in result.stderr


def test_cli_dash_c(cli):
    code = "import sys, torch; print(sys.argv, torch.__name__, torch.FAKE, repr(sys.path[0]))"
    result = cli("run", "-c", code, "a", "b")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['-c', 'a', 'b'] torchlike True ''"

    result = cli("-c", "import torch\ntorch.cuda_xyz")
    assert result.returncode == 1
    assert 'File "<string>", line 2, in <module>' in result.stderr
    assert "does not implement torch.cuda_xyz yet" in result.stderr


def test_cli_dash_m_and_stdin(cli):
    _write(cli.work / "mymod.py", "import sys, torch\nprint(sys.argv[1:], torch.__name__)\n")
    result = cli("-m", "mymod", "--flag")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['--flag'] torchlike"

    result = cli("-m", "no_such_module_xyz")
    assert result.returncode == 1 and "No module named no_such_module_xyz" in result.stderr

    result = cli("-", "q", stdin="import sys, torch\nprint(sys.argv, torch.__name__)\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['-', 'q'] torchlike"


def test_cli_runs_directory_with_dunder_main(cli):
    _write(cli.work / "app" / "__main__.py", "import sys, torch\nprint(sys.argv, torch.__name__)\n")
    result = cli("app", "z")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['app', 'z'] torchlike"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signal exit status")
def test_cli_keyboard_interrupt_exits_like_python(cli, tmp_path):
    script = _write(tmp_path / "k.py", "raise KeyboardInterrupt\n")
    result = cli(str(script))
    assert result.returncode == -2  # killed by SIGINT, as `python k.py` would be
    assert result.stderr.rstrip().endswith("KeyboardInterrupt")
    assert "_cli.py" not in result.stderr


def test_cli_usage_errors(cli, tmp_path):
    result = cli()
    assert result.returncode == 2 and result.stderr.startswith("usage: torchlike")
    result = cli("run")
    assert result.returncode == 2 and "usage: torchlike" in result.stderr
    result = cli("--help")
    assert result.returncode == 0 and result.stdout.startswith("usage: torchlike")
    result = cli("--bogus")
    assert result.returncode == 2 and "unknown option '--bogus'" in result.stderr
    result = cli("-c")
    assert result.returncode == 2 and "argument expected for the -c option" in result.stderr
    missing = tmp_path / "nope.py"
    result = cli(str(missing))
    assert result.returncode == 2
    assert f"can't open file {str(missing)!r}" in result.stderr


# --- end to end, against the real package -------------------------------------------------------


@pytest.fixture(scope="module")
def real_torchlike() -> None:
    result = _run(["-c", "import torchlike"], REPO, REPO)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["?"])[-1]
        pytest.skip(f"`import torchlike` fails (package under construction): {last}")


REAL_PROBE = """
import importlib.util, sys
import torch
import torchlike
assert sys.modules["torch"] is torch is torchlike, torch
assert torch.__name__ == "torchlike"
def exists(name):
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False
checked = ["torch"]
for sub in ["nn", "nn.functional", "optim", "autograd", "utils.data"]:
    if exists("torchlike." + sub):
        module = importlib.import_module("torch." + sub)
        assert module is importlib.import_module("torchlike." + sub)
        checked.append("torch." + sub)
if "torch.nn" in checked:
    import torch.nn as nn
    from torch import nn as nn2
    assert nn is nn2 is torchlike.nn
try:
    import torch.no_such_submodule_xyz
except ModuleNotFoundError as exc:
    assert str(exc) == "torchlike does not implement torch.no_such_submodule_xyz yet", exc
else:
    raise AssertionError("import should fail")
print(" ".join(checked), sys.argv[1:])
"""


@pytest.mark.parametrize(
    "launcher",
    [["-m", "torchlike"], ["-c", "from torchlike._cli import main; raise SystemExit(main())"]],
    ids=["python-m", "console-script"],
)
def test_real_package_alias(real_torchlike, tmp_path, launcher):
    script = _write(tmp_path / "real_probe.py", REAL_PROBE)
    result = _run([*launcher, "run", str(script), "arg"], tmp_path, REPO)
    assert result.returncode == 0, result.stderr
    words = result.stdout.split()
    assert words[0] == "torch" and result.stdout.rstrip().endswith("['arg']")
