from . import methods
from .methods import Methods


class Client(Methods):
    async def start(self):
        self.get_me()  # AF001
        await self.send_message("started")

    def run(self):
        self.send_message("hi")  # ok: rewrapped by sync.py
        self.get_me()  # ok: rewrapped by sync.py


class Other:
    async def fetch(self):
        return 1

    def run(self):
        self.fetch()  # AF001


def main():
    app = Client()
    app.send_message("hi")  # ok: rewrapped by sync.py
    Other().fetch()  # AF001
    Client.send_message(app, "hi")  # ok: rewrapped by sync.py
    Other.fetch(Other())  # AF001
    methods.Methods.get_me(app)  # ok: rewrapped by sync.py
    methods.SendMessage.send_message(app, "hi")  # AF001
