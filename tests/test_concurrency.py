"""Searches side by side on a real index: no lock held across a search, heavy work in its own lane,
a deadline that answers with what it has, memories that stay within their bounds.

Threads stand for the server's workers; a search "in progress" is a real one holding what it holds
(a searcher lent by the pool, a turn in the heavy lane). Latency itself is measured by
``bench/load.py``, never here.
"""
from __future__ import annotations

import threading

import pytest

from search import settings
from search.engine.whoosh import lexicon
from search.engine.whoosh.generation import CACHED_RESULTS
from search.highlight import spans
from search.params import SearchParams, parse_params
from search.service import SearchService

from .conftest import built

WORDS = ["Alep", "Homs", "Damas", "Raqqa", "Idleb", "Hama", "Deraa", "Palmyre"]
REPORTS = {f"r{n:03d}.txt": f"date: 20{10 + n % 12}-0{1 + n % 9}\nDépêche {n} sur {WORDS[n % 8]}\n\n"
           f"Le convoi {n} est parti de {WORDS[n % 8]} vers {WORDS[(n + 3) % 8]}. "
           f"La route de {WORDS[(n + 5) % 8]} est fermée depuis la veille, selon la presse." for n in range(120)}


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    root = built(tmp_path_factory.mktemp("concurrency"), REPORTS)
    opened = SearchService.open(root / "index")
    yield opened
    opened.close()


def in_thread(work) -> tuple[threading.Thread, list]:
    out: list = []
    thread = threading.Thread(target=lambda: out.append(work()), daemon=True)
    thread.start()
    return thread, out


def test_a_search_runs_while_another_holds_a_searcher(service):
    """One searcher behind one lock made every search wait for the one before."""
    generation = service.engine._live
    with generation.searcher():  # a long search, reading
        thread, out = in_thread(lambda: service.run(SearchParams(q="Alep")))
        thread.join(60)
        assert not thread.is_alive(), "a search waited for another one's searcher"
    assert out[0].total == 45


def test_cheap_searches_pass_heavy_ones_waiting_for_their_turn(service, monkeypatch):
    monkeypatch.setitem(settings.DEFAULTS, "heavy_searches", 1)
    lanes = type(service.lanes)(1)
    monkeypatch.setattr(service, "lanes", lanes)
    with lanes.heavy():  # an export's page, running
        cheap, cheap_out = in_thread(lambda: service.run(SearchParams(q="Homs")))
        heavy, heavy_out = in_thread(lambda: service.run(SearchParams(q='"la route"', per_page=50)))
        cheap.join(60)
        assert not cheap.is_alive() and cheap_out[0].total == 45
        heavy.join(1)
        assert heavy.is_alive() and not heavy_out  # waits for its turn
    heavy.join(60)
    assert not heavy.is_alive() and heavy_out[0].total == 120


def test_past_its_deadline_a_search_answers_with_part_of_its_matches_and_says_so(service, monkeypatch):
    whole = service.run(SearchParams(q="convoi OR route OR presse OR Alep", per_page=100))
    monkeypatch.setitem(settings.DEFAULTS, "search_seconds", 0.0)
    cut = service.run(SearchParams(q="convoi OR route OR veille OR Homs", per_page=100))
    assert any(n.startswith("Recherche arrêtée au bout de 0 s : des rapports qui correspondent peuvent manquer")
               for n in cut.notices), cut.notices
    reference = {h.id for h in service.run(SearchParams(q="convoi OR route OR veille OR Homs", per_page=100)).hits}
    assert {h.id for h in cut.hits} <= reference  # a subset: never a report that does not match
    assert whole.notices == []
    excluded = service.run(SearchParams(q="convoi -Alep", per_page=100))  # an exclusion cut short drops everything
    assert excluded.total == 0 and excluded.notices


def test_export_pages_take_turns_and_every_row_comes(service, monkeypatch):
    from search import export
    monkeypatch.setitem(settings.DEFAULTS, "export_page", 7)
    rows = list(export.hits(service, parse_params({"q": ["convoi"]})))
    assert len(rows) == 120 and not service.lanes.holding


def test_memories_stay_within_their_bounds(service, monkeypatch):
    monkeypatch.setattr(lexicon, "MEMO", 5)
    small = SearchService(service.engine)  # a service of its own: its own planners and memories
    small.highlighter = spans.Highlighter(memo_words=50)
    generation = small.engine._live
    for n in range(CACHED_RESULTS // 8 + 5):
        for word in WORDS:
            small.run(SearchParams(q=f"{word} {n}", page=1 + n % 3))
    assert len(generation.results) <= CACHED_RESULTS
    assert all(len(memo) <= 51 for root in small.highlighter.fanout.roots.values() for memo in _memos(root))
    assert len(small.engine.store.digests) <= small.engine.store.digests.most


def _memos(node):
    yield from node.memos.values()
    for child in node.children.values():
        yield from _memos(child)


def test_no_memory_lives_in_a_module():
    """State lives on the objects a service or a writer makes, never in a module's globals."""
    from search.engine import manifest
    from search.engine.whoosh import segments
    assert not hasattr(manifest, "_HASHED") and not hasattr(segments, "FANOUT")
