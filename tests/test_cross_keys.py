"""Cross-script blocking learned from ../shared/names (``search.names.crosskeys``, ``bench/fit_cross_keys.py``).

The parameters file loads and is what the script fits from the data it names; a Latin query finds
the Persian, Arabic, Hebrew and Latin spellings whose skeletons differ from its own by one learned
change, and back, on a real index through the real service; a short skeleton is never widened; what the
changes bring is judged under the stricter threshold."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from search.names import crosskeys
from search.names import variants as V
from search.names.keys import index_keys
from search.names.lexicon import MemoryLexicon
from search.names.query import query_keys, widened_keys
from search.names.units import WORDS, runs
from search.params import SearchParams
from search.service import SearchService

from .conftest import built

BENCH = Path(__file__).resolve().parent.parent / "bench"


def units(spelling: str):
    return [u for run in runs(WORDS(spelling)) for u in run]


def _fit():
    sys.path[:0] = [str(BENCH)]
    try:
        import fit_cross_keys
        return fit_cross_keys
    finally:
        sys.path.remove(str(BENCH))


def test_the_parameters_file_loads_and_names_its_data():
    data = json.loads(crosskeys.TABLE.read_text(encoding="utf-8"))
    assert data["data"] == _fit().data_checksum()  # fitted on the names data in ../shared/names
    for script in ("a", "h", "l"):
        assert crosskeys.consonants(script) == data["consonants"][script] >= 3
        assert 0 < crosskeys.threshold(script) == data["threshold"][script]
        changes = crosskeys.table()[script]
        assert changes and all(kind in ("sub", "ins", "del") for kind, _, _ in changes)


def test_the_training_is_reproducible():
    """The changes shipped are the ones the script chooses from the data, at the share it records."""
    fit = _fit()
    data = json.loads(crosskeys.TABLE.read_text(encoding="utf-8"))
    table = fit.choose([dict(p, changes=[tuple(c) for c in p["changes"]]) for p in fit.pairs()], data["share"])
    assert table == {s: [list(c) for c in data["changes"][s]] for s in ("a", "h", "l")}


def test_one_change_between_skeletons():
    assert crosskeys.one_change("CDGN", "JDGN") == [("sub", "C", "J")]
    assert crosskeys.one_change("BDYK", "BDWYK") == [("ins", "", "W")]
    assert crosskeys.one_change("ABC", "ABC") == [] and crosskeys.one_change("ABC", "XYZ") == []


def test_the_learned_keys_reach_what_the_own_keys_miss():
    latin, persian = units("Chadugan"), units("چادگان")
    written = set(index_keys(persian))
    assert not set(query_keys(latin)) & written  # today's keys: never a candidate
    assert set(widened_keys(latin)) & written
    assert set(widened_keys(persian)) & set(index_keys(latin))  # and back


def test_a_short_skeleton_is_never_widened():
    """Three consonants meet other names by chance (Belek, بلچ): no learned change is tried."""
    assert widened_keys(units("Belek")) == []
    assert widened_keys(units("بلچ")) == []


def test_what_the_changes_bring_is_judged_more_strictly():
    latin, persian = units("Chadugan"), units("چادگان")
    cost, _ = V._cross(latin, persian)
    assert cost <= crosskeys.threshold("a")
    assert V._widened(latin, persian, MemoryLexicon({}))[1]
    # A pair the verdict takes under its own threshold but not under the learned keys' one
    far, other = units("Chwarta"), units("جوارتة")
    cost, enough = V._cross(far, other)
    assert enough and crosskeys.threshold("a") < cost <= V.verdict.weights()["cross_threshold"]
    assert not V._widened(far, other, MemoryLexicon({}))[1]


REPORTS = {
    "latin.txt": "Séisme en Iran\n\nUn séisme a frappé Chadugan, dans la province d'Ispahan, mardi.",
    "persian.txt": "Séisme\n\nLa télévision iranienne montre les dégâts à چادگان après la secousse.",
    "hebrew.txt": "Galilée\n\nLe kibboutz HaGosrim a été évacué après des tirs venus du Liban.",
    "hebrew2.txt": "Galilée encore\n\nLes habitants de הגושרים sont partis vers le sud.",
    "other.txt": "Autre\n\nLes hôtels de Belek, en Turquie, et la ville de Chaouen sont pleins.",
    "latin2.txt": "Iran\n\nUne usine a brûlé à Hadishahr, près de la frontière arménienne.",
    "latin3.txt": "Iran encore\n\nLes pompiers de Hadisahr ont maîtrisé l'incendie.",
}


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    root = built(tmp_path_factory.mktemp("crosskeys"), REPORTS)
    opened = SearchService.open(root / "index")
    yield opened
    opened.close()


def ids(service, q: str) -> set[str]:
    return {h.id for h in service.run(SearchParams(q=q)).hits}


@pytest.mark.parametrize("q, found", [
    ("Chadugan", {"latin", "persian"}),
    ("CHADUGAN", {"latin", "persian"}),
    ("چادگان", {"latin", "persian"}),
    ("HaGosrim", {"hebrew", "hebrew2"}),
    ("הגושרים", {"hebrew", "hebrew2"}),
    ("Hadishahr", {"latin2", "latin3"}),   # Latin against Latin: sh written s, a skeleton change apart
    ("Hadisahr", {"latin2", "latin3"}),
])
def test_a_query_finds_its_spellings_in_the_other_script(service, q, found):
    assert ids(service, q) == found
