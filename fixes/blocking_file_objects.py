"""AF103 blocking-file: openers beside `open()`, and the methods of sync file objects.
Each case is marked `# AF103` (must be found) or `# ok` (must not be)."""
import codecs
import io
import os
import os.path
import typing
from io import BufferedReader, BufferedWriter, TextIOWrapper
from pathlib import Path, PurePath
from typing import IO, BinaryIO, Optional, TextIO


async def openers(path, fd, p: Path):
    a = io.open_code(path)  # AF103
    b = os.fdopen(fd, "rb")  # AF103
    c = codecs.open(path, "r", "utf-8")  # AF103
    d = p.open()  # AF103
    with p.open("w") as out:  # AF103
        out.write("x")  # AF103
    return a, b, c, d


async def annotated(
    t: io.TextIOWrapper,
    r: BufferedReader,
    w: Optional[BufferedWriter],
    x: TextIOWrapper | None,
    y: None | TextIO,
    z: "IO[bytes]",
    u: typing.BinaryIO,
    v: "Optional[BinaryIO]" = None,
    other=None,
):
    t.read()  # AF103
    t.readlines()  # AF103
    r.read(10)  # AF103
    w.write(b"")  # AF103
    w.flush()  # AF103
    x.seek(0)  # AF103
    y.readline()  # AF103
    z.read()  # AF103
    u.write(b"x")  # AF103
    v.close()  # AF103
    t.whatever()  # AF103
    other.read()  # ok
    t.fileno()  # ok
    r.isatty()  # ok
    t.closed  # ok
    t.name  # ok


async def from_openers(path, p: Path):
    f = open(path)  # AF103
    f.read()  # AF103
    g = f
    g.readline()  # AF103
    h = open(path, "rb")  # AF103
    h.read()  # AF103
    k = p.open("a")  # AF103
    k.write("x")  # AF103
    with open(path, "w") as out:  # AF103
        out.write("x")  # AF103
    buf = io.StringIO()
    buf.write("never blocks")  # ok
    raw = io.BytesIO()
    raw.read()  # ok


async def declared(path):
    f: TextIOWrapper = ...
    f.read()  # AF103
    g: Optional[IO[str]] = None
    g = make()
    g.write("x")  # AF103
    n: int = 7
    n.read()  # ok


async def redeclared(f: TextIOWrapper):
    f: int = 7
    f.read()  # ok
    f: TextIOWrapper = make()
    f.read()  # AF103


async def already_offloaded(f: TextIOWrapper, path):
    import asyncio

    await asyncio.to_thread(f.read)  # ok
    await asyncio.to_thread(f.write, "x")  # ok
    g = await asyncio.to_thread(open, path, "rb")  # ok
    g.read()  # AF103


def outer(f: TextIOWrapper, path):
    g = open(path)
    f.read()  # ok

    async def inner():
        f.read()  # AF103
        g.read()  # AF103

    return inner


LOG = open("log.txt", "a")
OUT: TextIO = ...


async def module_globals():
    LOG.write("x")  # AF103
    OUT.flush()  # AF103


async def pure_paths(path):
    os.path.join(path, "x")  # ok
    os.path.basename(path)  # ok
    os.path.splitext(path)  # ok
    PurePath(path).with_suffix(".txt")  # ok
    PurePath(path).joinpath("x")  # ok
    Path(path).with_name("y")  # ok


async def shadowed(path):
    def open(p):
        return p

    f = open(path)  # ok
    f.read()  # ok


async def parameter_open(open, path):
    f = open(path)  # ok
    f.read()  # ok
