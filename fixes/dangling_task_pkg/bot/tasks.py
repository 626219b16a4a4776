"""Helpers that start tasks and keep no reference to them (leaky)."""
import asyncio


def spawn(coro):
    return asyncio.create_task(coro)


def spawn_on(loop, coro):
    if loop is None:
        return asyncio.ensure_future(coro)
    return asyncio.ensure_future(coro, loop=loop)


_tasks = set()


def spawn_kept(coro):
    task = asyncio.create_task(coro)
    _tasks.add(task)
    return task


class Scheduler:
    def start(self, coro):
        return asyncio.get_running_loop().create_task(coro)

    def start_kept(self, coro):
        task = asyncio.get_running_loop().create_task(coro)
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)
        return task
