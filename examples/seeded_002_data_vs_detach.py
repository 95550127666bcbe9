"""Seed 002 (`seed_002_data_vs_detach.py`) after `torch.manual_seed(0)`: its random
tensors, and so everything it prints, are PyTorch's digits under `torchlike run` too."""

import runpy
from pathlib import Path

import torch

torch.manual_seed(0)
runpy.run_path(str(Path(__file__).with_name("seed_002_data_vs_detach.py")), run_name="__main__")
