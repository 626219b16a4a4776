"""AF002: a module's own task set, defined after a statement that runs at import time."""
import asyncio

loop = asyncio.new_event_loop()
loop.create_task(asyncio.sleep(0))  # AF002

pending = set()


def spawn(coro):
    task = loop.create_task(coro)  # ok
    pending.add(task)
    task.add_done_callback(pending.discard)
    return task


def leak(coro):
    loop.create_task(coro)  # AF002
