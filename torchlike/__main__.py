"""``python -m torchlike [run] script.py [args...]``: see ``torchlike._cli``."""

from __future__ import annotations

from torchlike._cli import main

if __name__ == "__main__":
    raise SystemExit(main())
