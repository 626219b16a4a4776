#!/usr/bin/env python3
"""Generate a synthetic Python project for asyncfix's scaling benchmark (bench/scale.sh).

Usage: gen_project.py [--seed N] MODULES OUTDIR
       gen_project.py --version

The project has about MODULES modules (it stops at the first complete leaf package past the
count, so it overshoots by at most 13) and writes OUTDIR/manifest.json with the counts. Only the
standard library is used and the output is a pure function of (seed, MODULES).

Shape (identical for every size, so a linear tool has a flat time per module):

  pkNNN/                      top packages, as many as needed
    __init__.py               re-exports from md0/md1 and, 1..3 hops further, from pk(N+1)
    mdM/  (3 a top)           __init__.py re-exports from sb0/sb1, star-imports sb2
      sbS/  (3 a mid)         __init__.py re-exports from lf0/lf1, star-imports lf1
        lfL/  (2 a sub)       leaf package, 11 modules:
          __init__.py         re-exports (`from .s0 import fetch_data as leaf_fetch`), star-imports
                              s2 and s3 (s3 star-imports the package back: a star cycle)
          bases.py            plain classes (no async): diamonds and bases from other leaves
          helpers.py          sync helpers: time.sleep, requests.get, asyncio.run, helpers calling
                              helpers of other leaves (one of them, walk(), follows a random
                              functional graph across the whole project)
          s0.py .. s7.py      async modules: coroutines calling coroutines of the sibling ring
                              (an import cycle), of random leaves elsewhere, and through re-export
                              chains up to 8 hops long, without await (AF001); classes inheriting
                              from the ring, bases.py and other leaves with async methods called via
                              self/super; dangling create_task; sync helpers that block

About a third of the modules (every __init__.py, bases.py, helpers.py) contain no `async`.
Cross-leaf targets are drawn from a per-module seeded RNG, uniformly over the whole project.
"""
import json
import os
import random
import sys

# Bump when the generated content changes (bench/scale.sh keys its cache on it).
VERSION = "scale-gen-3"

MIDS = 3  # mid packages per top package
SUBS = 3  # sub packages per mid package
LEAVES = 2  # leaf packages per sub package
SVC = 8  # async modules per leaf package (s0 .. s7)
LEAF_MODULES = 1 + 2 + SVC  # __init__, bases, helpers, s*


class Leaf:
    def __init__(self, index, top, mid, sub, leaf):
        self.index = index
        self.top, self.mid, self.sub, self.leaf = top, mid, sub, leaf

    @property
    def top_name(self):
        return f"pk{self.top:03d}"

    @property
    def mid_name(self):
        return f"{self.top_name}.md{self.mid}"

    @property
    def sub_name(self):
        return f"{self.mid_name}.sb{self.sub}"

    @property
    def name(self):
        return f"{self.sub_name}.lf{self.leaf}"

    @property
    def dir(self):
        return self.name.replace(".", "/")


def build_tree(modules):
    """Leaves in order, adding packages as needed until the module count is reached."""
    leaves = []
    count = 0
    index = 0
    while count < modules:
        per_top = MIDS * SUBS * LEAVES
        top, rest = divmod(index, per_top)
        mid, rest = divmod(rest, SUBS * LEAVES)
        sub, leaf = divmod(rest, LEAVES)
        count += LEAF_MODULES
        if leaf == 0:
            count += 1  # the sub package's __init__
            if sub == 0:
                count += 1  # the mid package's __init__
                if mid == 0:
                    count += 1  # the top package's __init__
        leaves.append(Leaf(index, top, mid, sub, leaf))
        index += 1
    return leaves


