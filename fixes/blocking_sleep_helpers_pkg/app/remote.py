import requests


async def arefresh(url):
    return requests.get(url)  # AF102
