"""AF002 in a sorted import block with first-party imports: the imports go into the stdlib section."""

import os
from typing import Any

import attr

from dangling_task_pkg import bot

loop = None


async def main(x: Any) -> None:
    import asyncio

    asyncio.ensure_future(bot.run(x, os.sep, attr))  # AF002
