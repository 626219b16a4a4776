"""AF103 under trio: `trio.wrap_file(open(p))` is how trio means a sync file to be used;
the methods of a sync file object run in `trio.to_thread.run_sync`."""
import os
from io import TextIOWrapper

import trio


async def wrapped(path):
    f = await trio.wrap_file(open(path))  # ok
    g = await trio.wrap_file(os.fdopen(0))  # ok
    await f.read()  # ok
    return g


async def methods(f: TextIOWrapper):
    f.write("x")  # AF103
    data = f.read(10)  # AF103
    f.seek(0, os.SEEK_END)  # AF103
    return data