class Tree:
    def __init__(self, leaves):
        self.leaves = leaves
        self.tops = max(l.top for l in leaves) + 1
        self.mids = {}  # top -> number of mids
        self.subs = {}  # (top, mid) -> number of subs
        self.lfs = {}  # (top, mid, sub) -> number of leaves
        for l in leaves:
            self.mids[l.top] = max(self.mids.get(l.top, 0), l.mid + 1)
            self.subs[(l.top, l.mid)] = max(self.subs.get((l.top, l.mid), 0), l.sub + 1)
            key = (l.top, l.mid, l.sub)
            self.lfs[key] = max(self.lfs.get(key, 0), l.leaf + 1)

    def far(self, rng, me):
        """A random leaf other than `me` (uniform over the project)."""
        if len(self.leaves) == 1:
            return me
        while True:
            other = self.leaves[rng.randrange(len(self.leaves))]
            if other.index != me.index:
                return other


# ---------------------------------------------------------------- package __init__ files


def top_init(tree, top):
    nxt = f"pk{(top + 1) % tree.tops:03d}"
    md1 = min(1, tree.mids[top] - 1)
    return f'''"""Top package pk{top:03d}: re-exports two levels down and from the next top package."""
from .md0 import mid_fetch as top_fetch, MidService as TopService, MidMixin as TopMixin
from .md{md1} import mid_process as top_process, MidWorker as TopWorker
from .md0 import *

# Re-export chains across packages: ext_fetch_3 is 3 hops into {nxt} and beyond, then 4 more down.
from {nxt} import top_fetch as ext_fetch_1
from {nxt} import ext_fetch_1 as ext_fetch_2
from {nxt} import ext_fetch_2 as ext_fetch_3
from {nxt} import TopService as ExtService

VERSION = "{top}"
'''


def mid_init(tree, top, mid):
    sb1 = min(1, tree.subs[(top, mid)] - 1)
    sb2 = min(2, tree.subs[(top, mid)] - 1)
    return f'''"""Mid package: re-exports from its sub packages."""
from .sb0 import sub_fetch as mid_fetch, SubService as MidService, SubMixin as MidMixin
from .sb{sb1} import sub_process as mid_process, SubWorker as MidWorker
from .sb{sb2} import *
'''


def sub_init(tree, top, mid, sub):
    lf1 = min(1, tree.lfs[(top, mid, sub)] - 1)
    return f'''"""Sub package: re-exports from its leaf packages."""
from .lf0 import leaf_fetch as sub_fetch, LeafService as SubService, Mixin as SubMixin
from .lf{lf1} import leaf_process as sub_process, LeafWorker as SubWorker
from .lf{lf1} import *
'''


def leaf_init(leaf):
    return f'''"""Leaf package {leaf.name}."""
from .bases import Model, Record, Mixin
from .s0 import fetch_data as leaf_fetch, Service as LeafService
from .s1 import process_item as leaf_process, Worker as LeafWorker
from .s2 import *
from .s3 import *
from . import helpers

__all__ = [
    "Model",
    "Record",
    "Mixin",
    "leaf_fetch",
    "leaf_process",
    "LeafService",
    "LeafWorker",
    "helpers",
    "fetch_data",
    "handle",
    "Service",
]
'''


# ---------------------------------------------------------------- leaf modules


def bases_module(tree, leaf):
    # No `async` anywhere in this file: a plain sync module.
    rng = random.Random(f"{tree.seed}/{leaf.name}.bases")
    a = tree.far(rng, leaf)
    b = tree.far(rng, leaf)
    return f'''"""Base classes of {leaf.name} (plain sync code)."""
from __future__ import annotations

import logging

from {a.name}.bases import Model as FarModel
from {b.top_name} import TopMixin as FarMixin

log = logging.getLogger(__name__)


class Model:
    registry: dict = {{}}

    def __init__(self, name="model"):
        self.name = name
        Model.registry[name] = self

    def describe(self):
        return f"{{self.__class__.__name__}}({{self.name}})"

    def save(self):
        log.info("save %s", self.name)
        return self

    def validate(self):
        return bool(self.name)


class Named(Model):
    def label(self):
        return self.name.upper()


class Timestamped(Model):
    created = 0

    def stamp(self):
        self.created += 1
        return self.created


class Record(Named, Timestamped):
    """A diamond over Model."""

    def describe(self):
        return super().describe() + f"@{{self.stamp()}}"


class Mixin:
    def mixin_value(self):
        return len(self.__class__.__mro__)


class Linked(FarModel):
    """Inherits from a class of another leaf package."""

    def link(self):
        return self.describe()


class Mixed(Record, FarMixin):
    """Wide: a local diamond plus a mixin re-exported by another top package."""

    def both(self):
        return self.label(), self.mixin_value()


def make_record(name):
    return Record(name).save()
'''


