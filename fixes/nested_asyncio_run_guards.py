"""AF004: loop starts that run only when no event loop is running are correct code."""
import asyncio
from asyncio import events


async def fetch(n=0):
    await asyncio.sleep(0)
    return n


class Client:
    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self._loop = self.loop

    def call(self, coro):
        return coro if self.loop.is_running() else self.loop.run_until_complete(coro)  # ok

    def schedule(self, coro):
        if self._loop.is_running():
            asyncio.ensure_future(coro)
        else:
            self._loop.run_until_complete(coro)  # ok

    def early(self, coro):
        if self.loop.is_running():
            return coro
        return self.loop.run_until_complete(coro)  # ok

    def negated(self, coro):
        if not self.loop.is_running():
            self.loop.run_until_complete(coro)  # ok

    def other_loop(self, coro, other):
        if other.loop.is_running():
            return coro
        return self.loop.run_until_complete(coro)  # AF004

    def wrong_branch(self, coro):
        if self.loop.is_running():
            return self.loop.run_until_complete(coro)  # AF004
        return coro

    async def uses_them(self):
        self.call(fetch())
        self.schedule(fetch())
        self.early(fetch())
        self.negated(fetch())
        self.other_loop(fetch(), self)
        self.wrong_branch(fetch())
        return fetch() if self.loop.is_running() else self.loop.run_until_complete(fetch())  # ok


def run_anywhere(coro):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)  # ok
    return asyncio.ensure_future(coro)


def private_test(coro):
    if asyncio._get_running_loop() is None:
        return asyncio.run(coro)  # ok
    if events._get_running_loop() is not None:
        return asyncio.ensure_future(coro)
    return asyncio.run(coro)  # ok


def optional_loop(coro):
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    if loop and loop.is_running():
        return loop.create_task(coro)
    return asyncio.run(coro)  # ok


def current_loop(coro):
    loop = asyncio.get_event_loop()
    if loop.is_running():
        return loop.create_task(coro)
    return asyncio.run(coro)  # ok


def wrong_handler(coro):
    try:
        asyncio.get_running_loop()
    except ValueError:
        return asyncio.run(coro)  # AF004
    return coro


def unguarded(coro):
    return asyncio.run(coro)  # AF004


async def main():
    run_anywhere(fetch())
    private_test(fetch())
    optional_loop(fetch())
    current_loop(fetch())
    wrong_handler(fetch())
    unguarded(fetch())
    if asyncio._get_running_loop() is None:
        asyncio.run(fetch())  # ok
    asyncio.run(fetch())  # AF004
