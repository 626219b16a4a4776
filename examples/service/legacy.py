"""Code ported from a synchronous code base, still calling into asyncio the old way."""

import asyncio


async def load_config() -> dict:
    await asyncio.sleep(0)
    return {"workers": 4}


def load_config_sync() -> dict:
    # Fine: a plain function may start its own event loop.
    return asyncio.run(load_config())


async def start() -> int:
    # AF004: asyncio.run() inside a running loop raises RuntimeError.
    config = asyncio.run(load_config())
    return config["workers"]


async def restart() -> int:
    loop = asyncio.get_event_loop()
    # AF004: run_until_complete() inside a running loop raises RuntimeError.
    config = loop.run_until_complete(load_config())
    return config["workers"]
