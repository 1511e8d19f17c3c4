"""Learned edit costs (``bench/fit_costs.py``): the verdict prices a pair of sounds by its
adjustment when weights carry one, and only then; other scripts keep the kinds' costs."""
from search.names import verdict as V
from search.names import translit as tr


def _sounds(word: str):
    return V.latin_readings((word,))[0]


def test_without_learned_pairs_the_kinds_costs_price_every_change():
    w = dict(V.weights())
    assert "pairs" not in w  # the shipped verdict: hand-shaped kinds, fitted on the development set
    cost = V.alignment_cost(_sounds("Varzaqan"), _sounds("Varzagan"), w)
    assert cost == w["near"]  # q for g: one related consonant


def test_a_learned_pair_adjusts_that_change_and_no_other():
    w = dict(V.weights())
    learned = {**w, "pairs": {"near g|q": -w["near"] + 0.05, "vowel a|o": 10.0}}
    assert abs(V.alignment_cost(_sounds("Varzaqan"), _sounds("Varzagan"), learned) - 0.05) < 1e-9
    # d for t is not in the table: its kind's cost, as before
    assert V.alignment_cost(_sounds("Tabqa"), _sounds("Dabqa"), learned) == V.alignment_cost(
        _sounds("Tabqa"), _sounds("Dabqa"), w)


def test_no_learned_change_is_free():
    w = dict(V.weights())
    learned = {**w, "pairs": {"near g|q": -100.0}}
    assert V.alignment_cost(_sounds("Varzaqan"), _sounds("Varzagan"), learned) == V._FLOOR


def test_other_scripts_keep_the_kinds_costs():
    w = dict(V.weights())
    learned = {**w, "pairs": {"near b|f": -w["near"], "far b|s": -w["far"]}}
    assert V.cross_cost(("Basra",), ("البصرة",), "a", learned) == V.cross_cost(("Basra",), ("البصرة",), "a", w)


def test_cheap_learned_consonant_changes_widen_the_skeletons_they_join():
    w = dict(V.weights())
    table = V.confusion_table({**w, "pairs": {"near g|q": -w["near"] + 0.1, "near d|t": 5.0}})
    q_class = tr.latin_skeletons("q")[0]
    assert q_class in table and any(c in table[q_class] for c in tr.latin_skeletons("g"))
    assert tr.latin_skeletons("d")[0] not in table  # a dear change widens nothing
    assert V.confusion_table(w) == {}


def test_the_fast_path_prices_each_change_as_its_kind():
    """Without learned pairs the verdict prices a change inline: the same as the kind it names."""
    w = dict(V.weights())
    marked = {k: float(i + 1) for i, k in enumerate(sorted(k for k, v in w.items() if isinstance(v, (int, float))))}
    names = {v: k for k, v in marked.items()}
    sounds = {s for word in ("Qassem", "Kassem", "Ghassem", "Soleimani", "Souleimaniyeh", "Tehran", "Teheran",
                             "Mashhad", "Meshed", "Haniyeh", "Haniya", "Boukamal", "Bukhmal", "Zakho", "Zakhu")
              for s in _sounds(word)}
    for a in sounds:
        for b in sounds:
            if a.text != b.text:
                assert names[V._sub(a, b, marked)] == V.sub_kind(a, b)
