"""Sync wrappers that start their own event loop."""
import asyncio


async def _flush():
    return None


def flush_sync():
    asyncio.run(_flush())  # AF004


def worker():
    asyncio.run(_flush())  # ok


def loop_runner(loop: asyncio.AbstractEventLoop):
    loop.run_until_complete(_flush())  # ok
