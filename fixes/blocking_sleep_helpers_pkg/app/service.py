import asyncio

from app import reload
from . import files, net, remote
from .net import refresh


class Service(files.Base):
    async def start(self, url):
        net.refresh(url)  # AF102
        refresh(url)  # AF102
        reload(url)  # AF102
        net.level1(url)  # AF102
        net.deep1(url)  # ok
        net.cached(url)  # ok
        net.pause()  # AF003
        net.both(url, self.path)  # AF102 AF103
        self.load()  # AF103
        net.harmless(1)  # ok
        await net.offloaded(url)  # ok
        await remote.arefresh(url)  # ok
        await asyncio.to_thread(net.refresh, url)  # ok
        await asyncio.get_running_loop().run_in_executor(None, self.load)  # ok

        def worker():
            return net.refresh(url)  # ok

        return await asyncio.to_thread(worker)  # ok


def sync_caller(url):
    return net.refresh(url)  # ok
