"""Recurrent layers: RNN, GRU, LSTM (multi-layer, bidirectional) and their cells. Each layer and
direction runs as one op whose kernel is a ``jax.lax.scan`` over time."""

from __future__ import annotations

import math
import numbers
import warnings

from ... import _dtype as D
from ..._creation import empty, zeros
from ..._dispatch import call
from ..._functions import squeeze, tanh, unsqueeze
from ..._ops import TABLE as T
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["RNNBase", "RNN", "GRU", "LSTM", "RNNCell", "GRUCell", "LSTMCell"]

_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}


class RNNBase(Module):
    """Shared constructor, parameters (``weight_ih_l0``, ``weight_hh_l0_reverse``...) and the
    layer/direction loop of RNN, GRU and LSTM."""

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, proj_size=0, device=None,
                 dtype=None):  # fmt: skip
        super().__init__()
        self.mode = mode
        self.input_size, self.hidden_size = input_size, hidden_size
        self.num_layers, self.bias, self.batch_first = num_layers, bias, batch_first
        self.dropout, self.bidirectional, self.proj_size = float(dropout), bidirectional, proj_size
        if (not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1
                or isinstance(dropout, bool)):  # fmt: skip
            raise ValueError("dropout should be a number in range [0, 1] representing the "
                             "probability of an element being zeroed")  # fmt: skip
        if not isinstance(hidden_size, int):
            raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size:
            raise NotImplementedError("torchlike: proj_size is not supported")
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                "dropout option adds dropout after all but last recurrent layer, so non-zero "
                "dropout expects num_layers greater than 1, but got "
                f"dropout={dropout} and num_layers={num_layers}", stacklevel=2,
            )  # fmt: skip
        gate = _GATES[mode] * hidden_size
        ndir = 2 if bidirectional else 1
        kw = {"dtype": dtype or D.get_default_dtype(), "device": device}
        self._flat_weights_names = []
        for layer in range(num_layers):
            for d in range(ndir):
                in_size = input_size if layer == 0 else hidden_size * ndir
                sfx = f"_l{layer}" + ("_reverse" if d else "")
                shapes = [("weight_ih", (gate, in_size)), ("weight_hh", (gate, hidden_size))]
                if bias:
                    shapes += [("bias_ih", (gate,)), ("bias_hh", (gate,))]
                for name, shape in shapes:
                    setattr(self, name + sfx, Parameter(empty(*shape, **kw)))
                    self._flat_weights_names.append(name + sfx)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for w in self.parameters():
            init.uniform_(w, -stdv, stdv)

    @property
    def all_weights(self):
        return [[getattr(self, n) for n in self._flat_weights_names[i:i + (4 if self.bias else 2)]]
                for i in range(0, len(self._flat_weights_names), 4 if self.bias else 2)]

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if self.num_layers != 1:
            s += ", num_layers={num_layers}"
        if self.bias is not True:
            s += ", bias={bias}"
        if self.batch_first is not False:
            s += ", batch_first={batch_first}"
        if self.dropout != 0:
            s += ", dropout={dropout}"
        if self.bidirectional is not False:
            s += ", bidirectional={bidirectional}"
        return s.format(**self.__dict__)

    def _layer_params(self, layer, d):
        sfx = f"_l{layer}" + ("_reverse" if d else "")
        names = ["weight_ih", "weight_hh"] + (["bias_ih", "bias_hh"] if self.bias else [])
        return [getattr(self, n + sfx) for n in names]

    def forward(self, input, hx=None):
        lstm = self.mode == "LSTM"
        if input.dim() not in (2, 3):
            raise ValueError(f"{type(self).__name__}: Expected input to be 2D or 3D, got "
                             f"{input.dim()}D input instead")  # fmt: skip
        unbatched = input.dim() == 2
        if unbatched:
            input = unsqueeze(input, 1)  # NOTE: time-major inside; batch_first is moot here
            if hx is not None:
                hx = tuple(unsqueeze(h, 1) for h in hx) if lstm else unsqueeze(hx, 1)
        elif self.batch_first:
            input = call(T["layer_swap01"], input, name="TransposeBackward0")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected "
                               f"{self.input_size}, got {input.shape[-1]}")  # fmt: skip
        ndir = 2 if self.bidirectional else 1
        n = input.shape[1]
        expect = (self.num_layers * ndir, n, self.hidden_size)
        if hx is None:
            h0 = zeros(*expect, dtype=input.dtype)
            hx = (h0, zeros(*expect, dtype=input.dtype)) if lstm else h0
        for k, h in enumerate(hx if lstm else (hx,)):
            if tuple(h.shape) != expect:
                what = f"hidden[{k}]" if lstm else "hidden"
                raise RuntimeError(f"Expected {what} size {expect}, got {list(h.shape)}")
        mode = {"RNN_TANH": "tanh", "RNN_RELU": "relu", "GRU": "gru"}.get(self.mode)
        x = input
        hs, cs = [], []
        for layer in range(self.num_layers):
            outs = []
            for d in range(ndir):
                i = layer * ndir + d
                params = self._layer_params(layer, d)
                if lstm:
                    y, h, c = call(T["lstm_layer"], x, hx[0][i], hx[1][i], *params, reverse=d == 1)
                    cs.append(c)
                else:
                    y, h = call(T["rnn_layer"], x, hx[i], *params, mode=mode, reverse=d == 1)
                hs.append(h)
                outs.append(y)
            x = outs[0] if ndir == 1 else call(T["layer_cat"], *outs, axis=-1)
            if self.dropout and self.training and layer < self.num_layers - 1:
                from .. import functional as F

                x = F.dropout(x, self.dropout, True)
        h_n = call(T["layer_stack"], *hs)
        state = (h_n, call(T["layer_stack"], *cs)) if lstm else h_n
        if unbatched:
            x = squeeze(x, 1)
            state = tuple(squeeze(s, 1) for s in state) if lstm else squeeze(state, 1)
        elif self.batch_first:
            x = call(T["layer_swap01"], x,
                     name="TransposeBackward0" if lstm else "TransposeBackward1")  # fmt: skip
        return x, state


