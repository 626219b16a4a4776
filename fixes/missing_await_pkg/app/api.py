async def notify(user):
    return user


class BaseClient:
    async def send(self, message):
        return message

    def close(self):
        return None
