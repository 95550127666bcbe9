"""A character-level language model on a small text file shipped with the examples
(`data/tiny_corpus.txt`): Embedding, a GRU, a Linear head, CrossEntropyLoss over every time
step, Adam with gradient clipping, then sampling text with torch.multinomial.
"""

from pathlib import Path

import torch
from _common import epochs, save_loss_plot
from torch import nn
from tqdm import tqdm

text = (Path(__file__).resolve().parent / "data" / "tiny_corpus.txt").read_text()
vocab = sorted(set(text))
stoi = {c: i for i, c in enumerate(vocab)}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
print(f"{len(text)} characters, vocabulary of {len(vocab)}")


class CharModel(nn.Module):
    def __init__(self, vocab_size, embed=16, hidden=64):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed)
        self.rnn = nn.GRU(embed, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocab_size)

    def forward(self, x, state=None):
        out, state = self.rnn(self.embed(x), state)
        return self.head(out), state


torch.manual_seed(0)
model = CharModel(len(vocab))
print(model)
optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)
loss_fn = nn.CrossEntropyLoss()
seq_len, batch_size, steps_per_epoch = 32, 16, 20


def batch():
    starts = torch.randint(0, len(data) - seq_len - 1, (batch_size,))
    x = torch.stack([data[s : s + seq_len] for s in starts.tolist()])
    y = torch.stack([data[s + 1 : s + seq_len + 1] for s in starts.tolist()])
    return x, y


losses = []
for epoch in tqdm(range(epochs(15)), desc="epochs"):
    total = 0.0
    for _ in range(steps_per_epoch):
        x, y = batch()
        logits, _ = model(x)
        loss = loss_fn(logits.reshape(-1, len(vocab)), y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        total += loss.item()
    losses.append(total / steps_per_epoch)
    print(f"epoch {epoch + 1}: loss {losses[-1]:.3f}")


def sample(prefix="the ", length=120):
    model.eval()
    with torch.no_grad():
        x = torch.tensor([[stoi[c] for c in prefix]])
        logits, state = model(x)
        out = prefix
        for _ in range(length):
            probs = torch.softmax(logits[0, -1], dim=0)
            nxt = torch.multinomial(probs, 1).item()
            out += vocab[nxt]
            logits, state = model(torch.tensor([[nxt]]), state)
    return out


print("sample:", repr(sample()))
save_loss_plot(losses, "train_04_char_rnn")