class RNN(RNNBase):
    """Elman RNN: ``h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)`` (or relu)."""

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, device=None,
                 dtype=None):  # fmt: skip
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or "
                             "'relu'.")  # fmt: skip
        self.nonlinearity = nonlinearity
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size,
                         hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         device=device, dtype=dtype)  # fmt: skip


class GRU(RNNBase):
    """Gated recurrent unit layers (gates r, z, n as torch orders them)."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, device=None, dtype=None):  # fmt: skip
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, device=device, dtype=dtype)  # fmt: skip


class LSTM(RNNBase):
    """Long short-term memory layers (gates i, f, g, o); returns ``output, (h_n, c_n)``."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, proj_size=0, device=None,
                 dtype=None):  # fmt: skip
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, proj_size, device=device, dtype=dtype)  # fmt: skip


# -- cells ----------------------------------------------------------------------------------------
class RNNCellBase(Module):
    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        kw = {"dtype": dtype or D.get_default_dtype(), "device": device}
        self.weight_ih = Parameter(empty(num_chunks * hidden_size, input_size, **kw))
        self.weight_hh = Parameter(empty(num_chunks * hidden_size, hidden_size, **kw))
        if bias:
            self.bias_ih = Parameter(empty(num_chunks * hidden_size, **kw))
            self.bias_hh = Parameter(empty(num_chunks * hidden_size, **kw))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if "bias" in self.__dict__ and self.bias is not True:
            s += ", bias={bias}"
        if "nonlinearity" in self.__dict__ and self.nonlinearity != "tanh":
            s += ", nonlinearity={nonlinearity}"
        return s.format(**self.__dict__)

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for w in self.parameters():
            init.uniform_(w, -stdv, stdv)

    def _prepare(self, input, hx, n_state):
        if input.dim() not in (1, 2):
            raise ValueError(f"{type(self).__name__}: Expected input to be 1D or 2D, got "
                             f"{input.dim()}D instead")  # fmt: skip
        unbatched = input.dim() == 1
        if unbatched:
            input = unsqueeze(input, 0)
        if hx is None:
            z = zeros(input.shape[0], self.hidden_size, dtype=input.dtype)
            hx = (z, z) if n_state == 2 else z
        elif unbatched:
            hx = tuple(unsqueeze(h, 0) for h in hx) if n_state == 2 else unsqueeze(hx, 0)
        return input, hx, unbatched

    def _gates(self, x, h):
        from .. import functional as F

        return F.linear(x, self.weight_ih, self.bias_ih), F.linear(h, self.weight_hh, self.bias_hh)


class RNNCell(RNNCellBase):
    """One Elman RNN step."""

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None,
                 dtype=None):  # fmt: skip
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        from .. import functional as F

        x, h, unbatched = self._prepare(input, hx, 1)
        gi, gh = self._gates(x, h)
        out = tanh(gi + gh) if self.nonlinearity == "tanh" else F.relu(gi + gh)
        return squeeze(out, 0) if unbatched else out


class GRUCell(RNNCellBase):
    """One GRU step."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)

    def forward(self, input, hx=None):
        from .. import functional as F

        x, h, unbatched = self._prepare(input, hx, 1)
        gi, gh = self._gates(x, h)
        H = self.hidden_size
        r = F.sigmoid(gi[:, :H] + gh[:, :H])
        z = F.sigmoid(gi[:, H:2 * H] + gh[:, H:2 * H])
        n = tanh(gi[:, 2 * H:] + r * gh[:, 2 * H:])
        out = n + z * (h - n)
        return squeeze(out, 0) if unbatched else out


class LSTMCell(RNNCellBase):
    """One LSTM step; returns ``(h', c')``."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input, hx=None):
        from .. import functional as F

        x, (h, c), unbatched = self._prepare(input, hx, 2)
        gi, gh = self._gates(x, h)
        g = gi + gh
        H = self.hidden_size
        i, f = F.sigmoid(g[:, :H]), F.sigmoid(g[:, H:2 * H])
        cell, o = tanh(g[:, 2 * H:3 * H]), F.sigmoid(g[:, 3 * H:])
        c = f * c + i * cell
        h = o * tanh(c)
        return (squeeze(h, 0), squeeze(c, 0)) if unbatched else (h, c)
