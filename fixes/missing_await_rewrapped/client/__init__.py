from .client import Client
from . import sync  # noqa: F401  (rewraps the methods at import time)

__all__ = ["Client"]
