"""Make ``import torch`` resolve to torchlike, and report missing torch APIs clearly.

Import alias
    ``install()`` puts a finder at the front of ``sys.meta_path`` that maps ``torch`` and
    ``torch.<sub>`` to ``torchlike`` and ``torchlike.<sub>``: the torchlike module is imported and
    the *same* module object is registered under the torch name, so ``sys.modules['torch'] is
    torchlike`` and ``torch.nn is torchlike.nn``. A torch submodule that torchlike lacks raises
    ``ModuleNotFoundError: torchlike does not implement torch.<sub> yet``. ``uninstall()`` undoes
    it. ``torchlike run script.py`` (see ``torchlike._cli``) installs it before running a script.

Missing attributes
    ``install_module_getattr(globals(), torch_name)`` gives a module a ``__getattr__`` that raises
    ``NotImplementedInTorchlike`` (a subclass of both ``AttributeError`` and
    ``NotImplementedError``) for unknown names, e.g. ``torchlike does not implement
    torch.nn.functional.gelu yet``. ``hasattr()`` stays False. Dunder/sunder names such as
    ``__path__`` or ``_repr_html_`` raise a plain ``AttributeError`` so introspection keeps working.
    Call it as the LAST statement of a module, after every public name is defined (while the module
    is still executing, a premature ``__getattr__`` would hide bugs in its own imports)::

        # bottom of torchlike/__init__.py
        from torchlike._alias import install_module_getattr

        install_module_getattr(globals(), "torch")

        # bottom of torchlike/nn/functional.py
        install_module_getattr(globals(), "torch.nn.functional")

    If the module already defines ``__getattr__``, it is still called first; the torchlike error
    is raised only when it raises ``AttributeError``. In a package, a name that is a submodule not
    imported yet is imported on first access (``torch.nn`` works after a bare ``import torch``).

This module must not import anything from torchlike at top level: ``torchlike/__init__.py``
imports it.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Callable, MutableMapping, Sequence
from typing import Any

__all__ = [
    "AliasFinder",
    "NotImplementedInTorchlike",
    "install",
    "install_module_getattr",
    "is_installed",
    "missing_attribute",
    "uninstall",
]

# Module attributes that importlib's ``module_from_spec`` may overwrite on the aliased module.
_IMPORT_DUNDERS = ("__spec__", "__loader__", "__package__", "__path__", "__file__", "__cached__")
_ABSENT = object()


class NotImplementedInTorchlike(AttributeError, NotImplementedError):
    """A torch API that torchlike does not provide (yet).

    It is an ``AttributeError`` so ``hasattr()``/``getattr(obj, name, default)`` behave as for any
    missing attribute, and a ``NotImplementedError`` so it can be caught as "not supported".
    """


def missing_attribute(
    module_torch_name: str, attr: str, *, obj: object = None
) -> NotImplementedInTorchlike:
    """Return (do not raise) the error for ``<module_torch_name>.<attr>`` missing in torchlike."""
    return NotImplementedInTorchlike(
        f"torchlike does not implement {module_torch_name}.{attr} yet", name=attr, obj=obj
    )


def _is_special_name(name: str) -> bool:
    # Dunders (__path__, __wrapped__, __torch_function__...) and sunders (_repr_html_,
    # _ipython_canary_method_should_not_exist_) are probed by tools, not torch APIs.
    return len(name) > 1 and name.startswith("_") and name.endswith("_")


def install_module_getattr(
    globals_dict: MutableMapping[str, Any], torch_name: str | None = None
) -> Callable[[str], Any]:
    """Install a module ``__getattr__`` that raises ``NotImplementedInTorchlike`` for unknown names.

    ``torch_name`` is the torch-side module name used in messages (``"torch.nn"``); by default it
    is derived from the module's ``__name__`` (``torchlike.nn`` -> ``torch.nn``). An existing
    module ``__getattr__`` is kept and consulted first. In a package, a name that is a submodule
    not imported yet is imported and returned. Returns the installed function.
    """
    module_name = globals_dict.get("__name__", "?")
    if torch_name is None:
        torch_name = _torch_name_for(module_name)
    previous = globals_dict.get("__getattr__")
    # Re-installing must not stack our own hooks; keep the user-defined one underneath.
    previous = getattr(previous, "_torchlike_previous", previous)

    def __getattr__(name: str) -> Any:
        if previous is not None:
            try:
                return previous(name)
            except NotImplementedInTorchlike:
                raise
            except AttributeError:
                pass
        module = sys.modules.get(module_name)
        if _is_special_name(name):
            raise AttributeError(
                f"module {module_name!r} has no attribute {name!r}", name=name, obj=module
            )
        is_package = "__path__" in globals_dict
        if is_package and "." not in name and _submodule_exists(f"{module_name}.{name}"):
            # `import torch; torch.nn.Linear` works in torch, which imports its submodules eagerly.
            return importlib.import_module(f"{module_name}.{name}")
        raise missing_attribute(torch_name, name, obj=module)

    __getattr__._torchlike_previous = previous  # type: ignore[attr-defined]
    __getattr__.__qualname__ = "__getattr__"
    globals_dict["__getattr__"] = __getattr__
    return __getattr__


def _submodule_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _torch_name_for(module_name: str) -> str:
    if module_name == "torchlike" or module_name.startswith("torchlike."):
        return "torch" + module_name[len("torchlike") :]
    return module_name


def _within(name: str, root: str) -> bool:
    return name == root or name.startswith(root + ".")


class _AliasLoader(importlib.abc.Loader):
    """Loads ``<source>.x`` by importing ``<target>.x`` and returning that same module object."""

    def __init__(self, finder: AliasFinder) -> None:
        self._finder = finder

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        state = spec.loader_state
        module = state["module"]
        if module is None:
            module = importlib.import_module(state["target"])
        # module_from_spec() will stamp our alias spec/loader onto the module; undone below.
        state["saved"] = {key: module.__dict__.get(key, _ABSENT) for key in _IMPORT_DUNDERS}
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        spec = module.__spec__
        saved = spec.loader_state.pop("saved", {}) if spec is not None else {}
        for key, value in saved.items():
            if value is _ABSENT:
                module.__dict__.pop(key, None)
            else:
                module.__dict__[key] = value
        if spec is not None:
            self._finder.aliased[spec.name] = module


class AliasFinder(importlib.abc.MetaPathFinder):
    """``sys.meta_path`` finder mapping ``source`` and ``source.*`` to ``target`` and ``target.*``.

    It must come before the path finders: an aliased package's ``__path__`` is the target's
    directory, so a plain path finder would load target files a second time under source names.
    """

    def __init__(self, source: str = "torch", target: str = "torchlike") -> None:
        if not source or not target or _within(target, source) or _within(source, target):
            raise ValueError(f"cannot alias {source!r} to {target!r}")
        self.source = source
        self.target = target
        # source-side name -> module object, for modules this finder put in sys.modules
        self.aliased: dict[str, types.ModuleType] = {}
        self._loader = _AliasLoader(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.source!r} -> {self.target!r})"

    def target_name(self, fullname: str) -> str:
        """Translate a source-side module name to the target-side name."""
        return self.target + fullname[len(self.source) :]

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        """Return an alias spec for ``source[.x]``; raise ModuleNotFoundError if target lacks it."""
        if not _within(fullname, self.source):
            return None
        target_name = self.target_name(fullname)
        module, found = self._locate(target_name)
        if not found:
            if fullname == self.source:
                raise ModuleNotFoundError(
                    f"cannot alias {self.source!r}: no module named {self.target!r}", name=fullname
                )
            raise ModuleNotFoundError(
                f"{self.target} does not implement {fullname} yet", name=fullname
            )
        return importlib.machinery.ModuleSpec(
            fullname,
            self._loader,
            origin=None,
            loader_state={"target": target_name, "module": module},
        )

    @staticmethod
    def _locate(target_name: str) -> tuple[types.ModuleType | None, bool]:
        """Return (module if already available, whether ``target_name`` exists)."""
        module = sys.modules.get(target_name)
        if module is not None:
            return module, True
        try:
            if importlib.util.find_spec(target_name) is not None:
                return None, True
        except (ImportError, ValueError):
            pass
        # A submodule may be a plain attribute (a ModuleType built in code, not a file).
        parent_name, _, child = target_name.rpartition(".")
        parent = sys.modules.get(parent_name) if parent_name else None
        candidate = parent.__dict__.get(child) if parent is not None else None
        if isinstance(candidate, types.ModuleType):
            return candidate, True
        return None, False


def _find_installed(source: str) -> AliasFinder | None:
    for finder in sys.meta_path:
        if isinstance(finder, AliasFinder) and finder.source == source:
            return finder
    return None


def is_installed(source: str = "torch") -> bool:
    """Whether an alias for ``source`` is on ``sys.meta_path``."""
    return _find_installed(source) is not None


def install(source: str = "torch", target: str = "torchlike") -> AliasFinder:
    """Make ``import <source>[.x]`` import ``<target>[.x]``. Idempotent; returns the finder.

    Raises RuntimeError if ``source`` is already imported as a different module (e.g. the real
    torch), since ``import torch`` would keep returning it.
    """
    existing = _find_installed(source)
    if existing is not None:
        if existing.target != target:
            raise RuntimeError(f"{source!r} is already aliased to {existing.target!r}")
        return existing
    finder = AliasFinder(source, target)
    loaded = sys.modules.get(source)
    if loaded is not None and getattr(loaded, "__name__", None) != target:
        raise RuntimeError(
            f"cannot alias {source!r} to {target!r}: {source!r} is already imported "
            f"({getattr(loaded, '__file__', loaded)!r}); install the alias before importing it"
        )
    sys.meta_path.insert(0, finder)
    return finder


def uninstall(source: str = "torch") -> None:
    """Remove the alias for ``source`` and the ``sys.modules`` entries it created. Idempotent."""
    while (finder := _find_installed(source)) is not None:
        sys.meta_path.remove(finder)
        for name, module in finder.aliased.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        finder.aliased.clear()
