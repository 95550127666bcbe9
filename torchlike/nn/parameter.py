"""``Parameter``: a Tensor that a Module registers as one of its parameters."""

from __future__ import annotations

from .. import _dtype as D
from .._creation import empty
from .._tensor import Tensor

__all__ = ["Parameter", "UninitializedParameter", "UninitializedBuffer", "is_lazy"]


_SLOTS = tuple(s for s in Tensor.__slots__ if s != "__weakref__")


def _share(cls, data: Tensor, requires_grad: bool):
    """A ``cls`` instance sharing ``data``'s storage (and version counter), outside the graph."""
    if requires_grad and data._dtype._cat < D._FLOAT:
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    alias = data.detach()
    t = object.__new__(cls)
    for slot in _SLOTS:
        object.__setattr__(t, slot, getattr(alias, slot, None))
    t.requires_grad = requires_grad
    return t


def _share_empty(cls, requires_grad: bool, device, dtype):
    """A ``cls`` instance over no data yet (an uninitialized parameter or buffer)."""
    return _share(cls, empty(0, dtype=dtype or D.get_default_dtype(), device=device),
                  requires_grad)  # fmt: skip


class Parameter(Tensor):
    """A Tensor that is a module parameter: assigning one as a Module attribute registers it.

    >>> p = torchlike.nn.Parameter(torchlike.ones(2))
    >>> p
    Parameter containing:
    tensor([1., 1.], requires_grad=True)

    Operations on a Parameter return plain Tensors.
    """

    __slots__ = ()

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True):
        if data is None:
            data = empty(0)
        return _share(cls, data, requires_grad)

    def __init__(self, *args, **kwargs):
        pass

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        from .._functions import clone

        result = type(self)(clone(self.data), self.requires_grad)
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, protocol):
        return (Parameter, (self.data, self.requires_grad))


class _UninitializedMixin:
    """A parameter or buffer with no data yet (lazy modules fill it on their first call)."""

    __slots__ = ()
    cls_to_become: type = Tensor

    def materialize(self, shape, device=None, dtype=None) -> None:
        """Give the tensor data of ``shape`` and turn it into ``cls_to_become``."""
        dtype = dtype or self._dtype
        data = empty(*shape, dtype=dtype, device=device)
        self._storage, self._dtype = data._storage, data._dtype
        self._vc = None
        self.__class__ = self.cls_to_become

    @property
    def shape(self):
        raise RuntimeError(
            "Can't access the shape of an uninitialized parameter or buffer. This error usually "
            "happens in `load_state_dict` when trying to load an uninitialized parameter into an "
            "initialized one. Call `forward` to initialize the parameters before accessing their "
            "attributes."
        )

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}>"

    __str__ = __repr__


class UninitializedParameter(_UninitializedMixin, Parameter):
    """A Parameter whose shape is not known yet (see ``LazyLinear``)."""

    __slots__ = ()
    cls_to_become = Parameter

    def __new__(cls, requires_grad: bool = True, device=None, dtype=None):
        return _share_empty(cls, requires_grad, device, dtype)

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = memo[id(self)] = type(self)(self.requires_grad, None, self._dtype)
        return result


class UninitializedBuffer(_UninitializedMixin, Tensor):
    """A buffer whose shape is not known yet."""

    __slots__ = ()
    cls_to_become = Tensor

    def __new__(cls, requires_grad: bool = False, device=None, dtype=None):
        return _share_empty(cls, requires_grad, device, dtype)


def is_lazy(param) -> bool:
    """True for an uninitialized (lazy) parameter or buffer."""
    return isinstance(param, _UninitializedMixin)
