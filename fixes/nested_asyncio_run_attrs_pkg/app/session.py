from .curl import AsyncCurl, Unused


class Session:
    def __init__(self):
        self.acurl = AsyncCurl()
        self.other = None

    def close(self):
        self.acurl.close()
        self.acurl.close_if_idle()

    async def __aexit__(self, *exc):
        self.close()


async def local_handle():
    handle = Unused
    handle.close()
