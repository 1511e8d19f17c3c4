"""A name's variants through the app and the command line: the API's list, the analyst's
alias file read without a rebuild, `python -m search names`, French inflections."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import ROOT, built, make_client

REPORTS = {
    "daech.txt": "Daech\n\nDaech a revendiqué l'attaque.\n",
    "ei.txt": "État islamique\n\nLe groupe État islamique a revendiqué l'attaque.\n",
    "boukamal.txt": "Boukamal\n\nDes tirs près de Boukamal.\n",
    "bukamal.txt": "Al-Bukamal\n\nUn convoi à Al-Bukamal. Un autre à AL-BUKAMAL.\n",
    "frappes.txt": "Frappes\n\nLes frappes continuent.\n",
    "frappe.txt": "Frappe\n\nUne frappe a eu lieu.\n",
    "frappe2.txt": "Frappé\n\nLe village a été frappé.\n",
    "tchetchenie.txt": "Tchétchénie\n\nLa Tchétchénie reste sous contrôle.\n",
    "itchkerie.txt": "Itchkérie\n\nLa république d'Itchkérie en exil.\n",
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return built(tmp_path_factory.mktemp("variants"), REPORTS)


@pytest.fixture(scope="module")
def client(folder):
    with make_client(folder / "index", alias_file=folder / "aliases.tsv") as c:
        yield c


def api(client, q, **params):
    r = client.get("/api/search", params={"q": q, **params})
    assert r.status_code == 200, r.text
    return r.json()


def test_the_api_lists_each_spelling_with_its_reports_score_and_verdict(client):
    variants = api(client, "Boukamal")["variants"]
    assert all(set(v) == {"spelling", "reports", "score", "accepted", "reason"} for v in variants)
    assert all(v["reason"] is None for v in variants)  # no spelling here is turned down by its context
    by = {v["spelling"].casefold(): v for v in variants}
    assert by["boukamal"]["accepted"] and by["boukamal"]["score"] == 1.0
    assert by["al-bukamal"]["accepted"] and by["al-bukamal"]["reports"] == 1  # AL-BUKAMAL is the same entry


def test_the_analyst_alias_file_is_read_without_a_rebuild(client, folder):
    alias = folder / "aliases.tsv"
    alias.unlink(missing_ok=True)
    assert {h["id"] for h in api(client, "Tchétchénie")["hits"]} == {"tchetchenie"}
    alias.write_text("# my aliases\nTchétchénie, Itchkérie\tChechnya, as its separatists called it\n", encoding="utf-8")
    assert {h["id"] for h in api(client, "Tchétchénie")["hits"]} == {"tchetchenie", "itchkerie"}
    alias.unlink()
    assert {h["id"] for h in api(client, "Tchétchénie")["hits"]} == {"tchetchenie"}


def test_the_shipped_table_knows_the_groups_french_names(client):
    """Daech is État islamique (a phrase of French words) in the shipped table, no alias file needed."""
    body = api(client, "Daech")
    assert {h["id"] for h in body["hits"]} == {"daech", "ei"}
    assert {"spelling": "État islamique", "reports": 1, "score": 1.0, "accepted": True, "reason": None} in body["variants"]


def test_a_bad_alias_file_is_no_alias_file(client, folder):
    (folder / "aliases.tsv").write_bytes(b"\xff\xfe\x00garbage")
    try:
        assert {h["id"] for h in api(client, "Tchétchénie")["hits"]} == {"tchetchenie"}
    finally:
        (folder / "aliases.tsv").unlink()


def test_steering_parameters_are_bounded(client):
    r = client.get("/api/search", params=[("q", "Boukamal")] + [("sans", f"x{i}") for i in range(60)])
    assert r.status_code == 400 and "sans" in r.json()["error"]


def test_the_exact_form_ranks_above_its_inflections(client):
    assert [h["id"] for h in api(client, "frappes")["hits"]] == ["frappes", "frappe", "frappe2"]


def test_names_command_prints_accepted_and_rejected_spellings(folder):
    run = subprocess.run([sys.executable, "-m", "search", "names", "Boukamal", "--index", str(folder / "index")],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("acceptées (")
    assert "Al-Bukamal" in run.stdout and "refusées (" in run.stdout
    as_json = subprocess.run([sys.executable, "-m", "search", "names", "Boukamal", "--json",
                              "--index", str(folder / "index")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    found = json.loads(as_json.stdout)
    assert [g["name"] for g in found] == ["Boukamal"]
    assert {"spelling": "Boukamal", "reports": 1, "score": 1.0, "accepted": True, "reason": None} in found[0]["variants"]


def test_names_are_listed_sorted(folder):
    """Accepted: the most reported first; rejected: the closest first; ties by spelling. The text and JSON agree."""
    as_json = subprocess.run([sys.executable, "-m", "search", "names", "Boukamal", "--json",
                              "--index", str(folder / "index")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    [group] = json.loads(as_json.stdout)
    found = group["variants"]
    accepted = [v for v in found if v["accepted"]]
    rejected = [v for v in found if not v["accepted"]]
    assert found == accepted + rejected and accepted
    assert accepted == sorted(accepted, key=lambda v: (-v["reports"], v["spelling"].casefold(), v["spelling"]))
    assert rejected == sorted(rejected, key=lambda v: (-v["score"], -v["reports"], v["spelling"].casefold(),
                                                       v["spelling"]))
    text = subprocess.run([sys.executable, "-m", "search", "names", "Boukamal", "--index", str(folder / "index")],
                          cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
    listed = [line[2:].split(None, 2)[2].removesuffix("  (dans un nom plus long)").removesuffix("  (expression)")
              for line in text.splitlines() if line.startswith("  ")]
    assert listed == [v["spelling"] for v in found]


def test_query_command_takes_sans_and_avec(folder):
    run = subprocess.run([sys.executable, "-m", "search", "query", "Boukamal", "--sans", "Al-Bukamal", "--json",
                          "--index", str(folder / "index")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert [h["id"] for h in json.loads(run.stdout)["hits"]] == ["boukamal"]
