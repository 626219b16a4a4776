#!/usr/bin/env python3
"""AF003 where asyncio is not imported yet: the import is added once, after the others."""

from __future__ import annotations

import os
import time


async def first():
    time.sleep(1)  # AF003


async def second(path: str):
    time.sleep(len(os.listdir(path)))  # AF003
