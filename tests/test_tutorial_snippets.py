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
            print(round(loss.item(), 4))
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


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_tutorial_snippet_matches_torch(name):
    assert_same(SNIPPETS[name])
