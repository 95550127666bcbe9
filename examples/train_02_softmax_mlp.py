"""Softmax regression and a multilayer perceptron on a synthetic classification set (four
Gaussian clusters in 20 dimensions), with nn.Sequential, CrossEntropyLoss, SGD, a DataLoader over
a TensorDataset, and train/eval modes (the MLP has Dropout).
"""

import torch
from _common import epochs, save_loss_plot
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm

torch.manual_seed(0)
num_classes, num_features, per_class = 4, 20, 300
centers = torch.randn(num_classes, num_features) * 2
X = torch.cat([centers[c] + torch.randn(per_class, num_features) for c in range(num_classes)])
y = torch.arange(num_classes).repeat_interleave(per_class)
train_set = TensorDataset(X, y)
train_iter = DataLoader(train_set, batch_size=64, shuffle=True)


def accuracy(net, X, y):
    net.eval()
    with torch.no_grad():
        acc = (net(X).argmax(dim=1) == y).float().mean().item()
    net.train()
    return acc


def train(net, name, num_epochs, lr):
    loss = nn.CrossEntropyLoss()
    trainer = torch.optim.SGD(net.parameters(), lr=lr)
    print(net)
    losses = []
    for epoch in tqdm(range(num_epochs), desc=name):
        total, count = 0.0, 0
        for Xb, yb in train_iter:
            trainer.zero_grad()
            l = loss(net(Xb), yb)
            l.backward()
            trainer.step()
            total += l.item() * len(yb)
            count += len(yb)
        losses.append(total / count)
        acc = accuracy(net, X, y)
        print(f"{name} epoch {epoch + 1}: loss {losses[-1]:.4f}, train acc {acc:.3f}")
    save_loss_plot(losses, f"train_02_{name}")
    return losses


softmax_net = nn.Sequential(nn.Flatten(), nn.Linear(num_features, num_classes))
softmax_net[1].weight.data.normal_(0, 0.01)
softmax_net[1].bias.data.fill_(0)
train(softmax_net, "softmax", epochs(10), lr=0.1)

mlp = nn.Sequential(
    nn.Linear(num_features, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, num_classes)
)


def init_weights(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, std=0.01)


mlp.apply(init_weights)
train(mlp, "mlp", epochs(10), lr=0.1)
