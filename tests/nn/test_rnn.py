"""RNN, GRU, LSTM and their cells against torch with copied weights: outputs, final states,
grad_fn names, input and parameter gradients, parameter names and repr."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike as tl
from tests._ci import ci_sample
from tests._parity import assert_same
from tests.nn._layer_check import run_module

# fmt: off
RNNS = {
    "rnn": (lambda m: m.nn.RNN(3, 4), (5, 2, 3)),
    "rnn_relu_2layer_bidir": (lambda m: m.nn.RNN(3, 4, 2, nonlinearity="relu",
                                                 bidirectional=True), (4, 2, 3)),
    "gru_batch_first": (lambda m: m.nn.GRU(3, 4, batch_first=True), (2, 5, 3)),
    "gru_2layer_bidir": (lambda m: m.nn.GRU(3, 4, num_layers=2, bidirectional=True), (4, 2, 3)),
    "lstm": (lambda m: m.nn.LSTM(3, 4), (5, 2, 3)),
    "lstm_2layer_bidir_bf": (lambda m: m.nn.LSTM(3, 4, 2, batch_first=True, bidirectional=True),
                             (2, 4, 3)),
    "lstm_nobias_unbatched": (lambda m: m.nn.LSTM(3, 4, bias=False), (5, 3)),
    "rnn_cell": (lambda m: m.nn.RNNCell(3, 4), (2, 3)),
    "rnn_cell_relu": (lambda m: m.nn.RNNCell(3, 4, nonlinearity="relu"), (3,)),
    "gru_cell": (lambda m: m.nn.GRUCell(3, 4), (2, 3)),
    "lstm_cell": (lambda m: m.nn.LSTMCell(3, 4, bias=False), (2, 3)),
}
# fmt: on


@pytest.mark.parametrize("name", ci_sample(sorted(RNNS), 2))  # CI: half; slow: all
def test_rnn_against_torch(name):
    ctor, shape = RNNS[name]
    run_module(ctor, shape)


def test_initial_states_float32():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 2, 3)).astype("float32")
    h0 = rng.standard_normal((4, 2, 4)).astype("float32")
    c0 = rng.standard_normal((4, 2, 4)).astype("float32")
    res = {}
    for m in (torch, tl):
        torch.manual_seed(0)
        net = m.nn.LSTM(3, 4, num_layers=2, bidirectional=True)
        if m is tl:
            with tl.no_grad():
                for name, p in net.named_parameters():
                    p.copy_(tl.from_numpy(res[torch][2][name]))
        xs = m.from_numpy(x.copy()).requires_grad_()
        out, (h, c) = net(xs, (m.from_numpy(h0.copy()), m.from_numpy(c0.copy())))
        (out.sum() + h.sum() * 2 + c.sum() * 3).backward()
        params = {n: p.detach().numpy().copy() for n, p in net.named_parameters()}
        grads = {n: p.grad.numpy().copy() for n, p in net.named_parameters()}
        res[m] = ([out, h, c, xs.grad], grads, params)
    for a, b in zip(res[tl][0], res[torch][0], strict=True):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-4, atol=1e-5)
    for n, g in res[torch][1].items():
        np.testing.assert_allclose(res[tl][1][n], g, rtol=1e-4, atol=1e-5, err_msg=n)


def test_parameter_names_repr_and_errors():
    assert_same("""
        nn = torch.nn
        for m in (nn.RNN(3, 4), nn.RNN(3, 4, 2, nonlinearity='relu', bias=False),
                  nn.GRU(3, 5, batch_first=True, bidirectional=True, num_layers=2, dropout=0.25),
                  nn.LSTM(2, 3, bidirectional=True), nn.RNNCell(2, 3, nonlinearity='relu'),
                  nn.GRUCell(2, 3, bias=False), nn.LSTMCell(2, 3)):
            print(m, [(n, tuple(p.shape)) for n, p in m.named_parameters()])
        m = nn.LSTM(3, 4)
        for f in (lambda: m(torch.ones(2, 1, 5)),
                  lambda: m(torch.ones(2, 1, 3), (torch.ones(2, 1, 4), torch.ones(1, 1, 4))),
                  lambda: nn.GRU(3, 4, dropout=0.5)):
            try:
                f()
            except Exception as e:
                print(type(e).__name__, e)
    """)


def test_default_init_bounds():
    tl.manual_seed(0)  # the draws must not depend on which tests ran before
    m = tl.nn.LSTM(8, 16)
    bound = 1 / 4
    for _, p in m.named_parameters():
        a = p.detach().numpy()
        assert np.abs(a).max() <= bound and np.abs(a).max() > 0.9 * bound
        # U(-b, b) mean of n draws: std b / sqrt(3 n); allow 4 of those (64-element biases too)
        assert abs(a.mean()) < 4 * bound / np.sqrt(3 * a.size)
