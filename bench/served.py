"""A server of the project started by a bench: asking it a page, and waiting until it answers.

Shared by bench/load.py and bench/huge.py, which both run `python server.py` and time it over HTTP.
"""
from __future__ import annotations

import http.client
import subprocess
import time


def get(port: int, path: str, timeout: float = 60) -> tuple[int, bytes]:
    """One GET on 127.0.0.1:port, on a connection of its own: the status and the body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_ready(port: int, server: subprocess.Popen, seconds: float = 300) -> None:
    """Until the server answers a search (it may be opening an index); exits when it dies or never answers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit code {server.returncode}): see its log")
        try:
            if get(port, "/api/search", timeout=5)[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")
