"""AF002: the set's name and the task's name collide with nothing; `asyncio` and `typing` are
imported for the annotation when only from-imports and aliases exist."""
from asyncio import ensure_future, get_event_loop, sleep
import typing as t
ensure_future(sleep(0))  # AF002
ensure_future(sleep(1))  # AF002

_task = None


def _background_tasks() -> None:
    pass


def uses(task: int) -> None:
    ensure_future(sleep(task))  # AF002
    task_2 = task
    ensure_future(sleep(task_2))  # AF002


class Handler:
    ensure_future(sleep(0))  # AF002

    def handle(self) -> t.Any:
        get_event_loop().create_task(sleep(0))  # AF002
