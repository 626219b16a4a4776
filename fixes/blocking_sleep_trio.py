"""AF003 in a trio program: the fix uses trio.sleep, not asyncio."""
import time

import trio


async def child():
    time.sleep(1)  # AF003


async def main():
    async with trio.open_nursery() as nursery:
        nursery.start_soon(child)
