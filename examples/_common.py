"""Shared bits of the training examples: how many epochs to run, and where plots go.

`TORCHLIKE_EXAMPLES_QUICK=1` runs a couple of epochs (the test suite uses it); plots are saved
as PNG files next to the scripts, in `examples/output/`.
"""

import os
from pathlib import Path

import matplotlib

if not os.environ.get("DISPLAY"):
    matplotlib.use("Agg")
import matplotlib.pyplot as plt

QUICK = os.environ.get("TORCHLIKE_EXAMPLES_QUICK") == "1"
OUTPUT = Path(__file__).resolve().parent / "output"


def epochs(n: int) -> int:
    return 2 if QUICK else n


def save_loss_plot(losses, name: str, ylabel: str = "loss") -> Path:
    OUTPUT.mkdir(exist_ok=True)
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.plot(range(1, len(losses) + 1), losses, marker="o")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.set_title(name)
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    path = OUTPUT / f"{name}.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print(f"saved {path.name}")
    return path
