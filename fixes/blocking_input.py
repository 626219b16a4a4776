"""AF104 blocking-input. Each case is marked `# AF104` (must be found) or `# ok` (must not be)."""
import asyncio
import builtins


async def main():
    name = input("Name: ")  # AF104
    input()  # AF104
    answer = input("Again? ").strip().lower()  # AF104
    builtins.input()  # AF104
    print(f"{input()}")  # AF104
    return name, answer


async def already_offloaded():
    return await asyncio.to_thread(input, "> ")  # ok


async def shadowed(input):
    input()  # ok


async def not_async_context():
    ask = lambda: input()  # ok

    def worker():
        return input()  # ok

    return ask, worker


def confirm(question):
    return _ask(question) == "y"


def _ask(question):
    return input(question)  # ok


async def through_helpers():
    if confirm("Proceed?"):  # AF104
        print("ok")
