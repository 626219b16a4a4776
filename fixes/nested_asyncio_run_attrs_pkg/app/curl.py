"""A sync handle that drives its own loop: no coroutine here, found through the walk."""
import asyncio


class AsyncCurl:
    def __init__(self, loop=None):
        self.loop = loop or asyncio.new_event_loop()

    async def _shutdown(self):
        return None

    def close(self):
        self.loop.run_until_complete(self._shutdown())  # AF004

    def close_if_idle(self):
        if not self.loop.is_running():
            self.loop.run_until_complete(self._shutdown())  # ok


class Unused:
    def close(self):
        asyncio.run(asyncio.sleep(0))  # ok
