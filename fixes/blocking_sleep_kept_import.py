"""AF003: `import time` stays while something else uses it."""
import time
from typing import Any


async def first() -> Any:
    time.sleep(1)  # AF003
    return time.monotonic()
