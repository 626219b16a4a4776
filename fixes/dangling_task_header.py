"""AF002: the task set goes after the whole import header."""

from __future__ import annotations

__all__ = ["spawn"]

import logging
from typing import TYPE_CHECKING, Any

try:
    import ujson as json
except ImportError:
    import json

if TYPE_CHECKING:
    from collections.abc import Coroutine

import asyncio

log = logging.getLogger(__name__)


def spawn(coro: Coroutine[Any, Any, None]) -> None:
    asyncio.create_task(coro)  # AF002
    log.debug("%s", json)
