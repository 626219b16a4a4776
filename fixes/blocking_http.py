"""AF102 blocking-http. Each case is marked `# AF102` (must be found) or `# ok` (must not be)."""
import urllib.request
from urllib.request import urlopen

import httpx
import requests
from requests import get as fetch


async def module_functions(url):
    r = requests.get(url, timeout=5)  # AF102
    requests.post(url, json={"a": 1})  # AF102
    fetch(url)  # AF102
    data = requests.get(url).json()  # AF102
    body = urlopen(url).read()  # AF102
    urllib.request.urlopen(url)  # AF102
    httpx.get(url)  # AF102
    return r, data, body


async def sessions(url, session: requests.Session, client: httpx.Client, other):
    s = requests.Session()
    s.get(url)  # AF102
    session.put(url, data=b"")  # AF102
    client.get(url)  # AF102
    requests.Session().delete(url)  # AF102
    with httpx.Client() as c:
        c.post(url)  # AF102
    other.get(url)  # ok
    {}.get(url)  # ok


class Api:
    def __init__(self):
        self.session = requests.Session()
        self.cache = {}

    async def fetch(self, url):
        self.cache.get(url)  # ok
        return self.session.get(url)  # AF102


async def report_only(url, token):
    with httpx.stream("GET", url) as response:  # AF102
        async for chunk in response.aiter_bytes():
            print(chunk)
    requests.get(url, headers=await token())  # AF102


async def async_clients(url):
    async with httpx.AsyncClient() as client:
        await client.get(url)  # ok


async def not_async_context(url):
    def worker():
        return requests.get(url)  # ok

    return worker


def _download(url):
    return requests.get(url).content  # ok


def refresh(url):
    return _download(url)  # ok


async def through_helpers(url):
    return refresh(url)  # AF102
