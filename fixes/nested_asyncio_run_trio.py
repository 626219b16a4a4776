"""AF004 with trio and anyio (no asyncio in this module)."""
import anyio
import trio
from trio import run as trio_run


async def child(*args):
    await trio.sleep(0)
    return args


async def handler(items):
    trio.run(child)  # AF004
    trio_run(child, 1, 2)  # AF004
    anyio.run(child, *items)  # AF004
    value = trio.run(child, "a").count("a")  # AF004
    trio.run(lambda: child(1))  # AF004
    trio.run(child,  # AF004
             3)
    anyio.run(  # AF004
        child,  # the entry point
        4,
    )
    trio.run(  # AF004
        child,
    )
    await trio.run(child)  # AF004
    return value


async def not_fixable(opts):
    trio.run(child, clock=None)  # AF004
    anyio.run(child, 1, backend="trio")  # AF004
    trio.run(child, 1, **opts)  # AF004
    trio.run(child())  # AF004
    trio.run()  # AF004
    trio.run(*opts)  # AF004


def sync_entry():
    trio.run(child)  # ok
    anyio.run(child, 1)  # ok


async def thread_worker():
    def worker():
        return trio.run(child)  # ok

    return await trio.to_thread.run_sync(worker)


if __name__ == "__main__":
    trio.run(handler, [])  # ok
