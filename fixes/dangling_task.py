"""AF002 dangling-task. Each case is marked `# AF002` (must be found) or `# ok` (must not be)."""
import asyncio
import asyncio as aio
from asyncio import create_task
from asyncio import ensure_future as ensure
from asyncio import get_event_loop, get_running_loop, new_event_loop


async def job(n=0):
    await asyncio.sleep(0)
    return n


async def aliases():
    asyncio.create_task(job())  # AF002
    aio.create_task(job())  # AF002
    create_task(job())  # AF002
    ensure(job())  # AF002
    asyncio.ensure_future(job())  # AF002
    asyncio.tasks.create_task(job())  # AF002


async def loops(lp: asyncio.AbstractEventLoop, unknown):
    get_running_loop().create_task(job())  # AF002
    asyncio.get_event_loop().create_task(job())  # AF002
    loop = get_running_loop()
    loop.create_task(job())  # AF002
    fresh = new_event_loop()
    fresh.create_task(job())  # AF002
    lp.create_task(job())  # AF002
    unknown.create_task(job())  # ok
    loop.call_soon(print)  # ok
    loop.create_future()  # ok


def sync_callback():
    asyncio.ensure_future(job())  # AF002


class Client:
    def __init__(self, loop):
        self.loop = loop
        self._loop = loop
        self.runner = asyncio.get_event_loop()
        self.group = asyncio.TaskGroup()
        self.tasks = []

    def on_event(self, data):
        self.loop.create_task(job(data))  # AF002
        self._loop.create_task(job(data))  # AF002
        self.runner.create_task(job(data))  # AF002

    async def method(self, client):
        client._loop.create_task(job())  # AF002
        client.loop.create_task(job())  # AF002
        self.group.create_task(job())  # ok
        self.tasks.append(self.loop.create_task(job()))  # ok


def one_liners(ok, items):
    if ok: asyncio.create_task(job(1))  # AF002
    else: asyncio.create_task(job(2))  # AF002
    for i in items: asyncio.create_task(job(i))  # AF002
    while ok: asyncio.ensure_future(job()); break  # AF002
    try: asyncio.create_task(job())  # AF002
    except RuntimeError: pass
    if ok: \
        asyncio.create_task(job())  # AF002


def semicolons():
    x = 1; asyncio.create_task(job(x))  # AF002
    asyncio.create_task(job(3)); asyncio.create_task(job(4))  # AF002
    asyncio.create_task(job(5));  # AF002


def multiline():
    asyncio.create_task(  # AF002
        job(
            1,  # the argument
        ),
        name="worker",  # named
    )  # trailing comment
    (
        asyncio.create_task(job())  # AF002
    )
    # a comment between statements
    asyncio.ensure_future(job())  # AF002


def in_loop(items):
    for item in items:
        asyncio.create_task(job(item))  # AF002


def nested():
    async def inner():
        asyncio.create_task(job())  # AF002

    def callback():
        asyncio.create_task(job())  # AF002

    return inner, callback


def name_taken(task):
    asyncio.create_task(job(task))  # AF002


def enclosing_name():
    task = 1

    def inner():
        asyncio.create_task(job(task))  # AF002

    return inner


async def negatives(items):
    async with asyncio.TaskGroup() as tg:
        tg.create_task(job())  # ok
    group = asyncio.TaskGroup()
    group.create_task(job())  # ok
    await asyncio.create_task(job())  # ok
    t = asyncio.create_task(job())  # ok
    items.append(asyncio.create_task(job()))  # ok
    print(asyncio.ensure_future(job()))  # ok
    items.add_done_callback(asyncio.create_task)  # ok
    callback = lambda: asyncio.create_task(job())  # ok
    "asyncio.create_task(job())"  # ok
    # asyncio.create_task(job())
    return t, callback, asyncio.create_task(job())  # ok


def shadowed_parameter(asyncio):
    asyncio.create_task(job())  # ok


def shadowed_local():
    asyncio = Client(None)
    asyncio.create_task(job())  # ok


def create_task_elsewhere(scheduler):
    scheduler.create_task(job())  # ok
    scheduler.loop_thing.create_task(job())  # ok


main_loop = new_event_loop()
main_loop.create_task(job())  # AF002
main_loop.close()
