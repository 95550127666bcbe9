"""Snippets in the style of the 60-minute blitz and d2l's preliminaries, printed the same as torch:
model printing, parameter shapes, optimizer printing, shapes through layers, and a short training
loop from identical weights (set with ``torch.arange``-built values, not from the RNG)."""

from __future__ import annotations

import pytest

from tests._parity import assert_same

SNIPPETS = {
    "blitz_net": """
        nn, F = torch.nn, torch.nn.functional

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv1 = nn.Conv2d(1, 6, 5)
                self.conv2 = nn.Conv2d(6, 16, 5)
                self.fc1 = nn.Linear(16 * 5 * 5, 120)
                self.fc2 = nn.Linear(120, 84)
                self.fc3 = nn.Linear(84, 10)

            def forward(self, x):
                x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
                x = F.max_pool2d(F.relu(self.conv2(x)), 2)
                x = torch.flatten(x, 1)
                x = F.relu(self.fc1(x))
                x = F.relu(self.fc2(x))
                return self.fc3(x)

        net = Net()
        print(net)
        params = list(net.parameters())
        print(len(params), params[0].size())
        with torch.no_grad():
            for i, p in enumerate(net.parameters()):
                p.copy_(torch.linspace(-0.05, 0.05, p.numel()).reshape(p.shape) * (1 + i % 3))
        inp = torch.linspace(-1, 1, 32 * 32).reshape(1, 1, 32, 32)
        out = net(inp)
        print(out.shape, out.grad_fn)
        net.zero_grad()
        out.backward(torch.full((1, 10), 0.1))
        print(net.conv1.bias.grad.shape, net.conv1.bias.grad.abs().sum() > 0)
        target = torch.arange(10.).view(1, -1)
        criterion = nn.MSELoss()
        loss = criterion(out, target)
        print(loss.grad_fn, loss.grad_fn.next_functions[0][0])
        optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
        print(optimizer)
        for _ in range(3):
            optimizer.zero_grad()
            loss = criterion(net(inp), target)
            loss.backward()
            optimizer.step()
            # five significant digits: float32 holds about seven, and XLA's and oneDNN's
            # convolutions sum in different orders (7955.2749 vs 7955.2759 is 2 ulp)
            print(f"{loss.item():.5g}")
    """,
    "d2l_preliminaries": """
        x = torch.arange(12, dtype=torch.float32)
        print(x, x.numel(), x.shape)
        X = x.reshape(3, 4)
        print(X, torch.zeros((2, 3, 4)).shape, torch.ones((2, 3, 4)).sum())
        print(torch.tensor([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]]))
        print(X[-1], X[1:3])
        X[1, 2] = 17
        X[:2, :] = 12
        print(X)
        y = torch.tensor([2.0, 2, 2, 2])
        x2 = torch.tensor([1.0, 2, 4, 8])
        print(x2 + y, x2 - y, x2 * y, x2 / y, x2 ** y, torch.exp(x2))
        Y = torch.tensor([[2.0, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
        print(torch.cat((X, Y), dim=0), torch.cat((X, Y), dim=1))
        print(X == Y, X.sum())
        a = torch.arange(3).reshape((3, 1))
        b = torch.arange(2).reshape((1, 2))
        print(a + b)
        before = id(Y)
        Y = Y + X
        print(id(Y) == before)
        Z = torch.zeros_like(Y)
        Z[:] = X + Y
        before = id(X)
        X += Y
        print(id(X) == before, Z)
        A = X.numpy()
        B = torch.from_numpy(A)
        print(type(A), type(B))
        c = torch.tensor([3.5])
        print(c, c.item(), float(c), int(c))
        A = torch.arange(20, dtype=torch.float32).reshape(5, 4)
        B = A.clone()
        print(A.T, A * B, A.sum(axis=0), A.sum(axis=[0, 1]), A.mean(), A.sum() / A.numel())
        print(A.mean(axis=0), A.sum(axis=1, keepdims=True), A.cumsum(axis=0))
        x = torch.arange(4, dtype=torch.float32)
        print(torch.dot(x, torch.ones(4)), torch.mv(A, x), torch.mm(A, torch.ones(4, 3)))
        u = torch.tensor([3.0, -4.0])
        print(torch.norm(u), torch.abs(u).sum(), torch.norm(torch.ones((4, 9))))
    """,
    "d2l_softmax_and_masks": """
        X = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        def softmax(X):
            X_exp = torch.exp(X)
            partition = X_exp.sum(1, keepdim=True)
            return X_exp / partition
        print(softmax(X), softmax(X).sum(1))
        y = torch.tensor([0, 2])
        y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
        print(y_hat[[0, 1], y], -torch.log(y_hat[range(len(y_hat)), y]))
        print((y_hat.argmax(axis=1).type(y.dtype) == y).float().sum())
        def masked_softmax(X, valid_lens):
            shape = X.shape
            if valid_lens.dim() == 1:
                valid_lens = torch.repeat_interleave(valid_lens, shape[1])
            else:
                valid_lens = valid_lens.reshape(-1)
            X = X.reshape(-1, shape[-1])
            maxlen = X.size(1)
            mask = torch.arange((maxlen), dtype=torch.float32)[None, :] < valid_lens[:, None]
            X[~mask] = -1e6
            return torch.nn.functional.softmax(X.reshape(shape), dim=-1)
        print(masked_softmax(torch.linspace(0, 1, 16).reshape(2, 2, 4), torch.tensor([2, 3])))
        print(torch.bmm(torch.ones((2, 1, 4)), torch.ones((2, 4, 6))).shape)
    """,
}



