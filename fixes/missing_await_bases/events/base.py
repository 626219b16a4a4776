"""The base classes: attribute types declared or assigned here, used in other modules."""

from asyncio import Queue
from typing import Optional

import aiohttp.web


class Event:
    pass


class Producer:
    def __init__(self):
        self.event_queue: Optional[Queue[Event]] = None
        self._sock = None
        self.name = "producer"

    async def __call__(self, request):
        self._sock = aiohttp.web.WebSocketResponse()
        await self._sock.prepare(request)


class Unknown:
    def __init__(self, queue):
        self.event_queue = queue
