"""AF004 in a module that imports both asyncio and trio: the fixes are unsafe."""
import asyncio

import trio


async def job():
    await asyncio.sleep(0)


async def under_trio():
    asyncio.run(job())  # AF004
    asyncio.get_event_loop().run_until_complete(job())  # AF004
    trio.run(job)  # AF004
