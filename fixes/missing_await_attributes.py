"""AF001 through attributes, properties, and coroutine objects used as values."""

import asyncio
from asyncio import Queue
from typing import Optional

import aiohttp
import aiohttp.web


async def load():
    return [1]


async def count():
    return 1


async def pair():
    return 1, 2


class Socket:
    """`None` in `__init__`, one class in another method: that class."""

    def __init__(self):
        self._sock = None

    async def __call__(self, request):
        self._sock = aiohttp.web.WebSocketResponse()
        await self._sock.prepare(request)

    async def send(self, m):
        self._sock.send_str(m)  # AF001

    def send_later(self, m):
        self._sock.send_str(m)  # AF001


class Worker:
    def __init__(self):
        self.queue: Optional[Queue[int]] = None
        self._session = aiohttp.ClientSession()

    @property
    def session(self):
        if self._session is None:
            raise RuntimeError("closed")
        return self._session

    async def push(self, x):
        self.queue.put(x)  # AF001

    async def close(self):
        self.session.close()  # AF001

    def stop(self):
        self.session.close()  # AF001


class Limits:
    async def _load_limits(self):
        return 1, 2

    async def values(self):
        a, b = self._load_limits()  # AF001
        for x in load():  # AF001
            print(x)
        total = count() + 1  # AF001
        size = len(load())  # AF001
        first = pair()[0]  # AF001
        negative = -count()  # AF001
        return a, b, total, size, first, negative

    def sync_values(self):
        a, b = self._load_limits()  # AF001
        return [x for x in load()], a, b  # AF001

    async def fine(self, other):
        c = load()  # ok: awaited below
        task = asyncio.ensure_future(load())  # ok
        text = "%s" % load()  # ok: not certain (reported by nothing, shown as text)
        mixed = other + count()  # ok: `other` may define `__radd__`
        return await c, await task, text, mixed
