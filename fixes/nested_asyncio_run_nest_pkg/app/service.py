"""The project applies `nest_asyncio`: loops nest, a sync wrapper works under a coroutine."""
import asyncio


async def _flush():
    return None


def flush_sync():
    asyncio.run(_flush())  # ok


async def handle():
    flush_sync()
    asyncio.run(_flush())  # AF004
