"""Per-op micro-benchmarks: torchlike eager against PyTorch eager and raw JAX.

Run ``python -m benchmarks`` from the repository root (see ``benchmarks/README.md``). This package
must not import jax at import time: ``benchmarks/__main__.py`` sets ``XLA_FLAGS`` first.
"""
