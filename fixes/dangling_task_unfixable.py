"""AF002 reported without a fix: the module binds `typing` to something else, so the set
cannot be annotated."""
import asyncio

typing = None


def leak() -> None:
    asyncio.create_task(asyncio.sleep(0))  # AF002
