"""A small CNN (LeNet-style, with BatchNorm) on synthetic 16x16 images of four kinds of stripes:
horizontal, vertical, diagonal and anti-diagonal, with noise. Adam, a DataLoader, eval accuracy.
"""

import torch
from _common import epochs, save_loss_plot
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm


def stripes(kind, n, size=16):
    i = torch.arange(size).reshape(-1, 1).expand(size, size)
    j = torch.arange(size).reshape(1, -1).expand(size, size)
    pattern = {0: i, 1: j, 2: i + j, 3: i - j}[kind]
    phase = torch.randint(0, 4, (n, 1, 1))
    images = ((pattern.unsqueeze(0) + phase) % 4 < 2).float()
    return (images + 0.3 * torch.randn(n, size, size)).unsqueeze(1)


torch.manual_seed(0)
per_class = 200
X = torch.cat([stripes(k, per_class) for k in range(4)])
y = torch.arange(4).repeat_interleave(per_class)
loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)

net = nn.Sequential(
    nn.Conv2d(1, 8, kernel_size=3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(8, 16, kernel_size=3, padding=1), nn.ReLU(),
    nn.AdaptiveAvgPool2d((2, 2)), nn.Flatten(),
    nn.Linear(16 * 2 * 2, 32), nn.ReLU(), nn.Linear(32, 4),
)
print(net)
optimizer = torch.optim.Adam(net.parameters(), lr=1e-2)
loss_fn = nn.CrossEntropyLoss()

losses = []
for epoch in tqdm(range(epochs(6)), desc="epochs"):
    net.train()
    total = 0.0
    for Xb, yb in loader:
        optimizer.zero_grad()
        loss = loss_fn(net(Xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(yb)
    losses.append(total / len(X))
    net.eval()
    with torch.no_grad():
        acc = (net(X).argmax(1) == y).float().mean().item()
    print(f"epoch {epoch + 1}: loss {losses[-1]:.4f}, accuracy {acc:.3f}")

save_loss_plot(losses, "train_03_cnn")
