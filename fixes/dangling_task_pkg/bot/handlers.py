"""Event callbacks that use the helpers: no `create_task` in sight, still dangling tasks."""
from . import tasks
from .tasks import Scheduler, spawn, spawn_kept


async def job(n):
    return n


def on_message(n):
    spawn(job(n))  # AF002
    tasks.spawn_on(None, job(n))  # AF002
    spawn_kept(job(n))  # ok
    kept = spawn(job(n))  # ok
    return kept


class Bot(Scheduler):
    def on_ready(self):
        self.start(job(1))  # AF002
        self.start_kept(job(2))  # ok
