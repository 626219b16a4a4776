"""AF001 missing-await. Each case is marked `# AF001` (must be found) or `# ok` (must not be)."""
import asyncio
import contextlib
import functools
from asyncio import sleep as snooze

import aiohttp
import websockets
from aiohttp import web


async def fetch():
    return 1


async def agen():
    yield 1


@contextlib.asynccontextmanager
async def cm():
    yield


@functools.lru_cache
async def cached():
    return 1


def sync_helper():
    return 1


class Service:
    def __init__(self):
        self._queue = asyncio.Queue()
        self._lock = asyncio.Lock()
        self.items = []

    async def send(self):
        return 1

    @staticmethod
    async def helper():
        return 1

    async def run(self):
        self.send()  # AF001
        self._queue.put(1)  # AF001
        self._lock.acquire()  # AF001
        Service.send(self)  # AF001
        Service.helper()  # AF001
        self.items.remove(1)  # ok
        self._queue.put_nowait(1)  # ok
        self._lock.release()  # ok

    def sync_method(self):
        self.send()  # AF001


class Child(Service):
    async def run(self):
        super().run()  # AF001
        self.send()  # AF001


class Override(Service):
    def send(self):
        return 2

    async def go(self):
        self.send()  # ok


async def main(ws: web.WebSocketResponse, plain):
    fetch()  # AF001
    asyncio.sleep(1)  # AF001
    snooze(1)  # AF001
    asyncio.gather(fetch(), fetch())  # AF001
    fetch().result  # AF001
    (fetch()).result  # AF001
    agen()  # ok
    cm()  # ok
    cached()  # ok
    sync_helper()  # ok
    await fetch()  # ok
    task = asyncio.create_task(fetch())  # ok
    await task
    unused = fetch()  # AF001
    used = fetch()  # ok
    await used
    if fetch():  # AF001
        pass
    print(fetch())  # AF001
    callback = lambda: fetch()  # ok

    def inner():
        fetch()  # AF001

    ws.send_str("x")  # AF001
    async with aiohttp.ClientSession() as session:
        session.close()  # AF001
        async with session.get("http://x") as resp:
            resp.text()  # AF001
    reader, writer = await asyncio.open_connection("localhost", 1)
    writer.drain()  # AF001
    writer.write(b"x")  # ok
    reader.at_eof()  # ok
    proc = await asyncio.create_subprocess_exec("ls")
    proc.wait()  # AF001
    async with websockets.connect("ws://x") as conn:
        conn.send("hi")  # AF001
    items = [1]
    items.remove(1)  # ok
    plain.send()  # ok
    "fetch()"  # ok
    # fetch()
    return callback, inner


def sync_caller():
    fetch()  # AF001


fetch()  # AF001


async def shadowed():
    fetch = print
    fetch()  # ok


async def parameter_named_like_module(asyncio):
    asyncio.sleep(1)  # ok


async def iterated(items):
    async for x in fetch():  # AF001
        pass
    async for x in agen():  # ok
        pass
    [x async for x in fetch()]  # AF001
    [x async for x in agen()]  # ok
    async for x in items:  # ok
        pass


async def never_awaiting_consumers(log):
    import json
    import logging

    len(fetch())  # AF001
    str(fetch())  # AF001
    list(fetch())  # AF001
    json.dumps(fetch())  # AF001
    logging.info(fetch())  # AF001
    log.info(fetch())  # ok
    asyncio.gather(fetch())  # AF001
    await asyncio.gather(fetch())  # ok
    await asyncio.wait_for(fetch(), 1)  # ok
    await asyncio.shield(fetch())  # ok
    task = asyncio.ensure_future(fetch())  # ok
    task2 = asyncio.create_task(fetch())  # ok
    sorted(await fetch())  # ok
    return task, task2, sync_helper(fetch())  # ok


def sync_consumer():
    print(len(fetch()))  # AF001
    asyncio.run(fetch())  # ok


async def entered(session: aiohttp.ClientSession):
    async with fetch() as f:  # AF001
        pass
    async with cm() as c:  # ok
        pass
    async with session.get("http://x") as resp:  # ok
        pass
    async with asyncio.timeout(1):  # ok
        pass
    return f, c, resp
