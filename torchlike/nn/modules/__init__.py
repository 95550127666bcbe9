"""Layers and losses as Modules."""

from __future__ import annotations

from .loss import BCEWithLogitsLoss, L1Loss, MSELoss
from .module import Module

__all__ = ["Module", "MSELoss", "L1Loss", "BCEWithLogitsLoss"]
