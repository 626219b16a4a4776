import app.api as m
from app import send_notification

from . import api
from .api import BaseClient, notify
from .api import notify as alert


class Client(BaseClient):
    async def go(self):
        self.send("x")  # AF001
        self.close()  # ok


async def handler(user):
    notify(user)  # AF001
    alert(user)  # AF001
    api.notify(user)  # AF001
    m.notify(user)  # AF001
    send_notification(user)  # AF001
    BaseClient.send(None, "x")  # AF001
    await notify(user)  # ok


def make_client() -> Client:
    return Client()


async def use():
    c = make_client()
    c.send("y")  # AF001
    d = Client()
    d.send("z")  # AF001
    d.close()  # ok
