"""AF004: a finalizer that drives the event loop runs wherever the garbage collector does."""
import asyncio


class Session:
    async def close(self):
        await asyncio.sleep(0)


class Client:
    def __init__(self):
        self._loop = asyncio.new_event_loop()
        self._session = Session()

    def __del__(self):
        self._loop.run_until_complete(self._session.close())  # AF004


class Guarded:
    def __init__(self):
        self._loop = asyncio.new_event_loop()
        self._session = Session()

    def __del__(self):
        if not self._loop.is_running():
            self._loop.run_until_complete(self._session.close())  # ok


class Runs:
    def __del__(self):
        asyncio.run(Session().close())  # AF004


class Threaded:
    def __del__(self):
        def worker():
            asyncio.run(Session().close())  # ok

        return worker


class Fallback:
    def __init__(self):
        self._session = Session()

    def __del__(self):
        try:
            loop = asyncio.get_event_loop()
            if loop.is_running():
                loop.create_task(self._session.close())
            else:
                loop.run_until_complete(self._session.close())  # ok
        except RuntimeError:
            loop = asyncio.new_event_loop()
            loop.run_until_complete(self._session.close())  # ok


class Closes:
    def __init__(self):
        self._loop = asyncio.new_event_loop()

    def close(self):
        self._loop.run_until_complete(Session().close())  # AF004

    def __del__(self):
        self.close()


class ClosesIfIdle:
    def __init__(self):
        self._loop = asyncio.new_event_loop()

    def close(self):
        if self._loop.is_running():
            return
        self._loop.run_until_complete(Session().close())  # ok

    def __del__(self):
        self.close()
