"""HTTP through the real server (uvicorn on 127.0.0.1), as a client on the network sees it."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.parse

import pytest

from .conftest import ROOT, SEEDS, fetch, serving

LONG = [150 * 1024, 900 * 1024]  # query strings past what a URL may carry, under what uvicorn reads


@pytest.fixture(scope="module")
def base(seeds_index):
    with serving(seeds_index) as url:
        yield url


@pytest.mark.parametrize("path", ["/api/search", "/", "/reports/004_5f5f0d47140a8dcd"])
@pytest.mark.parametrize("method", ["OPTIONS", "POST", "DELETE"])
def test_other_methods_are_405_with_allow(base, path, method):
    status, headers, body = fetch(base + path, method)
    assert status == 405 and set(headers["allow"].split(", ")) == {"GET", "HEAD"}, headers
    if path.startswith("/api/"):
        assert set(json.loads(body)) == {"error", "param"}


def raw_get(base: str, target: str) -> tuple[int, str]:
    """The status line and body of a GET sent as bytes, so that no client library trims it."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=15) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode("utf-8")


@pytest.mark.parametrize("size", LONG)
@pytest.mark.parametrize("path", ["/api/search", "/"])
def test_a_huge_query_string_is_414_not_a_reset(base, path, size):
    status, body = raw_get(base, f"{path}?q=" + "a" * size)
    assert status == 414, body[:200]
    if path.startswith("/api/"):
        assert set(json.loads(body)) == {"error", "param"}
    else:
        assert "trop longue" in body


def test_a_long_query_is_still_answered(base):
    status, _, body = fetch(base + "/api/search?" + urllib.parse.urlencode({"q": "Hezbollah " * 2500}))
    assert status == 200 and json.loads(body)["total"] == 2


@pytest.mark.parametrize("query", ["q=Hezbollah", "q=x&page=0", "q=" + "a" * LONG[0]])
def test_api_answers_say_how_to_cache_them(base, query):
    status, headers, _ = fetch(f"{base}/api/search?{query}")
    assert status in (200, 400, 414) and headers["cache-control"] == "no-cache", headers


def test_the_server_says_where_it_listens_and_what_it_serves(seeds_index):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "server.py", "--port", str(port), "--index", str(seeds_index)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        assert line == (f"Revue de presse : 2 rapports dans {seeds_index} (construit depuis {SEEDS}), "
                        f"sur http://127.0.0.1:{port}/")
        assert fetch(f"http://127.0.0.1:{port}/api/search")[0] == 200  # said once it listens
    finally:
        proc.terminate()
        proc.wait(10)


def test_reports_other_than_the_index_s_are_named_with_what_to_run(seeds_index, tmp_path):
    """--reports only builds a missing index: when it names another folder, the server says so."""
    other = tmp_path / "autres"
    other.mkdir()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "server.py", "--port", str(port), "--index", str(seeds_index),
                             "--reports", str(other)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert f"(construit depuis {SEEDS})" in proc.stdout.readline()
        warning = proc.stderr.readline().strip()
        assert warning.startswith(f"attention : l’index {seeds_index} a été construit depuis {SEEDS}, pas depuis {other}")
        assert warning.endswith(f"python -m search rebuild --reports {other} --index {seeds_index} "
                                "(le serveur le prend sans redémarrer)")
    finally:
        proc.terminate()
        proc.wait(10)


def test_a_port_in_use_is_one_line(seeds_index, base):
    port = urllib.parse.urlsplit(base).port
    r = subprocess.run([sys.executable, "server.py", "--port", str(port), "--index", str(seeds_index)],
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and r.stderr.strip().splitlines() == [f"erreur : impossible d’écouter sur 127.0.0.1:{port} (Address already in use)"]


def test_connections_to_the_listening_socket_send_without_delay():
    """asyncio sets TCP_NODELAY only on sockets made as IPPROTO_TCP: without it a kept-alive
    connection's every answer waited 40 ms for a delayed ACK."""
    import asyncio
    import socket

    from search.web.serve import bind_listening

    listening = bind_listening("127.0.0.1", 0)

    async def accept_one() -> int:
        got: asyncio.Future = asyncio.get_running_loop().create_future()

        async def handle(reader, writer):
            got.set_result(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        srv = await asyncio.start_server(handle, sock=listening)
        _, writer = await asyncio.open_connection("127.0.0.1", listening.getsockname()[1])
        value = await got
        writer.close()
        srv.close()
        await srv.wait_closed()
        return value

    assert asyncio.run(accept_one()) != 0
