from .base import Event, Producer, Unknown


class Handler(Producer):
    async def emit(self, x: Event):
        self.event_queue.put(x)  # AF001
        self._sock.send_str("sent")  # AF001
        await self.event_queue.put(x)  # ok

    def emit_later(self, x: Event):
        self.event_queue.put(x)  # AF001


class Deeper(Handler):
    async def emit(self, x: Event):
        self.event_queue.put(x)  # AF001


class Overriding(Producer):
    def __init__(self, queue):
        super().__init__()
        self.event_queue = queue

    async def emit(self, x: Event):
        self.event_queue.put(x)  # ok: this class assigns something unknown


class Untyped(Unknown):
    async def emit(self, x: Event):
        self.event_queue.put(x)  # ok: the base says nothing known
