"""``torchlike.nn.functional`` pooling and sampling: 3-D average pooling, adaptive max pooling,
max unpooling, fractional max pooling, fold/unfold, grid sampling and embedding bags, in
PyTorch's signatures."""

from __future__ import annotations

__all__: list[str] = []
