"""AF004: the fix removes `loop = asyncio.get_event_loop()` once its last use is rewritten."""
import asyncio


async def work():
    return 1


async def only_use():
    loop = asyncio.get_event_loop()
    loop.run_until_complete(work())  # AF004


async def two_uses():
    """Both uses are rewritten."""
    loop = asyncio.new_event_loop()

    a = loop.run_until_complete(work())  # AF004
    b = loop.run_until_complete(work())  # AF004
    return a + b


async def other_use():
    loop = asyncio.get_event_loop()
    loop.run_until_complete(work())  # AF004
    loop.close()


async def set_as_current():
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.run_until_complete(work())  # AF004


async def read_by_a_closure():
    loop = asyncio.get_event_loop()
    loop.run_until_complete(work())  # AF004
    return lambda: loop
