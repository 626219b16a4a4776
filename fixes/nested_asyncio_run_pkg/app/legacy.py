"""No coroutine in sight here: the loop start is found through the walk from service.py."""
from anyio import run as anyio_run


def blocking_main(fn):
    return anyio_run(fn)  # AF004


def trio_main(fn):
    from trio import run

    return run(fn)  # ok
