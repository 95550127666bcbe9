"""A training step compiled whole: `torch.compile` turns the ordinary step below (zero_grad,
forward, cross-entropy, backward, Adam step) into one XLA program. Parameters, their .grad and
Adam's state are updated in place as in eager mode, so the evaluation code after each epoch is
unchanged. The same model is trained eagerly from the same start to show the losses agree.
"""

import time

import torch
from _common import epochs, save_loss_plot
from torch import nn

torch.manual_seed(0)
num_classes, num_features, per_class = 4, 32, 256
centers = torch.randn(num_classes, num_features) * 1.5
X = torch.cat([centers[c] + torch.randn(per_class, num_features) for c in range(num_classes)])
y = torch.arange(num_classes).repeat_interleave(per_class)
batches = list(zip(X.split(128), y.split(128)))


def make_model():
    torch.manual_seed(1)
    return nn.Sequential(
        nn.Linear(num_features, 128), nn.ReLU(), nn.Dropout(0.1), nn.Linear(128, num_classes)
    )


def train(compiled):
    net = make_model()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def train_step(xb, yb):
        optimizer.zero_grad()
        loss = loss_fn(net(xb), yb)
        loss.backward()
        optimizer.step()
        return loss

    step = torch.compile(train_step) if compiled else train_step
    name = "compiled" if compiled else "eager"
    torch.manual_seed(2)  # the same dropout masks in both runs
    losses, start = [], time.perf_counter()
    for epoch in range(epochs(8)):
        net.train()
        total = sum(step(xb, yb).item() * len(yb) for xb, yb in batches)
        losses.append(total / len(X))
        net.eval()
        with torch.no_grad():
            acc = (net(X).argmax(1) == y).float().mean().item()
        print(f"{name} epoch {epoch + 1}: loss {losses[-1]:.4f}, accuracy {acc:.3f}")
    print(f"{name}: {time.perf_counter() - start:.2f} s for {len(losses)} epochs")
    return net, losses


eager_net, eager_losses = train(compiled=False)
compiled_net, compiled_losses = train(compiled=True)
gap = max(abs(a - b) for a, b in zip(eager_losses, compiled_losses))
print(f"largest difference between eager and compiled epoch losses: {gap:.2e}")
save_loss_plot(compiled_losses, "train_05_compiled_step")
