"""Layers and losses as Modules."""

from __future__ import annotations

from .activation import *
from .activation import __all__ as _activation_all
from .batchnorm import *
from .batchnorm import __all__ as _batchnorm_all
from .container import *
from .container import __all__ as _container_all
from .conv import *
from .conv import __all__ as _conv_all
from .distance import CosineSimilarity, PairwiseDistance
from .dropout import *
from .dropout import __all__ as _dropout_all
from .flatten import Flatten, Unflatten
from .instancenorm import *
from .instancenorm import __all__ as _instancenorm_all
from .lazy import LazyModuleMixin
from .linear import Bilinear, Identity, LazyLinear, Linear
from .loss import *
from .loss import __all__ as _loss_all
from .module import Module
from .normalization import *
from .normalization import __all__ as _normalization_all
from .pooling import *
from .pooling import __all__ as _pooling_all
from .rnn import *
from .rnn import __all__ as _rnn_all
from .sparse import Embedding, EmbeddingBag
from .transformer import *
from .transformer import __all__ as _transformer_all

__all__ = ["Module", "CosineSimilarity", "PairwiseDistance", "Flatten", "Unflatten",
           "LazyModuleMixin", "Bilinear", "Identity", "LazyLinear", "Linear", "Embedding",
           "EmbeddingBag", *_activation_all, *_container_all, *_loss_all, *_dropout_all,
           *_instancenorm_all]  # fmt: skip
__all__ += [*_batchnorm_all, *_conv_all, *_normalization_all, *_pooling_all, *_rnn_all,
            *_transformer_all]  # fmt: skip
