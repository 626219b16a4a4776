"""AF105 blocking-path. Each case is marked `# AF105` (must be found) or `# ok` (must not be)."""
import asyncio
import os
import os.path
import pathlib
from os.path import getmtime as mtime
from os.path import isfile
from pathlib import Path, PurePath


async def os_path_functions(p, q):
    os.path.exists(p)  # AF105
    os.path.lexists(p)  # AF105
    found = isfile(p)  # AF105
    if os.path.isdir(p):  # AF105
        pass
    os.path.islink(p)  # AF105
    os.path.ismount(p)  # AF105
    size = os.path.getsize(p) + 1  # AF105
    changed = mtime(p)  # AF105
    os.path.getatime(p)  # AF105
    os.path.getctime(p)  # AF105
    same = os.path.samefile(p, q)  # AF105
    real = os.path.realpath(p)  # AF105
    print(os.path.exists(q))  # AF105
    return found, size, changed, same, real


async def os_functions(p):
    mode = os.stat(p).st_mode  # AF105
    os.lstat(p)  # AF105
    readable = os.access(p, os.R_OK)  # AF105
    names = os.listdir(p)  # AF105
    for entry in os.scandir(p):  # AF105
        print(entry)
    for root, dirs, files in os.walk(p):  # AF105
        print(root, dirs, files)
    return mode, readable, names


async def path_methods(name, p: Path, q: pathlib.Path, other):
    Path(name).exists()  # AF105
    p.is_file()  # AF105
    p.is_dir()  # AF105
    p.is_symlink()  # AF105
    size = q.stat().st_size  # AF105
    q.lstat()  # AF105
    (q / "sub").resolve()  # AF105
    p.parent.samefile(q)  # AF105
    p.owner()  # AF105
    p.group()  # AF105
    p.readlink()  # AF105
    base = Path.cwd()
    base.with_suffix(".cfg").exists()  # AF105
    for child in p.iterdir():  # AF105
        print(child)
    matches = list(p.glob("*.py"))  # AF105
    every = list(q.rglob("*.py"))  # AF105
    other.exists()  # ok
    return size, matches, every


async def pure(p, path: Path, pure: PurePath):
    os.path.join(p, "a")  # ok
    os.path.basename(p)  # ok
    os.path.dirname(p)  # ok
    os.path.splitext(p)  # ok
    os.path.split(p)  # ok
    os.path.normpath(p)  # ok
    os.path.normcase(p)  # ok
    os.path.isabs(p)  # ok
    os.path.commonpath([p, p])  # ok
    os.path.relpath(p)  # ok
    path.absolute()  # ok
    path.with_suffix(".x")  # ok
    path.joinpath("a")  # ok
    pure.exists()  # ok
    return path.name, path.suffix, path.parent, path.parts  # ok


async def offloaded(p):
    await asyncio.to_thread(os.path.exists, p)  # ok
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, os.stat, p)  # ok
    check = os.path.isdir  # ok
    return check


async def shadowed_module(os, p):
    os.path.exists(p)  # ok
    os.stat(p)  # ok


def exists(p):
    return bool(p)


async def shadowed_function(p):
    exists(p)  # ok


def sync_caller(p):
    return os.path.exists(p)  # ok


async def not_async_context(p):
    def worker():
        return os.path.exists(p)  # ok

    return worker, (os.path.isfile(x) for x in p), lambda: os.stat(p)  # ok


def _fresh(p, limit):
    return os.path.getmtime(p) > limit  # ok


def cached(p):
    return _fresh(p, 0)  # ok


async def uses_cache(p):
    if cached(p):  # AF105
        return p
