"""A base class with a blocking sync method."""


class Base:
    def __init__(self, path):
        self.path = path

    def load(self):
        with open(self.path) as f:  # ok
            return f.read()
