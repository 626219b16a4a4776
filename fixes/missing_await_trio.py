"""AF001 missing-await: trio's and anyio's coroutine functions and methods. Each case is marked
`# AF001` (must be found) or `# ok` (must not be)."""
import anyio
import anyio.lowlevel
import trio
import trio.lowlevel
import trio.to_thread
from anyio.abc import TaskGroup
from trio import open_file as trio_open_file


async def child(task_status=trio.TASK_STATUS_IGNORED):
    task_status.started()


async def trio_functions(path):
    trio.sleep(1)  # AF001
    trio.sleep_forever()  # AF001
    trio.sleep_until(trio.current_time() + 1)  # AF001
    trio.open_file(path)  # AF001
    trio_open_file(path)  # AF001
    trio.run_process(["true"])  # AF001
    trio.lowlevel.checkpoint()  # AF001
    trio.lowlevel.checkpoint_if_cancelled()  # AF001
    trio.open_tcp_stream("localhost", 1)  # AF001
    trio.open_ssl_over_tcp_stream("localhost", 1)  # AF001
    trio.serve_tcp(child, 1)  # AF001
    trio.to_thread.run_sync(print)  # AF001
    trio.current_time()  # ok
    trio.lowlevel.current_task()  # ok
    trio.from_thread.run_sync(print)  # ok
    await trio.sleep(0)  # ok


async def trio_methods(nursery: trio.Nursery):
    nursery.start(child)  # AF001
    nursery.start_soon(child)  # ok
    async with trio.open_nursery() as inner:
        inner.start(child)  # AF001
        inner.start_soon(child)  # ok
    event = trio.Event()
    event.wait()  # AF001
    event.set()  # ok
    lock = trio.Lock()
    lock.acquire()  # AF001
    lock.release()  # ok
    stream = await trio.open_tcp_stream("localhost", 1)
    stream.send_all(b"x")  # AF001
    limiter = trio.CapacityLimiter(1)
    limiter.acquire()  # AF001
    limiter.acquire_nowait()  # ok


async def anyio_functions(path):
    anyio.sleep(1)  # AF001
    anyio.sleep_forever()  # AF001
    anyio.sleep_until(anyio.current_time() + 1)  # AF001
    anyio.open_file(path)  # AF001
    anyio.run_process(["true"])  # AF001
    anyio.open_process(["true"])  # AF001
    anyio.connect_tcp("localhost", 1)  # AF001
    anyio.to_thread.run_sync(print)  # AF001
    anyio.lowlevel.checkpoint()  # AF001
    anyio.current_time()  # ok
    anyio.from_thread.run_sync(print)  # ok


async def anyio_methods(group: TaskGroup):
    group.start(child)  # AF001
    group.start_soon(child)  # ok
    async with anyio.create_task_group() as tg:
        tg.start(child)  # AF001
        tg.start_soon(child)  # ok
    event = anyio.Event()
    event.wait()  # AF001
    event.set()  # ok
    send, receive = anyio.create_memory_object_stream()
    send.send(1)  # ok


def plain():
    trio.sleep(1)  # AF001
    anyio.sleep(1)  # AF001


async def shadowed(trio):
    trio.sleep(1)  # ok


async def files(path):
    async with trio.open_file(path) as f:  # AF001
        pass
    async with await trio.open_file(path) as g:  # ok
        pass
    async with await anyio.open_file(path) as h:  # ok
        pass
    async for line in anyio.open_file(path):  # AF001
        pass
    return f, g, h


def plain_method(nursery: trio.Nursery):
    nursery.start(child)  # AF001
