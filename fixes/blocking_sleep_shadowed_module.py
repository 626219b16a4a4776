"""AF003 where the name `asyncio` is taken: reported, but no fix can be written safely."""
import time


async def handler(asyncio):
    time.sleep(1)  # AF003
