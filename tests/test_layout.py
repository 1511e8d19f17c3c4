"""The layout's promises: state lives on objects, and the engine seam is light."""
from __future__ import annotations

import json
import subprocess
import sys

from .conftest import ROOT, built, make_client


def _loaded_after(statement: str) -> set[str]:
    """The modules a fresh interpreter holds after ``statement`` (ours, markupsafe, whoosh, numpy…)."""
    code = f"{statement}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return set(json.loads(out))


def test_importing_the_engine_contract_loads_no_adapter_and_no_markup():
    loaded = _loaded_after("import search.engine.contract")
    ours = {m for m in loaded if m == "search" or m.startswith("search.")}
    assert ours == {"search", "search.engine", "search.engine.contract", "search.query", "search.query.nodes"}
    assert not {"markupsafe", "whoosh", "numpy", "starlette"} & loaded


def test_an_adapter_is_loaded_only_when_asked_for():
    loaded = _loaded_after("from search.engine import adapter")
    assert "whoosh" not in loaded and "search.engine.whoosh" not in loaded
    assert "search.engine.whoosh" in _loaded_after("from search.engine import adapter; adapter('whoosh')")


def test_importing_the_server_opens_nothing_and_sets_no_state(tmp_path):
    """``import server`` builds an app; its lifespan, not the import, opens the index and reads aliases."""
    loaded = _loaded_after("import server")
    assert "search.engine.whoosh" not in loaded  # no index opened, no adapter loaded


def test_two_apps_with_two_alias_files_answer_independently(tmp_path):
    root = built(tmp_path, {"vexilor.txt": "Un rapport\n\nLe convoi est arrivé à Vexilor.",
                            "kortavel.txt": "Un autre\n\nLes ruines de Kortavel."})
    (tmp_path / "one.tsv").write_text("Quilmaz, Vexilor\n", encoding="utf-8")
    (tmp_path / "two.tsv").write_text("Drovenka, Kortavel\n", encoding="utf-8")
    with make_client(root / "index", alias_file=tmp_path / "one.tsv") as one, \
            make_client(root / "index", alias_file=tmp_path / "two.tsv") as two:
        def ids(client, q):
            return [h["id"] for h in client.get("/api/search", params={"q": q}).json()["hits"]]
        # The second app, created after the first, leaves the first's aliases as they were.
        assert ids(one, "Quilmaz") == ["vexilor"] and ids(two, "Quilmaz") == []
        assert ids(two, "Drovenka") == ["kortavel"] and ids(one, "Drovenka") == []
        assert ids(one, "Quilmaz") == ["vexilor"]


def test_the_default_engine_loads_no_opensearch_client():
    """Whoosh stays the default that needs nothing but Python: the cluster's client is imported only when chosen."""
    loaded = _loaded_after("import server\nfrom search import settings\nsettings.engine_choice().location()")
    assert "opensearchpy" not in loaded and "search.engine.opensearch" not in loaded
