"""torchlike.optim: PyTorch's optimizers and learning-rate schedulers.

Each optimizer is a stateful shell (``param_groups``, ``state``, state dicts, hooks) around a
pure jitted update over jax arrays (``_functional.py``); the update writes the new values into
the parameters' storages in place, so every alias sees them.
"""

from __future__ import annotations

from . import lr_scheduler
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamw import AdamW
from .lbfgs import LBFGS
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Adadelta", "Adagrad", "Adam", "AdamW", "LBFGS", "Optimizer", "RMSprop", "SGD",
           "lr_scheduler"]  # fmt: skip
