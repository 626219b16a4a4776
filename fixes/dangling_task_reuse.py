"""AF002: a module that already keeps its tasks in a set gets no second one."""
import asyncio
from typing import Set

background_tasks: Set["asyncio.Task[None]"] = set()
results = set()


async def job() -> None:
    await asyncio.sleep(0)


def start() -> None:
    task = asyncio.create_task(job())  # ok
    background_tasks.add(task)
    task.add_done_callback(background_tasks.discard)


def leak() -> None:
    asyncio.create_task(job())  # AF002


class Worker:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def kick(self) -> None:
        self.loop.create_task(job())  # AF002


def hidden(background_tasks: object) -> None:
    asyncio.create_task(job())  # AF002
