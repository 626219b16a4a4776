"""AF103 blocking-file. Each case is marked `# AF103` (must be found) or `# ok` (must not be)."""
import io
import json
import pathlib
import shutil
from pathlib import Path


async def open_calls(path):
    handle = open(path)  # AF103
    other = io.open(path, "rb")  # AF103
    return handle, other


async def returned(path):
    return open(path, "a")  # AF103


async def used_right_there(path):
    text = open(path).read()  # AF103
    for line in open(path):  # AF103
        print(line)
    data = json.load(open(path))  # AF103
    with open(path) as f:  # AF103
        data = f.read()  # AF103
    return text, data


async def paths(name, p: Path, q: pathlib.Path, other):
    Path(name).read_text()  # AF103
    pathlib.Path(name).write_bytes(b"")  # AF103
    p.write_text("x")  # AF103
    (q / "sub").read_bytes()  # AF103
    q.parent.read_text(encoding="utf-8")  # AF103
    base = Path.cwd()
    base.joinpath("x").read_text()  # AF103
    other.read_text()  # ok
    p.exists()  # ok


async def shutil_calls(src, dst):
    shutil.copy(src, dst)  # AF103
    shutil.copytree(src, dst, dirs_exist_ok=True)  # AF103
    shutil.move(src, dst)  # AF103
    shutil.rmtree(dst, ignore_errors=True)  # AF103
    shutil.which("ls")  # ok


async def shadowed(open, path):
    open(path)  # ok


async def not_async_context(path):
    def worker():
        return open(path).read()  # ok

    return worker, (open(p) for p in path)  # ok


def _load(path):
    with open(path) as f:  # ok
        return f.read()


class Store:
    def __init__(self, root: Path):
        self.root = root

    def save(self, text):
        self._write(text)

    def _write(self, text):
        (self.root / "data").write_text(text)  # ok

    async def flush(self, text):
        self.save(text)  # AF103
        return _load(self.root)  # AF103
