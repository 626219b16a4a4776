"""AF002 dangling-task: the less common ways of dropping a task (flake8-async ASYNC300's
esoteric forms), and tasks bound to a local that is never read. Each case is marked `# AF002`
(must be found) or `# ok` (must not be)."""
import asyncio
from asyncio import Future
from typing import Any


async def job(n=0):
    await asyncio.sleep(0)
    return n


def handle(*args: object) -> None: ...


async def displays_and_tests(args: Any):
    [asyncio.create_task(job())]  # AF002
    (asyncio.create_task(job()), 1)  # AF002
    {asyncio.ensure_future(job())}  # AF002
    (asyncio.create_task(job()) for i in range(10))  # AF002
    [asyncio.create_task(job(i)) for i in range(10)]  # AF002
    {i: asyncio.create_task(job(i)) for i in range(10)}  # AF002
    args = 1 if asyncio.create_task(job()) else 2  # AF002
    args = (i for i in range(10) if asyncio.create_task(job()))  # AF002
    if asyncio.create_task(job()):  # AF002
        pass
    elif asyncio.ensure_future(job()):  # AF002
        pass
    while not asyncio.create_task(job()):  # AF002
        break
    assert asyncio.create_task(job())  # AF002
    ok = asyncio.create_task(job()) and args  # AF002
    with asyncio.create_task(job()) as k:  # type: ignore[attr-defined]  # AF002
        pass
    return ok, k


async def kept(args: Any, items: list):
    mylist = [asyncio.create_task(job())]  # ok
    mylist2 = [asyncio.create_task(job()) for i in range(10)]  # ok
    handle([asyncio.create_task(job())])  # ok
    first = asyncio.create_task(job()) or args  # ok
    chosen = asyncio.create_task(job()) if args else None  # ok
    items.append(asyncio.create_task(job()))  # ok
    (walrus := asyncio.create_task(job()))  # ok
    return mylist, mylist2, first, chosen


async def unread_locals(items: list):
    t = asyncio.create_task(job(1))  # AF002
    _ = asyncio.create_task(job(2))  # AF002
    _f: Future = asyncio.ensure_future(job(3))  # AF002
    loop = asyncio.get_running_loop()
    fut = loop.create_task(job(4))  # AF002
    for i in range(2):
        worker = asyncio.create_task(job(i))  # AF002
    x = 1; late = asyncio.create_task(job(5))  # AF002
    await asyncio.sleep(0)


async def read_locals(items: list, holder: Any):
    awaited = asyncio.create_task(job())  # ok
    await awaited
    returned = asyncio.create_task(job())  # ok
    stored = asyncio.create_task(job())  # ok
    holder.task = stored
    appended = asyncio.create_task(job())  # ok
    items.append(appended)
    passed = asyncio.create_task(job())  # ok
    handle(passed)

    def closure():
        return captured

    captured = asyncio.create_task(job())  # ok
    rebound = asyncio.create_task(job())  # ok
    rebound = None
    deleted = asyncio.create_task(job())  # ok
    del deleted
    seen = asyncio.create_task(job())  # ok
    print(locals())
    return returned, closure, rebound


async def declared_global():
    global _shared
    _shared = asyncio.create_task(job())  # ok


def outer():
    kept_by_inner = None

    def inner():
        nonlocal kept_by_inner
        kept_by_inner = asyncio.create_task(job())  # ok

    return inner


class Holder:
    attribute = asyncio.ensure_future(job())  # ok


class Service:
    loop = None
    client: Any = None

    def __init__(self, loop=None):
        self.loop = loop

    def start(self):
        loop = self.loop or asyncio.new_event_loop()
        loop.create_task(job())  # AF002
        other = self.loop if self.loop is not None else asyncio.get_event_loop()
        other.create_task(job())  # AF002
        unknown = self.client or asyncio.new_event_loop()
        unknown.create_task(job())  # ok


_module_task = asyncio.ensure_future(job())  # ok
