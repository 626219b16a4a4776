"""Every coroutine method of Methods becomes usable from sync code (pyrogram's sync.py)."""

import asyncio
import functools
import inspect

from .methods import Methods


def async_to_sync(obj, name):
    function = getattr(obj, name)

    @functools.wraps(function)
    def async_to_sync_wrap(*args, **kwargs):
        coroutine = function(*args, **kwargs)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(coroutine)
        return coroutine

    setattr(obj, name, async_to_sync_wrap)


def wrap(source):
    for name in dir(source):
        method = getattr(source, name)
        if not name.startswith("_") and inspect.iscoroutinefunction(method):
            async_to_sync(source, name)


wrap(Methods)
