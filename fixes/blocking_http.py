"""AF102 blocking-http. Each case is marked `# AF102` (must be found) or `# ok` (must not be)."""
import urllib.request
from urllib.request import urlopen

import httpx
import requests
import urllib3
import urllib3.connectionpool
from requests import get as fetch
from urllib3 import PoolManager
from urllib3 import request as u3request
from urllib3.poolmanager import PoolManager as PM


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


async def urllib3_calls(url, pool: urllib3.PoolManager, conn: urllib3.HTTPConnectionPool, other):
    urllib3.request("GET", url)  # AF102
    u3request("GET", url)  # AF102
    pool.request("GET", url)  # AF102
    pool.urlopen("GET", url)  # AF102
    pool.request_encode_url("GET", url)  # AF102
    pool.request_encode_body("POST", url, fields={"a": "1"})  # AF102
    urllib3.PoolManager().request("GET", url)  # AF102
    PoolManager().urlopen("GET", url)  # AF102
    PM().request("GET", url)  # AF102
    conn.request("GET", "/")  # AF102
    conn.urlopen("GET", "/")  # AF102
    urllib3.HTTPSConnectionPool("example.com").request("GET", "/")  # AF102
    urllib3.connectionpool.HTTPConnectionPool("example.com").urlopen("GET", "/")  # AF102
    other.urlopen("GET", url)  # ok
    other.request_encode_body("POST", url)  # ok


async def client_methods(url, client: httpx.Client, session: requests.Session, req, other):
    httpx.request("GET", url)  # AF102
    client.request("GET", url)  # AF102
    client.post(url)  # AF102
    client.put(url)  # AF102
    client.patch(url)  # AF102
    client.delete(url)  # AF102
    client.head(url)  # AF102
    client.options(url)  # AF102
    client.send(req)  # AF102
    client.close()  # AF102
    with client.stream("GET", url) as response:  # AF102
        print(response)
    session.request("GET", url)  # AF102
    session.get(url)  # AF102
    session.post(url)  # AF102
    session.patch(url)  # AF102
    session.head(url)  # AF102
    session.options(url)  # AF102
    session.send(req)  # AF102
    session.close()  # AF102
    other.close()  # ok
    other.send(req)  # ok


def sync_clients(url, client: httpx.Client, session: requests.Session, pool: urllib3.PoolManager):
    urllib3.request("GET", url)  # ok
    pool.request("GET", url)  # ok
    pool.urlopen("GET", url)  # ok
    urllib3.PoolManager().request_encode_url("GET", url)  # ok
    httpx.request("GET", url)  # ok
    client.options(url)  # ok
    client.close()  # ok
    with client.stream("GET", url) as response:  # ok
        print(response)
    session.send(url)  # ok
    session.close()  # ok
