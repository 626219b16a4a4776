"""AF003 in a module importing both asyncio and trio: the coroutine's own calls decide the
framework; where nothing does, the fix is unsafe."""
import asyncio
import time

import trio


async def trio_child():
    time.sleep(1)  # AF003
    async with trio.open_nursery() as nursery:
        nursery.start_soon(trio.sleep, 0)


async def asyncio_child():
    time.sleep(1)  # AF003
    await asyncio.gather()


async def unknown():
    time.sleep(1)  # AF003


async def main():
    await trio_child()


trio.run(main)
