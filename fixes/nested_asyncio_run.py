"""AF004 nested-asyncio-run. Each case is marked `# AF004` (must be found) or `# ok` (must not be)."""
import asyncio
import asyncio as aio
from asyncio import get_event_loop
from asyncio import run
from asyncio import run as start


async def fetch(n=0):
    await asyncio.sleep(0)
    return n


async def direct():
    asyncio.run(fetch())  # AF004
    aio.run(fetch(1))  # AF004
    run(fetch(2))  # AF004
    start(fetch(3))  # AF004


async def loops(lp: asyncio.AbstractEventLoop):
    loop = asyncio.get_event_loop()
    loop.run_until_complete(fetch())  # AF004
    asyncio.get_event_loop().run_until_complete(fetch())  # AF004
    get_event_loop().run_until_complete(fetch())  # AF004
    asyncio.new_event_loop().run_until_complete(fetch())  # AF004
    lp.run_until_complete(fetch())  # AF004
    await loop.run_until_complete(fetch())  # AF004
    await (asyncio.run(fetch()))  # AF004


class Client:
    def __init__(self):
        self.loop = asyncio.new_event_loop()

    async def get(self):
        return self.loop.run_until_complete(fetch(4))  # AF004


async def keeps_value(coro, task):
    r = asyncio.run(fetch())  # AF004
    s = asyncio.run(coro)  # AF004
    t = asyncio.get_event_loop().run_until_complete(task)  # AF004
    return r, s, t


async def precedence(flag, a, b):
    x = asyncio.run(fetch(5)).real  # AF004
    y = asyncio.run(fetch()) + 1  # AF004
    z = asyncio.run(fetch())[0]  # AF004
    w = (asyncio.run(fetch())).real  # AF004
    v = -asyncio.run(fetch(6)) ** 2  # AF004
    asyncio.run(a if flag else b)  # AF004
    asyncio.run(a or b)  # AF004
    asyncio.run((a if flag else b))  # AF004
    asyncio.run(lambda: a)  # AF004
    asyncio.run(await a)  # AF004
    asyncio.run(c := a)  # AF004
    print(f"{asyncio.run(fetch(7))}")  # AF004
    return [asyncio.run(fetch(i)) for i in range(2)], x, y, z, w, v, c  # AF004


async def generator_precedence():
    asyncio.run((yield))  # AF004


async def multiline():
    result = asyncio.run(  # AF004
        fetch(
            8,  # the answer
        )
    )
    other = asyncio.run(  # AF004
        fetch(9)
    )
    third = asyncio.run(  # AF004
        # the coroutine
        fetch(10),
    )
    chained = asyncio.run(fetch(11)  # AF004
                          .__await__)
    return result, other, third, chained


async def compound(flag):
    if flag: asyncio.run(fetch())  # AF004
    flag = 1; asyncio.run(fetch(flag))  # AF004


async def not_fixable(args, coro):
    asyncio.run(fetch(), debug=True)  # AF004
    asyncio.run(coro, loop_factory=asyncio.new_event_loop)  # AF004
    asyncio.run(*args)  # AF004
    asyncio.run()  # AF004
    asyncio.run(main=coro)  # AF004
    asyncio.run(fetch)  # AF004
    asyncio.get_event_loop().run_until_complete(future=coro)  # AF004


async def runners(coro):
    asyncio.Runner().run(coro)  # AF004
    with asyncio.Runner() as runner:
        runner.run(coro)  # AF004
    other = asyncio.Runner(debug=True)
    other.run(coro)  # AF004


async def nested_in_nested():
    return asyncio.run(asyncio.run(fetch()))  # AF004, AF004


def plain_function():
    asyncio.run(fetch())  # ok
    asyncio.get_event_loop().run_until_complete(fetch())  # ok


async def thread_worker():
    def worker():
        return asyncio.run(fetch())  # ok

    f = lambda: asyncio.run(fetch())  # ok
    g = (asyncio.run(c) for c in [fetch()])  # ok

    class Inner:
        value = asyncio.run(fetch())  # ok

    return await asyncio.to_thread(worker), f, g, Inner


async def unknown_receivers(obj, app):
    obj.run_until_complete(fetch())  # ok
    app.run(fetch())  # ok
    "asyncio.run(fetch())"  # ok
    # asyncio.run(fetch())
    await asyncio.sleep(0)  # ok


async def shadowed(asyncio):
    asyncio.run(fetch())  # ok


async def local_run():
    def run(c):
        return c

    run(fetch())  # ok


asyncio.run(fetch())  # ok
asyncio.get_event_loop().run_until_complete(fetch())  # ok

if __name__ == "__main__":
    asyncio.run(direct())  # ok
