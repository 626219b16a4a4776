class SendMessage:
    async def send_message(self, text):
        return text


class Methods(SendMessage):
    async def get_me(self):
        return "me"

    def sync_helper(self):
        self.get_me()  # ok: rewrapped by sync.py
