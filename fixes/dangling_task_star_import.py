"""AF002 in a module with a star import: names the file never mentions are still free."""
import asyncio
from os.path import *
from typing import Optional


def spawn(coro) -> Optional[str]:
    asyncio.create_task(coro)  # AF002
    return basename("a/b")