def helpers_module(tree, leaf):
    rng = random.Random(f"{tree.seed}/{leaf.name}.helpers")
    a = tree.far(rng, leaf)
    b = tree.far(rng, leaf)
    c = tree.far(rng, leaf)
    return f'''"""Sync helpers of {leaf.name}; some block, some reach blocking helpers of other packages."""
import asyncio
import time

import requests

from {a.name}.helpers import pause as far_pause
from {b.name} import helpers as far_helpers
from {c.name} import helpers as walk_next
from .s0 import fetch_data


def pause(seconds=0.01):
    time.sleep(seconds)


def download(url):
    return requests.get(url, timeout=5).text


def run_sync(x):
    return asyncio.run(fetch_data(x))


def compute(x):
    return x * 2 + 1


def retry(fn, attempts=3):
    for _ in range(attempts):
        try:
            return fn()
        except OSError:
            pause()
    return None


def slow_path(x):
    far_pause()
    return compute(x)


def chain_down(x):
    return far_helpers.slow_path(x)


def walk(n):
    # Follows a random functional graph over every helpers module of the project.
    if n <= 0:
        return compute(n)
    return walk_next.walk(n - 1)


def fmt(value):
    return f"<{{value}}>"
'''


def svc_module(tree, leaf, k):
    rng = random.Random(f"{tree.seed}/{leaf.name}.s{k}")
    prev = (k - 1) % SVC
    nxt = (k + 1) % SVC
    far_mod = tree.far(rng, leaf)
    far_mod_k = rng.randrange(SVC)
    far_dl = tree.far(rng, leaf)
    far_top = tree.far(rng, leaf)
    far_mid = tree.far(rng, leaf)
    far_leaf = tree.far(rng, leaf)
    far_cls = tree.far(rng, leaf)
    far_cls_k = rng.randrange(SVC)
    far_sub = tree.far(rng, leaf)

    stars = []
    if k == 3:
        stars.append("from . import *  # star cycle with the package __init__")
    if k == 4:
        stars.append("from .s5 import *  # star cycle between siblings")
    if k == 5:
        stars.append("from .s4 import *  # star cycle between siblings")
    if k == 6:
        stars.append(f"from {far_sub.sub_name} import *  # star import of another sub package")
    star_block = "\n".join(stars)

    return f'''"""Async service module {leaf.name}.s{k}."""
import asyncio
import time

import requests

from . import helpers
from .bases import Record, Linked, Mixin
from .helpers import pause, download as local_download
from .s{prev} import fetch_data as prev_fetch, Service as PrevService
from . import s{nxt} as next_mod
import {far_mod.name}.s{far_mod_k} as far_mod
from {far_dl.name}.helpers import download as far_download, chain_down
from {far_top.top_name} import top_fetch, ext_fetch_3, TopService
from {far_mid.mid_name} import mid_process, MidWorker
from {far_leaf.name} import leaf_fetch as far_leaf_fetch
from {far_cls.name}.s{far_cls_k} import Worker as FarWorker
{star_block}

background_tasks = set()


async def fetch_data(x):
    await asyncio.sleep(0)
    return helpers.compute(x)


async def process_item(x):
    prev_fetch(x)
    await prev_fetch(x)
    next_mod.fetch_data(x)
    far_mod.fetch_data(x)
    far_leaf_fetch(x)
    top_fetch(x)
    ext_fetch_3(x)
    mid_process(x)
    value = await far_mod.process_item(x)
    return value + await top_fetch(x)


async def handle(request):
    asyncio.create_task(fetch_data(request))
    task = asyncio.create_task(process_item(request))
    background_tasks.add(task)
    task.add_done_callback(background_tasks.discard)
    results = await asyncio.gather(prev_fetch(1), far_leaf_fetch(2), ext_fetch_3(3))
    helpers.pause()
    pause(0.5)
    local_download("http://example.com/a")
    far_download("http://example.com/b")
    helpers.run_sync(request)
    chain_down(request)
    helpers.walk(6)
    time.sleep(0.1)
    requests.get("http://example.com/c", timeout=1)
    return [helpers.fmt(r) for r in results]


async def fan_out(items):
    for item in items:
        fetch_data(item)
        await fetch_data(item)
        asyncio.ensure_future(process_item(item))
    return await asyncio.wait_for(handle(items), timeout=1)


def sync_entry(x):
    helpers.retry(lambda: x)
    return asyncio.run(process_item(x))


class Service(Record):
    async def start(self):
        await asyncio.sleep(0)
        return self.describe()

    async def run(self):
        self.start()
        await self.start()
        self.save()
        return await fetch_data(self.name)

    def label_sync(self):
        return self.label()


class Worker(PrevService, Linked):
    async def start(self):
        super().start()
        await super().start()
        self.run()
        self.link()
        helpers.pause()
        return await self.run()

    async def loop(self):
        while self.validate():
            self.start()
            await self.run()
            break


class Hybrid(FarWorker, TopService, Mixin):
    """Wide: a worker of another leaf, a service re-exported by another top package, a mixin."""

    async def go(self):
        self.start()
        self.run()
        self.loop()
        super().run()
        self.mixin_value()
        svc = Service("local")
        svc.run()
        await svc.run()
        return await self.start()


class MidHybrid(MidWorker, Mixin):
    async def go(self):
        self.start()
        return await self.run()


async def use_classes(name):
    worker = Worker(name)
    worker.start()
    await worker.loop()
    hybrid = Hybrid(name)
    await hybrid.go()
    far = FarWorker(name)
    far.run()
    return await MidHybrid(name).go()
'''


