"""No coroutine here, but a call of one the project defines: reported, not fixable."""
from .api import notify


def callback(user):
    notify(user)  # AF001
