"""Seed 003 (`seed_003_autograd_tutorial.py`) after `torch.manual_seed(0)`: its random
tensors, and so everything it prints, are PyTorch's digits under `torchlike run` too."""

import runpy
from pathlib import Path

import torch

torch.manual_seed(0)
runpy.run_path(str(Path(__file__).with_name("seed_003_autograd_tutorial.py")), run_name="__main__")