# ---------------------------------------------------------------- driver


def generate(modules, out, seed):
    leaves = build_tree(modules)
    tree = Tree(leaves)
    tree.seed = seed
    files = {}
    for top in range(tree.tops):
        files[f"pk{top:03d}/__init__.py"] = top_init(tree, top)
        for mid in range(tree.mids[top]):
            files[f"pk{top:03d}/md{mid}/__init__.py"] = mid_init(tree, top, mid)
            for sub in range(tree.subs[(top, mid)]):
                files[f"pk{top:03d}/md{mid}/sb{sub}/__init__.py"] = sub_init(tree, top, mid, sub)
    for leaf in leaves:
        files[f"{leaf.dir}/__init__.py"] = leaf_init(leaf)
        files[f"{leaf.dir}/bases.py"] = bases_module(tree, leaf)
        files[f"{leaf.dir}/helpers.py"] = helpers_module(tree, leaf)
        for k in range(SVC):
            files[f"{leaf.dir}/s{k}.py"] = svc_module(tree, leaf, k)
    lines = 0
    with_async = 0
    for rel, text in sorted(files.items()):
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        lines += text.count("\n")
        if "async " in text:
            with_async += 1
    manifest = {
        "version": VERSION,
        "seed": seed,
        "requested": modules,
        "modules": len(files),
        "modules_with_async": with_async,
        "lines": lines,
        "top_packages": tree.tops,
        "leaf_packages": len(leaves),
    }
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    return manifest


def main(argv):
    if argv[1:] == ["--version"]:
        print(VERSION)
        return 0
    args = argv[1:]
    seed = 1
    if len(args) >= 2 and args[0] == "--seed":
        seed = int(args[1])
        args = args[2:]
    if len(args) != 2 or not args[0].isdigit() or int(args[0]) < 1:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    manifest = generate(int(args[0]), args[1], seed)
    print(json.dumps(manifest))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
