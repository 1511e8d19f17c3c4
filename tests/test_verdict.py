"""The verdict on a candidate spelling (search/names/verdict.py) and the variants it yields (search/names/variants.py)."""
from __future__ import annotations

import pytest

from search.names import verdict
from search.names.lexicon import MemoryLexicon
from search.names.query import query_chunks
from search.names.translit import prepare_latin
from search.names.match import plan_name
from search.names.variants import find_variants, group_key


def cost(a: str, b: str) -> float:
    return verdict.latin_cost(tuple(a.split()), tuple(b.split()))


def sounds(word: str) -> list[str]:
    return [s.text for s in verdict.sounds(prepare_latin(word))]


def test_sounds_keep_digraphs_whole():
    assert sounds("Cheikh") == ["ch", "ei", "kh"]
    assert sounds("Djeddah") == ["dj", "e", "d", "d", "a", "h"]


def test_the_same_spelling_costs_nothing():
    assert cost("Boukamal", "Boukamal") == 0


def test_e_is_the_vowel_romanizations_disagree_on():
    # e for i is cheaper than a for i: Arabic's three vowels tell names apart (Karim, Karam)
    assert cost("Kasim", "Kasem") < cost("Kasim", "Kasam")


def test_a_change_inside_a_romanization_class_is_cheaper_than_a_vowel():
    assert cost("Boukamal", "Bukamal") < cost("Boukamal", "Bukimal")


def test_a_related_consonant_is_cheaper_than_an_unrelated_one():
    assert cost("Kassem", "Gassem") < cost("Kassem", "Lassem")


def test_the_first_sound_costs_more():
    assert cost("Kassem", "Kassel") < cost("Kassem", "Lassem")


def test_a_doubled_letter_is_nearly_free():
    assert cost("Tartous", "Tartouss") < cost("Tartous", "Tartoush")


def test_lower_case_evidence_makes_the_verdict_stricter():
    c = cost("Douma", "Dome")
    assert verdict.accepts_latin(c, 4, verdict.Evidence(0.0)) or not verdict.accepts_latin(c, 4, verdict.Evidence(1.0))
    assert not verdict.accepts_latin(c, 4, verdict.Evidence(1.0))


def test_weights_come_from_the_fitted_file():
    assert set(verdict.weights()) == set(verdict.DEFAULT_WEIGHTS)
    assert verdict.WEIGHTS_FILE.exists()


# ---------------------------------------------------------------- variants over a lexicon

REPORTS = {
    "a": "Des frappes à al-Bukamal, à la frontière.",
    "b": "Le convoi a quitté Al-Boukamal avant l'aube.",
    "c": "AL-BOUKAMAL reste tendue.",
    "d": "Le député de la Moselle a voté.",
    "e": "La coupole du Dôme, un dôme de verre, et le dôme doré.",
    "f": "Des explosions près de Mossoul.",
}


@pytest.fixture(scope="module")
def lexicon():
    return MemoryLexicon(REPORTS)


def variants_of(query: str, lexicon, **steer):
    _, chunks = query_chunks(query.split())
    return find_variants(chunks[0], lexicon, **steer)


def test_case_variants_are_one_entry_with_their_reports(lexicon):
    found = {group_key(v.spelling): v for v in variants_of("Boukamal", lexicon)}
    assert found["al-boukamal"].reports == 2 and found["al-boukamal"].accepted


def test_the_exact_spelling_is_marked(lexicon):
    exact = [v for v in variants_of("Al-Boukamal", lexicon) if v.exact]
    assert [group_key(v.spelling) for v in exact] == ["al-boukamal"]


def test_a_common_word_is_no_variant_of_a_name(lexicon):
    dome = [v for v in variants_of("Douma", lexicon) if group_key(v.spelling) == "dôme"]
    assert not dome or not dome[0].accepted


def test_mossoul_is_not_moselle(lexicon):
    assert not any(v.accepted and "mosel" in group_key(v.spelling) for v in variants_of("Mossoul", lexicon))


def test_the_analyst_drops_and_adds_spellings(lexicon):
    dropped = variants_of("Boukamal", lexicon, without=["al-Boukamal"])
    assert not next(v for v in dropped if group_key(v.spelling) == "al-boukamal").accepted
    rejected = [v for v in variants_of("Boukamal", lexicon) if not v.accepted]
    if rejected:
        added = variants_of("Boukamal", lexicon, extra=[rejected[0].spelling])
        assert next(v for v in added if v.spelling == rejected[0].spelling).accepted


def test_a_plan_matches_the_reports_of_the_accepted_spellings_only(lexicon):
    plan = plan_name([["Boukamal"]], lexicon)
    assert lexicon.docs(plan.match) == {"a", "b", "c"}
    plan = plan_name([["Boukamal"]], lexicon, without=["al-Bukamal"])
    assert lexicon.docs(plan.match) == {"b", "c"}
