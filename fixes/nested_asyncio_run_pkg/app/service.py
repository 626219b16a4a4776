import asyncio

from . import db
from .legacy import blocking_main
from .legacy import trio_main as legacy_trio


class Service:
    async def __aexit__(self, *exc):
        self.close()

    def close(self):
        db.flush_sync()

    async def handle(self):
        await asyncio.to_thread(db.worker)
        blocking_main(None)
        legacy_trio(None)


def unused_sync():
    asyncio.run(asyncio.sleep(0))  # ok
