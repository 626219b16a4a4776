"""Fetching pages with retries."""

import asyncio
import random
import time
from time import sleep as pause

MAX_ATTEMPTS = 3


class FetchError(Exception):
    pass


async def download(url: str) -> bytes:
    await asyncio.sleep(0.01)  # stands in for the network
    if random.random() < 0.2:
        raise FetchError(url)
    return f"<html>{url}</html>".encode()


async def record_metrics(url: str, size: int) -> None:
    await asyncio.sleep(0)
    print(f"fetched {url}: {size} bytes")


async def fetch(url: str) -> bytes:
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            body = await download(url)
        except FetchError:
            # AF003: time.sleep blocks the event loop; every other task freezes while we back off.
            time.sleep(0.1 * 2**attempt)
            continue
        # AF001: record_metrics is a coroutine function; without `await` it never runs.
        record_metrics(url, len(body))
        return body
    raise FetchError(url)


async def fetch_all(urls: list[str]) -> list[bytes]:
    pages = []
    for url in urls:
        pages.append(await fetch(url))
        # AF003: the same mistake through an alias (`from time import sleep as pause`).
        pause(0.05)  # be polite to the server
    return pages
