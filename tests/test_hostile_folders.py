"""Hostile reports folders, through the real command line: nothing hangs, blows memory or is lost.

Each rebuild runs with a timeout and under an address-space limit, so a hang fails the test
instead of the suite, and so does a read that grows without bound.
"""
from __future__ import annotations

import gzip
import html
import json
import os
import re
import resource
import subprocess
import sys
import urllib.parse
from pathlib import Path

from search import indexing
from search.params import SearchParams
from search.service import SearchService

from .conftest import ROOT, fetch, serving, write_reports

MEMORY = 2 * 1024 ** 3  # bytes of address space a rebuild of these folders may take
BIG_LINE = 65 * 1024 * 1024  # over the 64 MB a line may have


def run(*args, timeout: float = 60) -> subprocess.CompletedProcess:
    def bounded():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    return subprocess.run([sys.executable, "-m", "search", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=bounded)


def record(n: int) -> str:
    return json.dumps({"id": f"ok{n}", "title": f"Dépêche {n}", "text": f"Le convoi {n} est à Alep."}) + "\n"


def skipped(stdout: str) -> dict[str, str]:
    prefix = "  ignoré "
    return dict(line[len(prefix):].split(" : ", 1) for line in stdout.splitlines() if line.startswith(prefix))


def indexed_ids(index: Path) -> set[str]:
    ix = SearchService.open(index)
    try:
        result = ix.run(SearchParams(q="", per_page=100))
        return {hit.id for hit in result.hits}
    finally:
        ix.close()


def test_jsonl_files_get_the_checks_of_text_files(tmp_path):
    reports = write_reports(tmp_path / "reports", {
        "good.jsonl": record(1) + record(2),
        "long.jsonl.gz": gzip.compress(record(3).encode() + b"x" * BIG_LINE + b"\n" + record(4).encode()),
    })
    os.mkfifo(reports / "fifo.jsonl")                      # opening it would wait for a writer
    (reports / "zero.jsonl").symlink_to("/dev/zero")       # one endless line
    (reports / "random.jsonl.gz").symlink_to("/dev/urandom")
    with open(reports / "sparse.jsonl", "wb") as fh:       # 5 GB that take no room
        fh.truncate(5 * 1024 ** 3)
    index = tmp_path / "index"
    r = run("rebuild", "--reports", reports, "--index", index, "--follow-links")  # links to devices too
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert r.stdout.startswith(f"reconstruit {index} : 4 rapports indexés, 5 ignorés, ")
    assert skipped(r.stdout) == {
        "fifo.jsonl": "pas un fichier ordinaire", "zero.jsonl": "pas un fichier ordinaire",
        "random.jsonl.gz": "pas un fichier ordinaire", "sparse.jsonl": "plus de 4 Go",
        "long.jsonl.gz#2": "ligne de plus de 64 Mo"}
    assert indexed_ids(index) == {"ok1", "ok2", "ok3", "ok4"}


def test_a_link_out_of_the_reports_folder_is_not_followed_unless_asked(tmp_path):
    outside = write_reports(tmp_path / "outside", {"secret.txt": "Secret\n\nLe mot Zorblax est privé.",
                                                   "dir/more.txt": "Encore\n\nZorblax encore."})
    reports = write_reports(tmp_path / "reports", {"real/in.txt": "Dedans\n\nÀ Alep."})
    (reports / "passwd.txt").symlink_to(outside / "secret.txt")
    (reports / "alias.txt").symlink_to(reports / "real" / "in.txt")  # a link that stays inside: read
    (reports / "elsewhere").symlink_to(outside / "dir")              # a link to a folder: never entered
    index = tmp_path / "index"
    r = run("rebuild", "--reports", reports, "--index", index)
    assert r.returncode == 0 and r.stdout.startswith(f"reconstruit {index} : 2 rapports indexés, 2 ignorés"), r
    assert skipped(r.stdout) == {
        "passwd.txt": f"lien hors du dossier de rapports, vers {(outside / 'secret.txt').resolve()} : non suivi "
                      "(--follow-links le suit)",
        "elsewhere": "lien vers un dossier : non suivi"}
    assert indexed_ids(index) == {"real/in", "alias"}
    query = run("query", "Zorblax", "--index", index)
    assert query.returncode == 0 and query.stdout.startswith("0 rapport\n")

    r = run("update", "--reports", reports, "--index", index, "--follow-links")  # asked: read
    assert r.returncode == 0 and r.stdout.startswith(f"mis à jour {index} : 1 rapport indexé, 2 inchangés"), r
    assert indexed_ids(index) == {"real/in", "alias", "passwd"}
    r = run("update", "--reports", reports, "--index", index)  # not asked again: it goes
    assert r.returncode == 0 and ", 1 retiré, " in r.stdout, r.stdout
    assert indexed_ids(index) == {"real/in", "alias"}


def test_a_link_to_a_collection_out_of_the_folder_is_followed(tmp_path):
    outside = tmp_path / "shared"
    outside.mkdir()
    (outside / "news.jsonl.gz").write_bytes(gzip.compress((record(1) + record(2)).encode()))
    (outside / "notes.jsonl").write_text(record(3), encoding="utf-8")
    reports = write_reports(tmp_path / "reports", {"in.txt": "Dedans\n\nÀ Alep."})
    (reports / "news.jsonl.gz").symlink_to(outside / "news.jsonl.gz")  # records only: followed
    (reports / "notes.jsonl").symlink_to(outside / "notes.jsonl")      # plain text lines: not
    index = tmp_path / "index"
    r = run("rebuild", "--reports", reports, "--index", index)
    assert r.returncode == 0 and r.stdout.startswith(f"reconstruit {index} : 3 rapports indexés, 1 ignoré"), r
    assert indexed_ids(index) == {"in", "ok1", "ok2"}


# --- report ids and their links -------------------------------------------------------

REFUSED_IDS = {
    ".": "une partie '.' ou '..'", "..": "une partie '.' ou '..'", "./y": "une partie '.' ou '..'",
    "../x": "une partie '.' ou '..'", "a/./b": "une partie '.' ou '..'", "a/..": "une partie '.' ou '..'",
    "line\nbreak": "un caractère de contrôle", "tab\there": "un caractère de contrôle", "nul\x00": "un caractère de contrôle",
    "half\ud800": "un demi-code (surrogate) isolé", "x" * 1001: "plus de 1000 caractères",
}
ACCEPTED_IDS = ["x" * 1000, "...", ".hidden", "a//b", "/lead", "trail/", "a?b", "a#b", "%2e%2e", "a%2Fb",
                "a b", " lead", "a\\b", "a;b&c=d+e", "~u", "é/日本", "\u2028sep", "\u202erev"]


def test_every_indexed_report_opens_from_its_result_link(tmp_path):
    ids = list(REFUSED_IDS) + ACCEPTED_IDS
    lines = "".join(json.dumps({"id": i, "title": f"Titre {n}", "text": f"Corps {n} à Alep."}) + "\n"
                    for n, i in enumerate(ids))
    reports = write_reports(tmp_path / "reports", {"odd.jsonl": lines})
    summary = indexing.rebuild(reports, tmp_path / "index", procs=1)
    reasons = {s.path: s.reason for s in summary.skipped}
    assert summary.indexed == len(ACCEPTED_IDS) and len(reasons) == len(REFUSED_IDS)
    for n, (report_id, why) in enumerate(REFUSED_IDS.items(), 1):
        assert reasons[f"odd.jsonl#{n}"].startswith("identifiant inutilisable ") and why in reasons[f"odd.jsonl#{n}"], reasons
    with serving(tmp_path / "index") as base:
        status, _, page = fetch(base + "/?q=Alep&per_page=100")
        links = re.findall(r'<h2><a href="([^"]+)">', page)
        assert status == 200 and len(links) == len(ACCEPTED_IDS)
        opened = set()
        for link in links:
            # As a browser or curl would: the link resolved against the page, dot segments removed.
            status, _, report = fetch(urllib.parse.urljoin(base + "/?q=Alep", html.unescape(link)))
            assert status == 200, (link, status)
            opened.add(re.search(r"<h1><bdi>Titre (\d+)</bdi></h1>", report)[1])
    assert opened == {str(ids.index(i)) for i in ACCEPTED_IDS}


def test_a_lone_surrogate_in_a_record_does_not_abort_the_rebuild(tmp_path):
    reports = write_reports(tmp_path / "reports", {"s.jsonl": b'{"id": "a", "title": "T \\ud800", "source": "S\\udc00",'
                                                              b' "text": "texte \\udfff fin"}\n' + record(1).encode()})
    index = tmp_path / "index"
    r = run("rebuild", "--reports", reports, "--index", index)
    assert r.returncode == 0 and r.stdout.startswith(f"reconstruit {index} : 2 rapports indexés, 0 ignoré"), r
    with serving(index) as base:
        status, _, body = fetch(base + "/api/search?q=texte")
    [hit] = json.loads(body)["hits"]
    assert status == 200 and (hit["title"], hit["source"]) == ("T \ufffd", "S\ufffd")


def remove_deep(top: Path) -> None:
    """Remove a chain of nested folders from the bottom up (shutil.rmtree, pytest's clean-up, recurses too)."""
    chain = [top]
    while sub := [p for p in chain[-1].iterdir() if p.is_dir() and not p.is_symlink()]:
        chain += sub[:1]
    for folder in reversed(chain):
        for path in folder.iterdir():
            if not path.is_dir() or path.is_symlink():
                path.unlink()
        folder.rmdir()


def test_a_folder_nested_a_thousand_levels_deep_is_read_to_its_limit(tmp_path, request):
    """Python 3.11's os.walk recursed once per level: about 990 levels failed with a RecursionError."""
    from search.ingest.walk import MAX_DEPTH
    reports = write_reports(tmp_path / "reports", {"top.txt": "En haut\n\nÀ Alep."})
    request.addfinalizer(lambda: remove_deep(reports / "d"))
    deep = reports
    for level in range(1, 991):
        deep = deep / "d"
        if level in (50, MAX_DEPTH, MAX_DEPTH + 1, 990):
            deep.mkdir(parents=True, exist_ok=True)
            (deep / f"at{level}.txt").write_text(f"Niveau {level}\n\nÀ Homs.", encoding="utf-8")
    deep.mkdir(parents=True, exist_ok=True)
    index = tmp_path / "index"
    for command in ("rebuild", "update"):
        r = run(command, "--reports", reports, "--index", index)
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
        assert "3 rapports indexés" in r.stdout.splitlines()[0] or ", 3 inchangés, " in r.stdout, r.stdout
        too_deep = "/".join(["d"] * (MAX_DEPTH + 1))
        assert skipped(r.stdout) == {too_deep: f"dossier à plus de {MAX_DEPTH} niveaux de profondeur : non lu"}
    assert indexed_ids(index) == {"top", "/".join(["d"] * 50) + "/at50", "/".join(["d"] * MAX_DEPTH) + f"/at{MAX_DEPTH}"}
