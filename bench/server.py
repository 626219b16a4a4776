#!/usr/bin/env python3
"""Time `asyncfix server` as an editor uses it (standard library only).

With a folder as the workspace: start the server, `initialize`, open one file, and time
- initialize -> the first diagnostics of the opened file (the file on its own, while the
  workspace is indexed on a worker thread);
- initialize -> the end of indexing (the server's `window/logMessage`);
- initialize -> the diagnostics made with the project's knowledge (the first ones after it);
- didChange -> the new diagnostics, for a number of edits (each adds a module-level line, so
  that what the module defines changes and the index is made again), as median, 90th
  percentile and maximum.

    python3 bench/server.py --binary target/release/asyncfix \\
        --workspace /tmp/asyncfix-corpus-async/src/prefect --file prefect/flows.py
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import queue
import time
from pathlib import Path


class Server:
    def __init__(self, binary, cwd):
        self.proc = subprocess.Popen(
            [binary, "server"], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.messages = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            self.messages.put((time.perf_counter(), json.loads(out.read(length))))

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.next_id

    def wait(self, accept, timeout=120):
        """The first message that `accept`s, with the time it arrived; answers the server's requests."""
        deadline = time.perf_counter() + timeout
        while True:
            item = self.messages.get(timeout=max(0.0, deadline - time.perf_counter()))
            if item is None:
                sys.exit("the server exited")
            at, message = item
            if "method" in message and "id" in message:
                result = None
                if message["method"] == "workspace/configuration":
                    result = [None] * len(message["params"]["items"])
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": result})
                continue
            if accept(message):
                return at, message


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="target/release/asyncfix")
    parser.add_argument("--workspace", default="/tmp/asyncfix-corpus-async/src/prefect")
    parser.add_argument("--file", default="prefect/flows.py", help="relative to the workspace")
    parser.add_argument("--edits", type=int, default=30)
    args = parser.parse_args()

    root = Path(args.workspace).resolve()
    path = root / args.file
    uri = path.as_uri()
    text = path.read_text(encoding="utf-8")
    binary = str(Path(args.binary).resolve())
    server = Server(binary, root)

    def diagnostics_of(version=None):
        def accept(m):
            if m.get("method") != "textDocument/publishDiagnostics" or m["params"]["uri"] != uri:
                return False
            return version is None or m["params"].get("version") == version
        return accept

    t0 = time.perf_counter()
    init = server.request("initialize", {
        "processId": os.getpid(),
        "rootUri": root.as_uri(),
        "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
        "capabilities": {"workspace": {"configuration": True,
                                       "didChangeWatchedFiles": {"dynamicRegistration": True}}},
    })
    server.wait(lambda m: m.get("id") == init and "method" not in m)
    server.notify("initialized", {})
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "python", "version": 1, "text": text}})
    first_at, first = server.wait(diagnostics_of())
    indexed_at, log = server.wait(lambda m: m.get("method") == "window/logMessage"
                                  and "indexed" in m["params"]["message"])
    full_at, full = server.wait(diagnostics_of())

    lines = text.count("\n")
    latencies = []
    for i in range(args.edits):
        version = i + 2
        edit = f"_asyncfix_bench_{i} = {i}\n"
        position = {"line": lines + i, "character": 0}
        sent = time.perf_counter()
        server.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": position, "end": position}, "text": edit}],
        })
        at, _ = server.wait(diagnostics_of(version))
        latencies.append(at - sent)

    shutdown = server.request("shutdown", None)
    server.wait(lambda m: m.get("id") == shutdown and "method" not in m)
    server.notify("exit", None)
    code = server.proc.wait(timeout=30)

    ms = lambda s: f"{s * 1000:.0f} ms"
    latencies.sort()
    p90 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.9))]
    print(f"workspace: {root} ({log['params']['message']})")
    print(f"file: {args.file} ({len(text)} bytes, {lines} lines)")
    print(f"initialize -> first diagnostics: {ms(first_at - t0)} "
          f"({len(first['params']['diagnostics'])} diagnostics, the file on its own)")
    print(f"initialize -> indexed: {ms(indexed_at - t0)}")
    print(f"initialize -> diagnostics with the project: {ms(full_at - t0)} "
          f"({len(full['params']['diagnostics'])} diagnostics)")
    print(f"didChange -> diagnostics ({len(latencies)} edits): median {ms(statistics.median(latencies))}, "
          f"p90 {ms(p90)}, max {ms(latencies[-1])}")
    print(f"exit code after shutdown: {code}")


if __name__ == "__main__":
    main()
