"""AF105 blocking-path in a trio module: the fix runs the call with `trio.to_thread.run_sync`."""
import os
from pathlib import Path

import trio


async def scan(root: Path, name):
    if os.path.isdir(root):  # AF105
        return root.joinpath(name).is_file()  # AF105
    return os.path.basename(name)  # ok


trio.run(scan, Path("."), "x")
