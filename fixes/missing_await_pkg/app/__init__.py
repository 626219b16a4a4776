"""A package that re-exports a coroutine function under another name."""
from .api import notify as send_notification
