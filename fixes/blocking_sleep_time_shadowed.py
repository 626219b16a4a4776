"""`time` and `sleep` rebound at module level: nothing is certain, nothing is reported."""
import time
from time import sleep

time = None  # the module is no longer reachable through this name


def sleep(seconds):
    return seconds


async def main():
    time.sleep(1)  # ok
    sleep(1)  # ok
