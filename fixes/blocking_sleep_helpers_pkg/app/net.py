"""Sync helpers, and no coroutine: found through the walk from service.py."""
import functools
import time

import requests


def _download(url):
    return requests.get(url, timeout=5).content  # ok


def refresh(url):
    return _download(url)


def pause():
    time.sleep(0.1)  # ok


def level1(url):
    return level2(url)


def level2(url):
    return level3(url)


def level3(url):
    return requests.get(url)  # ok


def deep1(url):
    return deep2(url)


def deep2(url):
    return deep3(url)


def deep3(url):
    return deep4(url)


def deep4(url):
    return requests.get(url)  # ok


@functools.lru_cache(maxsize=None)
def cached(url):
    return requests.get(url)  # ok


def both(url, path):
    with open(path, "wb") as f:  # ok
        f.write(_download(url))


def offloaded(url):
    import asyncio

    return asyncio.to_thread(requests.get, url)  # ok


def harmless(x):
    return x + 1
