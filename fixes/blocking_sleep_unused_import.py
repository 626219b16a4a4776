"""AF003: the fix removes `import time` once its last use is rewritten."""

import os
import time


async def first():
    time.sleep(1)  # AF003


async def second(path: str):
    time.sleep(len(os.listdir(path)))  # AF003
