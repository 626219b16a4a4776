#!/usr/bin/env python3
"""Run a command; print "<wall_seconds> <peak_rss_mb> <exit_code>" on stdout.

The command's own stdout/stderr go to /dev/null (the benchmark only times it).
Peak RSS is ru_maxrss of the waited-for children (the largest single process).
A command killed by a signal reports exit code 128+signal.
Usage: measure.py CMD [ARGS...]
"""
import resource
import subprocess
import sys
import time

if len(sys.argv) < 2:
    sys.exit("usage: measure.py CMD [ARGS...]")

start = time.perf_counter()
try:
    rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
except OSError as e:
    sys.exit(f"measure.py: cannot run {sys.argv[1]}: {e}")
wall = time.perf_counter() - start
if rc < 0:
    rc = 128 - rc
maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
# Linux reports KiB, macOS bytes.
mb = maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024
print(f"{wall:.3f} {mb:.1f} {rc}")
