"""Three readings of a name the verdict gets wrong alone (issue 19): a real index on disk, the real service.

- a diphthong before a vowel, or of two vowel letters, is also its two letters: Awaj is Aouaj
  (a-w-a-j), Eyad is Iyad, Rauf is Raof;
- a long name typed in chunks is judged whole: one chunk may take a spelling its own budget
  turns down when the rest of the name is spelt alike;
- an Arabic-script query takes no Latin name that the shipped table gives to another name.
"""
from __future__ import annotations

import pytest

from search.names import verdict
from search.params import SearchParams
from search.service import SearchService

from .conftest import built

REPORTS = {
    "aouaj.txt": "Combats\n\nLes bombardements ont touché Aouaj, au sud de la province, selon des habitants.",
    "makhlouf.txt": "Portrait\n\nEyad Makhlouf, cousin du président, a quitté le pays en mai.",
    "rauf.txt": "Procès\n\nLe tribunal a entendu Salman Rauf Salman, ancien officier.",
    "berot.txt": "Galerie\n\nLe peintre Jean Berot expose ses toiles à Lyon.",
    "beyrouth.txt": "Explosion\n\nUne explosion a secoué Beyrouth mardi soir.",
    "omqi.txt": "Sanctions\n\nLe Trésor vise Saeed Salih Abd-Rabboh al-Omqi, changeur à Sanaa.",
    "tamimi.txt": "Autre\n\nLe Trésor vise aussi Saeed Salih Abd-Rabboh al-Tamimi, son associé.",
    "liban.txt": "Frontière\n\nLe Liban a fermé deux points de passage vers la Syrie.",
    "lupin.txt": "Séries\n\nLa série Lupin revient sur les écrans en janvier.",
}


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    root = built(tmp_path_factory.mktemp("readings"), REPORTS)
    opened = SearchService.open(root / "index")
    yield opened
    opened.close()


def ids(service, q: str) -> set[str]:
    return {h.id for h in service.run(SearchParams(q=q)).hits}


@pytest.mark.parametrize("q, report", [("Awaj", "aouaj"), ("Iyad Makhluf", "makhlouf"),
                                       ("Salman Raof Salman", "rauf")])
def test_a_diphthong_is_also_its_two_letters(service, q, report):
    assert ids(service, q) == {report}


def test_a_diphthong_before_a_consonant_stays_one_sound(service):
    assert ids(service, "Beyrouth") == {"beyrouth"}


def test_reading_a_diphthong_in_two_makes_no_name_closer_per_sound():
    # The cost stays per sound of the names as first read: Faysal / Faisal as before, and two
    # names that differ by a consonant are no closer for a diphthong they share.
    # (ay / ai: one change inside a class, over Faysal's five sounds as first read, not six)
    assert verdict.latin_cost(("Faysal",), ("Faisal",)) == pytest.approx(verdict.weights()["same_class"] / 5)
    assert verdict.latin_cost(("Hussein",), ("Hussain",)) <= verdict.latin_cost(("Hussein",), ("Hassein",))
    assert verdict.latin_cost(("Awaj",), ("Aouaj",)) < verdict.latin_cost(("Awaj",), ("Aouad",))


def test_a_long_name_is_judged_whole(service):
    # al-Amqi / al-Omqi alone is too far for a short name; in a name of five units spelt alike
    # around it, the whole-name verdict takes it.
    assert ids(service, "Said Salih Abd-Rabbuh al-Amqi") == {"omqi"}


def test_the_whole_name_still_needs_every_chunk_close(service):
    assert "tamimi" not in ids(service, "Said Salih Abd-Rabbuh al-Amqi")
    assert ids(service, "al-Amqi") == set()


def test_an_arabic_query_takes_no_name_the_table_gives_to_another(service):
    # لوبان (Le Pen in the Arabic press) is close in letters to Liban, which the table writes لبنان.
    assert "liban" not in ids(service, "لوبان")
    assert ids(service, "لبنان") == {"liban"}


def test_the_table_turns_down_only_its_own_names(service):
    # Lupin is in no row of the table: the letters decide, as before.
    found = service.run(SearchParams(q="لوبان"))
    turned = {v.spelling: v.reason_text for v in found.variants if not v.accepted}
    assert turned.get("Liban") == "un autre nom dans la table des exonymes"
