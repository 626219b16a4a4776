"""AF102 blocking-http: httpx2, httpx clients through declarations and globals, urllib3 pools.
Each case is marked `# AF102` (must be found) or `# ok` (must not be)."""
from typing import Optional
from urllib import request
from urllib.request import urlopen as fetch

import httpx
import httpx2
import urllib3
import urllib3.connectionpool
import urllib3.poolmanager


async def httpx2_functions(url):
    httpx2.get(url)  # AF102
    httpx2.post(url, json={})  # AF102
    httpx2.request("GET", url)  # AF102
    with httpx2.stream("GET", url) as response:  # AF102
        print(response)
    httpx2.URL(url)  # ok


async def urllib_request(url):
    request.urlopen(url)  # AF102
    fetch(url)  # AF102
    request.Request(url)  # ok


async def httpx2_client(url, a: httpx2.Client, b: Optional[httpx2.Client], c: None | httpx.Client):
    client = httpx2.Client()
    client.get(url)  # AF102
    client.send(url)  # AF102
    client.close()  # AF102
    client.build_request("GET", url)  # ok
    client.anything()  # ok
    a.post(url)  # AF102
    b.put(url)  # AF102
    c.delete(url)  # AF102


async def declared(url):
    client: httpx.Client = make()
    client.send(url)  # AF102
    other: httpx2.Client = ...
    other.head(url)  # AF102


GLOBAL_CLIENT = httpx.Client()
GLOBAL_POOL: urllib3.PoolManager = urllib3.PoolManager()


async def module_globals(url):
    GLOBAL_CLIENT.get(url)  # AF102
    GLOBAL_POOL.request("GET", url)  # AF102


async def pools(url):
    a: urllib3.ProxyManager = ...
    a.urlopen("GET", url)  # AF102
    b: urllib3.poolmanager.ProxyManager = ...
    b.request("GET", url)  # AF102
    c: urllib3.connectionpool.ConnectionPool = ...
    c.close()  # AF102
    d: "urllib3.request.RequestMethods" = ...
    d.request_encode_body("POST", url)  # AF102
    e = urllib3.HTTPSConnectionPool("example.com")
    e.anything()  # AF102
    e.connection_from_url(url)  # ok
    e.is_same_host(url)  # ok
    f: urllib3.anything = ...
    f.request("GET", url)  # ok


def sync_code(url, client: httpx2.Client):
    httpx2.get(url)  # ok
    client.get(url)  # ok
