"""A background worker that polls a queue."""

import asyncio
import time as t


class Worker:
    def __init__(self, queue: asyncio.Queue) -> None:
        self.queue = queue
        self.processed = 0
        self.started = t.monotonic()

    async def heartbeat(self) -> None:
        while True:
            await asyncio.sleep(1)
            print(f"alive, {self.processed} jobs done")

    async def handle(self, job: str) -> None:
        await asyncio.sleep(0)
        self.processed += 1

    async def run(self) -> None:
        # AF002: the task is dropped; the loop keeps only a weak reference, so it can be
        # garbage-collected mid-flight, and its exceptions are never seen.
        asyncio.create_task(self.heartbeat())
        loop = asyncio.get_running_loop()
        while True:
            if self.queue.empty():
                # AF003: blocking sleep (`import time as t`) in a polling loop.
                t.sleep(0.5)
                continue
            job = self.queue.get_nowait()
            # AF002: same mistake through the loop.
            loop.create_task(self.handle(job))
