"""AF004 and AF003 in one round: `import asyncio as aio` stays, because the AF003 fix writes `aio.sleep`."""
import asyncio as aio
import time


async def work():
    pass


async def main():
    aio.run(work())  # AF004
    time.sleep(1)  # AF003
