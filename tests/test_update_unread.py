"""An update removes a report only when its file is really gone, through the real command line.

What cannot be read now (a truncated .jsonl.gz, a bad JSON line, a sub-folder it may not
enter, a file turned into a pipe or emptied by a crash) keeps its indexed reports; the
summary names each such place and the exit code is 3.

The sub-folder is made unreadable with its permissions. So that this holds when the tests
run as root too, the command runs without the capabilities that let root read any folder.
"""
from __future__ import annotations

import ctypes
import gzip
import json
import os
import subprocess
import sys

import pytest

from .cluster import collection, opensearch_url
from .conftest import ROOT, indexed, write_reports

PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2
WIRE, PLAIN = 100, 5


def bound_by_permissions() -> None:
    """In the child, before exec: root without the capabilities that bypass file permissions."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)  # fails harmlessly when not root


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "search", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, preexec_fn=bound_by_permissions)


def lines(records: range) -> bytes:
    return "".join(json.dumps({"id": f"w{n}", "title": f"Dépêche {n}", "text": f"Convoi {n} vers Alep. " * 20}) + "\n"
                   for n in records).encode()


@pytest.fixture(params=["whoosh", "opensearch"])
def where(request, tmp_path):
    """(location, engine, the command line's arguments naming it): a folder, or a collection on the test cluster."""
    if request.param == "whoosh":
        yield tmp_path / "index", "whoosh", ["--index", tmp_path / "index"]
        return
    with collection(opensearch_url(), "unread") as cluster:
        yield cluster, "opensearch", ["--engine", "opensearch", "--opensearch-url", ",".join(cluster.urls),
                                      "--opensearch-index", cluster.name]


@pytest.fixture
def folder(tmp_path, where):
    reports = write_reports(tmp_path / "reports", {
        **{f"{name}.txt": f"Rapport {name}\n\nÀ Homs." for name in ("a", "b", "gone", "piped", "zeroed")},
        **{f"locked/{name}.txt": f"Rapport {name}\n\nÀ Alep." for name in ("c", "d", "e")},
        "wire.jsonl.gz": gzip.compress(lines(range(WIRE))),
        "plain.jsonl": lines(range(WIRE, WIRE + PLAIN)),
    })
    assert run("rebuild", "--reports", reports, *where[2]).returncode == 0
    yield reports, where
    (reports / "locked").chmod(0o755)


def test_what_cannot_be_read_now_keeps_its_reports(folder):
    reports, (index, engine, naming) = folder
    total = 5 + 3 + WIRE + PLAIN
    assert indexed(index, engine) == total
    (reports / "gone.txt").unlink()                                 # really gone: removed
    whole = (reports / "wire.jsonl.gz").read_bytes()
    (reports / "wire.jsonl.gz").write_bytes(whole[: len(whole) // 3])  # truncated mid-stream
    plain = (reports / "plain.jsonl").read_bytes().split(b"\n")
    plain[2] = plain[2][:30]                                        # a line cut short: invalid JSON
    (reports / "plain.jsonl").write_bytes(b"\n".join(plain))
    (reports / "locked").chmod(0)                                   # a sub-folder it may not read
    (reports / "piped.txt").unlink()
    os.mkfifo(reports / "piped.txt")                                # no longer a regular file
    (reports / "zeroed.txt").write_bytes(b"")                       # emptied by a crash
    r = run("update", "--reports", reports, *naming)
    assert r.returncode == 3, (r.stdout, r.stderr)
    out = r.stdout.splitlines()
    assert out[0].startswith(f"mis à jour {index} : 0 rapport indexé, ") and ", 1 retiré, " in out[0], out[0]
    kept = {line for line in out if " gardé" in line and "illisible cette fois" in line}
    assert {"  3 rapports gardés tels qu'indexés : locked illisible cette fois",
            "  1 rapport gardé tel qu'indexé : plain.jsonl illisible cette fois",
            "  1 rapport gardé tel qu'indexé : piped.txt illisible cette fois",
            "  1 rapport gardé tel qu'indexé : zeroed.txt illisible cette fois"} <= kept, out
    [wire] = [line for line in kept if "wire.jsonl.gz" in line]
    assert 0 < int(wire.split()[0]) < WIRE
    assert indexed(index, engine) == total - 1

    (reports / "locked").chmod(0o755)  # all readable again: as it was, but for the file really gone
    (reports / "wire.jsonl.gz").write_bytes(whole)
    (reports / "plain.jsonl").write_bytes(lines(range(WIRE, WIRE + PLAIN)))
    (reports / "piped.txt").unlink()
    write_reports(reports, {name: f"Rapport {name[:-4]}\n\nÀ Homs." for name in ("piped.txt", "zeroed.txt")})
    r = run("update", "--reports", reports, *naming)
    assert r.returncode == 0 and "gardé" not in r.stdout, r.stdout
    assert r.stdout.startswith(f"mis à jour {index} : 0 rapport indexé, {total - 1} inchangés, 0 retiré, 0 ignoré")
    assert indexed(index, engine) == total - 1
