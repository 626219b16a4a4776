"""AF003 blocking-sleep. Each case is marked `# AF003` (must be found) or `# ok` (must not be)."""
import asyncio as aio
import functools
import time
import time as t
from time import sleep
from time import sleep as snooze


async def plain():
    time.sleep(1)  # AF003


async def aliases():
    t.sleep(0.5)  # AF003
    sleep(2)  # AF003
    snooze(3)  # AF003


async def keeps_value():
    x = time.sleep(1)  # AF003
    return time.sleep(0).real + x  # AF003


async def multiline():
    time.sleep(  # AF003
        1,  # the delay
    )


async def already_parenthesized():
    return (time.sleep(1)).real  # AF003


async def not_fixable_arguments(args):
    time.sleep(secs=1)  # AF003
    time.sleep(*args)  # AF003


def sync():
    time.sleep(1)  # ok


async def nested():
    def worker():
        time.sleep(1)  # ok

    f = lambda: time.sleep(1)  # ok
    g = (time.sleep(i) for i in range(3))  # ok

    class Inner:
        time.sleep(0)  # ok

    loop = aio.get_running_loop()
    await loop.run_in_executor(None, time.sleep, 1)  # ok
    await aio.to_thread(time.sleep, 1)  # ok
    functools.partial(time.sleep, 1)  # ok
    "time.sleep(1)"  # ok
    # time.sleep(1)
    await aio.sleep(1)  # ok
    return worker, f, g, Inner


async def shadowed_parameter(time):
    time.sleep(1)  # ok


async def local_rebinding():
    sleep = print
    sleep(1)  # ok


async def compound(x):
    if x: time.sleep(1)  # AF003
    x = 1; time.sleep(x)  # AF003


async def in_comprehension():
    return [time.sleep(0) for _ in range(2)]  # AF003


async def local_import():
    import time as tm

    tm.sleep(1)  # AF003


class Service:
    async def method(self):
        time.sleep(1)  # AF003

    def sync_method(self):
        time.sleep(1)  # ok