SNIPPETS.update({
    "learn_the_basics": """
        nn = torch.nn
        data = [[1, 2], [3, 4]]
        x_data = torch.tensor(data)
        x_ones = torch.ones_like(x_data)
        x_rand = torch.rand_like(x_data, dtype=torch.float)
        print(x_data, x_ones, x_rand.shape, x_rand.dtype)
        shape = (2, 3,)
        print(torch.ones(shape), torch.zeros(shape))
        tensor = torch.ones(4, 4)
        print(f"Shape of tensor: {tensor.shape}")
        print(f"Datatype of tensor: {tensor.dtype}")
        print(f"Device tensor is stored on: {tensor.device}")
        print(f"First row: {tensor[0]}")
        print(f"First column: {tensor[:, 0]}")
        print(f"Last column: {tensor[..., -1]}")
        tensor[:, 1] = 0
        print(tensor)
        t1 = torch.cat([tensor, tensor, tensor], dim=1)
        print(t1)
        y1 = tensor @ tensor.T
        y2 = tensor.matmul(tensor.T)
        y3 = torch.rand_like(y1)
        torch.matmul(tensor, tensor.T, out=y3)
        z1 = tensor * tensor
        z3 = torch.rand_like(tensor)
        torch.mul(tensor, tensor, out=z3)
        print(y1, y3, z1, z3)
        agg = tensor.sum()
        agg_item = agg.item()
        print(agg_item, type(agg_item))
        print(f"{tensor} \\n")
        tensor.add_(5)
        print(tensor)
        t = torch.ones(5)
        n = t.numpy()
        print(f"t: {t}", f"n: {n}")

        class NeuralNetwork(nn.Module):
            def __init__(self):
                super().__init__()
                self.flatten = nn.Flatten()
                self.linear_relu_stack = nn.Sequential(
                    nn.Linear(28*28, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                    nn.Linear(512, 10),
                )

            def forward(self, x):
                x = self.flatten(x)
                return self.linear_relu_stack(x)

        model = NeuralNetwork()
        print(model)
        X = torch.rand(1, 28, 28)
        logits = model(X)
        pred_probab = nn.Softmax(dim=1)(logits)
        print(pred_probab.shape, pred_probab.sum().item() > 0.99, logits.grad_fn)
        for name, param in model.named_parameters():
            print(f"Layer: {name} | Size: {param.size()}")
        input_image = torch.rand(3, 28, 28)
        flat_image = nn.Flatten()(input_image)
        print(flat_image.size())
        layer1 = nn.Linear(in_features=28*28, out_features=20)
        hidden1 = layer1(flat_image)
        print(hidden1.size(), nn.ReLU()(hidden1).min() >= 0)
        x = torch.ones(5)
        y = torch.zeros(3)
        w = torch.linspace(-1, 1, 15).reshape(5, 3).requires_grad_()
        b = torch.linspace(0, 1, 3).requires_grad_()
        z = torch.matmul(x, w) + b
        loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
        print(f"Gradient function for z = {z.grad_fn}")
        print(f"Gradient function for loss = {loss.grad_fn}")
        loss.backward()
        print(w.grad, b.grad)
        with torch.no_grad():
            z = torch.matmul(x, w) + b
        print(z.requires_grad)
        z_det = (torch.matmul(x, w) + b).detach()
        print(z_det.requires_grad)
        inp = torch.eye(4, 5, requires_grad=True)
        out = (inp + 1).pow(2).t()
        out.backward(torch.ones_like(out), retain_graph=True)
        print(f"First call\\n{inp.grad}")
        out.backward(torch.ones_like(out), retain_graph=True)
        print(f"\\nSecond call\\n{inp.grad}")
        inp.grad.zero_()
        out.backward(torch.ones_like(out), retain_graph=True)
        print(f"\\nCall after zeroing gradients\\n{inp.grad}")
    """,
    "d2l_rnn_shapes": """
        nn = torch.nn
        num_hiddens, vocab = 16, 28
        rnn_layer = nn.RNN(vocab, num_hiddens)
        state = torch.zeros((1, 32, num_hiddens))
        print(state.shape, rnn_layer)
        X = torch.rand(size=(35, 32, vocab))
        Y, state_new = rnn_layer(X, state)
        print(Y.shape, state_new.shape, Y.grad_fn is not None)
        gru = nn.GRU(vocab, num_hiddens, num_layers=2)
        lstm = nn.LSTM(vocab, num_hiddens, bidirectional=True, batch_first=True)
        print(gru, lstm)
        out, (h, c) = lstm(torch.rand(4, 7, vocab))
        print(out.shape, h.shape, c.shape)
        print([(n, tuple(p.shape)) for n, p in gru.named_parameters()])
        emb = nn.Embedding(10, 3, padding_idx=0)
        print(emb, emb(torch.tensor([[0, 2], [4, 0]])).shape, emb.weight[0])
        F = torch.nn.functional
        print(F.one_hot(torch.tensor([0, 2]), 4), F.one_hot(torch.tensor([[1], [3]])).shape)
        attn = nn.MultiheadAttention(8, 2, batch_first=True)
        print(attn)
        q = torch.rand(2, 3, 8)
        o, w = attn(q, q, q)
        print(o.shape, w.shape)
    """,
})


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_tutorial_snippet_matches_torch(name):
    assert_same(SNIPPETS[name])
