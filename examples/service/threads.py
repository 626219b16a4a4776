"""Code that uses time.sleep correctly: asyncfix must leave this file alone."""

import asyncio
import functools
import time


def wait_for_disk() -> None:
    # A plain function: blocking here is fine.
    time.sleep(0.01)


async def flush() -> None:
    def slow_flush() -> str:
        # A plain function nested in an async def: it runs in a worker thread below.
        time.sleep(0.01)
        return "flushed"

    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, slow_flush)
    # A reference to time.sleep, not a call: it runs in a worker thread.
    await loop.run_in_executor(None, time.sleep, 0.01)
    await loop.run_in_executor(None, functools.partial(time.sleep, 0.01))
    # A lambda is a plain function too.
    later = lambda: time.sleep(0.01)  # noqa: E731
    await asyncio.to_thread(later)
    # Already right.
    await asyncio.sleep(0.01)
