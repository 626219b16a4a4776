"""AF101 in a trio module: fixed with trio's thread runner, never with asyncio."""
import subprocess

import trio


async def main():
    subprocess.run(["ls"])  # AF101
    await trio.to_thread.run_sync(subprocess.run, ["ls"])  # ok
