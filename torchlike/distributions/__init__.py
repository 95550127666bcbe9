"""``torchlike.distributions``: probability distributions with sampling and log-densities
(a subset of ``torch.distributions``). Samples come from torchlike's generator."""

from __future__ import annotations

from . import bernoulli, categorical, constraints, distribution, multinomial, normal, uniform
from .bernoulli import Bernoulli
from .categorical import Categorical
from .distribution import Distribution
from .multinomial import Multinomial
from .normal import Normal
from .uniform import Uniform

__all__ = ["Distribution", "Bernoulli", "Categorical", "Multinomial", "Normal", "Uniform",
           "bernoulli", "categorical", "constraints", "distribution", "multinomial", "normal",
           "uniform"]  # fmt: skip

from torchlike._alias import install_module_getattr

install_module_getattr(globals(), "torch.distributions")
